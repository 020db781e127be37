"""Reminders: queued once, claimed by one worker, sent once with an .ics that shows the local time."""

import datetime as dt
from email import message_from_bytes

import icalendar
import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from acupath.scheduling.enums import ReminderKind, ReminderStatus
from acupath.scheduling.models import Reminder
from acupath.scheduling.services import appointment_book, appointment_cancel
from acupath.scheduling.services.reminders import (
    reminder_send,
    reminders_claim,
    reminders_enqueue,
    reminders_expire_stale,
    reminders_run_once,
)
from acupath.scheduling.tests.helpers import KOLKATA
from tests.factories import AppointmentTypeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def now():
    return timezone.now().replace(second=0, microsecond=0)


@pytest.fixture
def tomorrow_ten(now):
    """10:00 clinic time on the next day that is between 2 and 24 hours away... simply: in 20 hours, on the grid."""
    start = (now + dt.timedelta(hours=20)).astimezone(KOLKATA)
    return start.replace(minute=start.minute - start.minute % 15)


@pytest.fixture
def appointment(practitioner, patient, clinic, room, tomorrow_ten, now):
    patient.reminders_email_since = now - dt.timedelta(days=1)  # agreed to e-mail reminders
    patient.save()
    treatment = AppointmentTypeFactory(clinic=clinic)
    return appointment_book(
        actor=None, patient=patient, practitioner=practitioner, type=treatment, start=tomorrow_ten, room=room
    )


def test_enqueue_is_idempotent_and_only_within_the_window(appointment, practitioner, patient, clinic, now):
    later = appointment_book(
        actor=None,
        patient=patient,
        practitioner=practitioner,
        type=appointment.type,
        start=appointment.start + dt.timedelta(days=3),
    )
    assert reminders_enqueue(now) == 1
    assert reminders_enqueue(now) == 0
    reminder = Reminder.objects.get()
    assert reminder.appointment == appointment and reminder.kind == ReminderKind.EMAIL
    assert reminder.due_at == max(appointment.start - dt.timedelta(hours=24), now)
    assert not Reminder.objects.filter(appointment=later).exists()


def test_reminder_hours_is_a_setting(appointment, now, settings):
    settings.ACUPATH_REMINDER_HOURS = 2
    assert reminders_enqueue(now) == 0  # 20 hours away is outside a 2-hour window


def test_two_workers_claim_a_reminder_once(appointment, now):
    reminders_enqueue(now)
    first = reminders_claim("worker-a", now)
    second = reminders_claim("worker-b", now)
    assert len(first) == 1 and second == []
    assert Reminder.objects.get().claimed_by == "worker-a"
    assert reminder_send(first[0], "worker-b", now) == ""  # not b's to send
    assert mail.outbox == []


def test_the_reminder_email_carries_an_ics_with_the_local_time(appointment, now, tomorrow_ten):
    counts = reminders_run_once("worker-a", now)
    assert counts == {"queued": 1, "expired": 0, "sent": 1}
    assert reminders_run_once("worker-a", now) == {"queued": 0, "expired": 0}  # never twice
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [appointment.patient.email]
    assert f"{tomorrow_ten:%H:%M}" in message.body and "Asha" in message.body
    # Parse the attachment as a calendar program would, from the message as sent.
    parsed = message_from_bytes(message.message().as_bytes())
    ics = next(part for part in parsed.walk() if part.get_content_type() == "text/calendar")
    calendar = icalendar.Calendar.from_ical(ics.get_payload(decode=True))
    event = calendar.events[0]
    assert event.start == tomorrow_ten and event.start.tzinfo.key == "Asia/Kolkata"
    assert event.start.hour == tomorrow_ten.hour and event.start.minute == tomorrow_ten.minute
    assert event.end - event.start == dt.timedelta(minutes=45)
    assert str(event["UID"]) == f"{appointment.public_id}@acupath"
    assert "Rao" not in ics.get_payload(decode=True).decode()  # no surname, nothing clinical
    reminder = Reminder.objects.get()
    assert reminder.status == ReminderStatus.SENT and reminder.sent_at == now and reminder.attempts == 1


def test_a_cancelled_appointment_is_not_reminded(appointment, now):
    reminders_enqueue(now)
    appointment_cancel(actor=None, appointment=appointment)
    assert reminders_run_once("w", now).get("skipped") == 1
    assert mail.outbox == []
    assert Reminder.objects.get().status == ReminderStatus.SKIPPED


def test_a_patient_without_email_is_not_queued_and_one_who_lost_it_is_skipped(appointment, now):
    appointment.patient.email = ""
    appointment.patient.save()
    assert reminders_enqueue(now) == 0
    appointment.patient.email = "asha@example.in"
    appointment.patient.save()
    assert reminders_enqueue(now) == 1
    appointment.patient.email = ""
    appointment.patient.save()
    assert reminders_run_once("w", now).get("skipped") == 1


def test_a_failing_backend_is_retried_later_then_given_up(appointment, now, settings):
    settings.EMAIL_BACKEND = "acupath.scheduling.tests.test_reminders.FailingBackend"
    settings.ACUPATH_REMINDER_MAX_ATTEMPTS = 2
    assert reminders_run_once("w", now).get("pending") == 1
    reminder = Reminder.objects.get()
    assert reminder.status == ReminderStatus.PENDING and reminder.due_at > now and "down" in reminder.last_error
    assert reminders_run_once("w", now) == {"queued": 0, "expired": 0}  # not due again yet
    assert reminders_run_once("w", reminder.due_at).get("failed") == 1
    assert Reminder.objects.get().status == ReminderStatus.FAILED


def test_a_reminder_left_sending_by_a_dead_worker_is_not_sent_again(appointment, now):
    reminders_enqueue(now)
    reminders_claim("dead-worker", now)
    assert reminders_expire_stale(now + dt.timedelta(minutes=5)) == 0
    assert reminders_expire_stale(now + dt.timedelta(minutes=11)) == 1
    assert reminders_run_once("w", now + dt.timedelta(minutes=12)) == {"queued": 0, "expired": 0}
    assert mail.outbox == []


def test_worker_command_runs_one_pass(appointment, capsys):
    call_command("worker", "--once")
    assert "sent=1" in capsys.readouterr().out
    assert len(mail.outbox) == 1


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionError("smtp down")
