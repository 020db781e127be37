"""Appointment reminders through a database outbox, sent by `acupath worker`.

1. `reminders_enqueue` adds one `Reminder` row per booked appointment and kind once the
   appointment comes within ACUPATH_REMINDER_HOURS. The unique (appointment, kind)
   constraint makes queuing idempotent: any number of workers may run it, any number
   of times, across restarts.
2. `reminders_claim` moves due rows from pending to sending with a conditional UPDATE;
   only the worker whose UPDATE changed the row sends it.
3. `reminder_send` sends and records the outcome. A failure that raised (the message
   did not go) is retried with growing pauses, up to ACUPATH_REMINDER_MAX_ATTEMPTS.

A worker that dies between sending and recording leaves its row "sending"; after
ACUPATH_REMINDER_LEASE_MINUTES the row is marked failed rather than sent again, so a
patient is never reminded twice (at most once, by design).
"""

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

from acupath.clinic.selectors import clinic_current, clinic_zone
from acupath.core.audit import audit_record
from acupath.core.models import AuditAction
from acupath.scheduling import conf
from acupath.scheduling.enums import AppointmentStatus, ReminderKind, ReminderStatus
from acupath.scheduling.ics import IcsEvent, ics_calendar
from acupath.scheduling.models import Appointment, Reminder

log = logging.getLogger(__name__)

SmsSender = Callable[[str, str], None]


def lease() -> dt.timedelta:
    return dt.timedelta(minutes=conf.reminder_lease_minutes())


def sms_sender() -> SmsSender | None:
    """The configured SMS hook (ACUPATH_SMS_SENDER, a dotted path to `send(phone, text)`), or None."""
    path = conf.sms_sender_path()
    sender: SmsSender | None = import_string(path) if path else None
    return sender


def console_sms(phone: str, text: str) -> None:
    """An SMS "provider" for development: writes the message to the log instead of sending it."""
    log.warning("SMS to %s: %s", phone, text)


def reminders_enqueue(now: dt.datetime | None = None) -> int:
    """Queue reminders for booked appointments starting within the reminder window. Idempotent."""
    now = now or timezone.now()
    ahead = dt.timedelta(hours=conf.reminder_hours())
    kinds = [ReminderKind.EMAIL] + ([ReminderKind.SMS] if sms_sender() else [])
    queued = 0
    for kind in kinds:
        due = (
            Appointment.objects.filter(status=AppointmentStatus.BOOKED, start__gt=now, start__lte=now + ahead)
            .exclude(reminders__kind=kind)
            .values_list("pk", "start")
        )
        rows = [Reminder(appointment_id=pk, kind=kind, due_at=max(start - ahead, now)) for pk, start in due]
        # ignore_conflicts: another worker may have queued the same reminder a moment ago.
        queued += len(Reminder.objects.bulk_create(rows, ignore_conflicts=True))
    return queued


def reminders_expire_stale(now: dt.datetime | None = None) -> int:
    """Give up on rows left "sending" by a worker that stopped: they may have gone out already."""
    now = now or timezone.now()
    return Reminder.objects.filter(status=ReminderStatus.SENDING, claimed_at__lt=now - lease()).update(
        status=ReminderStatus.FAILED,
        last_error="The worker stopped while sending; not sent again so the patient is not reminded twice.",
    )


def reminders_claim(worker: str, now: dt.datetime | None = None, limit: int = 20) -> list[int]:
    """Claim up to `limit` due reminders for `worker`. Each claim is a conditional UPDATE."""
    now = now or timezone.now()
    candidates = Reminder.objects.filter(status=ReminderStatus.PENDING, due_at__lte=now).order_by("due_at", "id")
    claimed = []
    for pk in candidates.values_list("pk", flat=True)[:limit]:
        won = Reminder.objects.filter(pk=pk, status=ReminderStatus.PENDING).update(
            status=ReminderStatus.SENDING, claimed_by=worker, claimed_at=now, attempts=F("attempts") + 1
        )
        if won:
            claimed.append(pk)
    return claimed


def appointment_ics(appointment: Appointment, now: dt.datetime) -> bytes:
    """The appointment as an .ics file for the patient's own calendar (no clinical content)."""
    clinic = clinic_current()
    clinic_name = clinic.name if clinic else "the clinic"
    where = ", ".join(
        part for part in (appointment.room.name if appointment.room else "", _location(appointment)) if part
    )
    event = IcsEvent(
        uid=f"{appointment.public_id}@acupath",
        start=appointment.start,
        end=appointment.end,
        summary=f"{appointment.type.name} at {clinic_name}",
        location=where,
        description=f"With {appointment.practitioner.display_name}.",
    )
    return ics_calendar([event], zone=clinic_zone(), name=clinic_name, stamp=now)


def _location(appointment: Appointment) -> str:
    room = appointment.room
    return room.location.name if room is not None else ""


def _email(appointment: Appointment, now: dt.datetime) -> EmailMessage:
    clinic = clinic_current()
    clinic_name = clinic.name if clinic else "the clinic"
    local = appointment.start.astimezone(clinic_zone())
    when = local.strftime("%A %d %B at %H:%M")
    body = (
        f"Dear {appointment.patient.given_name},\n\n"
        f"This is a reminder of your {appointment.type.name.lower()} with {appointment.practitioner.display_name} "
        f"at {clinic_name} on {when} ({local.tzname()}).\n\n"
        "Please wear loose, comfortable clothing. If you cannot come, let the front desk know so that someone "
        "else can have the time.\n\n"
        "The attached file adds the appointment to your calendar.\n\n"
        f"{clinic_name}\n"
    )
    message = EmailMessage(
        subject=f"Reminder: {appointment.type.name}, {local:%a %d %b %H:%M}",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[appointment.patient.email],
    )
    message.attach("appointment.ics", appointment_ics(appointment, now), "text/calendar")
    return message


def _sms_text(appointment: Appointment) -> str:
    local = appointment.start.astimezone(clinic_zone())
    return f"Reminder: {appointment.type.name} with {appointment.practitioner.display_name} {local:%a %d %b %H:%M}."


def _finish(pk: int, worker: str, **fields: Any) -> None:
    Reminder.objects.filter(pk=pk, claimed_by=worker, status=ReminderStatus.SENDING).update(**fields)


def reminder_send(pk: int, worker: str, now: dt.datetime | None = None) -> str:
    """Send one claimed reminder; returns the status it ends in."""
    now = now or timezone.now()
    reminder = (
        Reminder.objects.select_related(
            "appointment__patient",
            "appointment__practitioner",
            "appointment__type",
            "appointment__room__location",
        )
        .filter(pk=pk, claimed_by=worker, status=ReminderStatus.SENDING)
        .first()
    )
    if reminder is None:
        return ""  # not ours (expired and taken over): leave it alone
    appointment = reminder.appointment
    patient = appointment.patient
    # Looked up once, so the check below and the sending use the same provider.
    send_sms = sms_sender() if reminder.kind == ReminderKind.SMS else None
    skip = ""
    if appointment.status != AppointmentStatus.BOOKED:
        skip = f"The appointment is {appointment.get_status_display().lower()}."
    elif appointment.start <= now:
        skip = "The appointment had already started."
    elif reminder.kind == ReminderKind.EMAIL and not patient.email:
        skip = "The patient has no e-mail address."
    elif reminder.kind == ReminderKind.SMS and not (patient.phone and send_sms):
        skip = "No phone number or no SMS provider."
    if skip:
        _finish(pk, worker, status=ReminderStatus.SKIPPED, last_error=skip)
        return ReminderStatus.SKIPPED
    try:
        if send_sms is not None:  # an SMS reminder with a provider (without one it was skipped above)
            send_sms(patient.phone, _sms_text(appointment))
        else:
            _email(appointment, now).send(fail_silently=False)
    except Exception as exc:  # any failure of the backend means "not sent, try later"
        log.warning("reminder %s failed: %s", pk, type(exc).__name__)
        if reminder.attempts >= conf.reminder_max_attempts():
            _finish(pk, worker, status=ReminderStatus.FAILED, last_error=str(exc)[:300])
            return ReminderStatus.FAILED
        pause = dt.timedelta(minutes=2**reminder.attempts)
        _finish(pk, worker, status=ReminderStatus.PENDING, due_at=now + pause, last_error=str(exc)[:300])
        return ReminderStatus.PENDING
    _finish(pk, worker, status=ReminderStatus.SENT, sent_at=now, last_error="")
    audit_record(
        actor=None,
        action=AuditAction.CREATE,
        entity=f"reminder_{reminder.kind}",
        entity_id=appointment.public_id,
        patient_id=patient.public_id,
        via="worker",
    )
    return ReminderStatus.SENT


def reminders_run_once(worker: str, now: dt.datetime | None = None) -> dict[str, int]:
    """One pass of the worker: queue, expire stale claims, claim and send what is due."""
    now = now or timezone.now()
    counts = {"queued": reminders_enqueue(now), "expired": reminders_expire_stale(now)}
    for pk in reminders_claim(worker, now):
        status = reminder_send(pk, worker, now)
        if status:
            counts[status] = counts.get(status, 0) + 1
    return counts
