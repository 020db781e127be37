"""Reminder channels: chosen by the clinic, agreed by the patient, sent through one adapter interface."""

import datetime as dt
import io
import json
import urllib.parse

import pytest
from django.core import mail
from django.utils import timezone

from acupath.scheduling.channels import channel_for
from acupath.scheduling.channels.base import Message
from acupath.scheduling.channels.memory import OUTBOX, MemoryChannel
from acupath.scheduling.channels.twilio import TwilioChannel, TwilioError
from acupath.scheduling.enums import ReminderStatus
from acupath.scheduling.models import Reminder
from acupath.scheduling.services import appointment_book
from acupath.scheduling.services.reminders import reminders_enqueue, reminders_run_once
from acupath.scheduling.tests.helpers import KOLKATA
from tests.factories import AppointmentTypeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_outbox():
    OUTBOX.clear()


@pytest.fixture
def now():
    return timezone.now().replace(second=0, microsecond=0)


@pytest.fixture
def appointment(practitioner, patient, clinic, room, now):
    clinic.phone = "+91 80 4000 1234"
    clinic.save()
    room.location.address = "12 Lake Road\nBengaluru 560001"
    room.location.save()
    start = (now + dt.timedelta(hours=20)).astimezone(KOLKATA)
    start = start.replace(minute=start.minute - start.minute % 15)
    treatment = AppointmentTypeFactory(clinic=clinic)
    return appointment_book(
        actor=None, patient=patient, practitioner=practitioner, type=treatment, start=start, room=room
    )


def _consent(patient, *channels, at):
    for channel in channels:
        setattr(patient, f"reminders_{channel}_since", at)
    patient.save()


def _use(clinic, **channels):
    for channel, on in channels.items():
        setattr(clinic, f"reminders_{channel}", on)
    clinic.save()


def test_no_consent_no_reminder_on_any_channel(appointment, clinic, now, settings):
    settings.ACUPATH_SMS_CHANNEL = settings.ACUPATH_WHATSAPP_CHANNEL = "memory"
    _use(clinic, email=True, sms=True, whatsapp=True)
    assert reminders_enqueue(now) == 0


def test_each_channel_needs_the_clinic_and_the_patient(appointment, clinic, patient, now, settings):
    settings.ACUPATH_SMS_CHANNEL = settings.ACUPATH_WHATSAPP_CHANNEL = "memory"
    _consent(patient, "email", "sms", "whatsapp", at=now)
    _use(clinic, email=False, sms=True, whatsapp=False)
    reminders_run_once("w", now)
    assert set(Reminder.objects.values_list("kind", flat=True)) == {"sms"}
    assert mail.outbox == [] and [name for name, _ in OUTBOX] == ["sms"]
    _use(clinic, whatsapp=True)
    reminders_run_once("w", now)
    assert [name for name, _ in OUTBOX] == ["sms", "whatsapp"]  # the SMS is not sent again


def test_a_channel_without_an_adapter_queues_nothing(appointment, clinic, patient, now, settings):
    settings.ACUPATH_SMS_CHANNEL = ""
    _consent(patient, "sms", at=now)
    _use(clinic, email=False, sms=True)
    assert reminders_enqueue(now) == 0


def test_the_text_carries_address_phone_and_a_map_link(appointment, clinic, patient, now, settings):
    settings.ACUPATH_WHATSAPP_CHANNEL = "memory"
    _consent(patient, "whatsapp", at=now)
    _use(clinic, email=False, whatsapp=True)
    assert reminders_run_once("w", now)["sent"] == 1
    ((_, message),) = OUTBOX
    assert message.to == patient.phone
    assert "12 Lake Road, Bengaluru 560001" in message.text and "+91 80 4000 1234" in message.text
    assert "https://www.openstreetmap.org/search?query=12+Lake+Road%2C+Bengaluru+560001" in message.text


def test_consent_withdrawn_after_queuing_is_skipped(appointment, clinic, patient, now, settings):
    settings.ACUPATH_SMS_CHANNEL = "memory"
    _consent(patient, "sms", at=now)
    _use(clinic, email=False, sms=True)
    assert reminders_enqueue(now) == 1
    _consent(patient, "sms", at=None)
    assert reminders_run_once("w", now).get("skipped") == 1
    assert OUTBOX == [] and "withdrawn" in Reminder.objects.get().last_error


def test_the_reminder_email_carries_the_contact(appointment, clinic, patient, now):
    _consent(patient, "email", at=now)
    reminders_run_once("w", now)
    (message,) = mail.outbox
    assert "12 Lake Road, Bengaluru 560001" in message.body and "Phone: +91 80 4000 1234" in message.body
    assert "openstreetmap.org/search" in message.body
    assert Reminder.objects.get().status == ReminderStatus.SENT


def test_the_setting_picks_the_adapter(settings):
    settings.ACUPATH_SMS_CHANNEL = "twilio"
    settings.ACUPATH_WHATSAPP_CHANNEL = "memory"
    sms, whatsapp = channel_for("sms"), channel_for("whatsapp")
    assert isinstance(sms, TwilioChannel) and not sms.whatsapp
    assert isinstance(whatsapp, MemoryChannel)
    settings.ACUPATH_WHATSAPP_CHANNEL = ""
    assert channel_for("whatsapp") is None


def test_twilio_without_credentials_refuses_before_any_request(settings, monkeypatch):
    settings.ACUPATH_TWILIO_ACCOUNT_SID = ""
    monkeypatch.setattr("urllib.request.urlopen", _no_network)
    with pytest.raises(TwilioError, match="not set"):
        TwilioChannel().send(Message(to="+91 98450 10001", text="hi"))


def test_twilio_posts_the_message_form(settings, monkeypatch):
    """The request Twilio would receive, caught before it leaves the machine."""
    settings.ACUPATH_TWILIO_ACCOUNT_SID = "AC123"
    settings.ACUPATH_TWILIO_AUTH_TOKEN = "secret"
    settings.ACUPATH_TWILIO_WHATSAPP_FROM = "+14155550100"
    sent = []

    def fake_urlopen(request, timeout):
        sent.append(request)
        return io.BytesIO(json.dumps({"sid": "SM1"}).encode())

    monkeypatch.setattr("urllib.request.urlopen", fake_urlopen)
    TwilioChannel(whatsapp=True).send(Message(to="+91 98450 10001", text="Reminder"))
    (request,) = sent
    assert request.full_url == "https://api.twilio.com/2010-04-01/Accounts/AC123/Messages.json"
    form = urllib.parse.parse_qs(request.data.decode())
    assert form == {"From": ["whatsapp:+14155550100"], "To": ["whatsapp:+919845010001"], "Body": ["Reminder"]}
    assert request.get_header("Authorization").startswith("Basic ")


def _no_network(*args, **kwargs):
    raise AssertionError("a test must not reach Twilio")
