"""Messages to a patient about a change the clinic made to their appointment.

Queued with `transaction.on_commit`, so a move that is rolled back tells nobody; sent through
Django's e-mail backend with the new time as an .ics invite (same UID, so the patient's calendar
updates the event). No clinical content.
"""

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from acupath.clinic.selectors import clinic_current, clinic_zone
from acupath.scheduling.models import Appointment
from acupath.scheduling.services.messages import appointment_ics

logger = logging.getLogger(__name__)


def appointment_moved_email(appointment: Appointment, previous_start: dt.datetime) -> EmailMessage:
    clinic = clinic_current()
    clinic_name = clinic.name if clinic else "the clinic"
    zone = clinic_zone()
    new, old = appointment.start.astimezone(zone), previous_start.astimezone(zone)
    room = f", {appointment.room.name}" if appointment.room else ""
    body = (
        f"Dear {appointment.patient.given_name},\n\n"
        f"Your {appointment.type.name.lower()} at {clinic_name} has been moved.\n\n"
        f"Now: {new:%A %d %B at %H:%M} ({new.tzname()}) with {appointment.practitioner.display_name}{room}.\n"
        f"It was: {old:%A %d %B at %H:%M}.\n\n"
        "If the new time does not suit you, call the front desk and we will find another.\n\n"
        "The attached file updates the appointment in your calendar.\n\n"
        f"{clinic_name}\n"
    )
    message = EmailMessage(
        subject=f"Your appointment has moved to {new:%a %d %b %H:%M}",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[appointment.patient.email],
    )
    message.attach("appointment.ics", appointment_ics(appointment, timezone.now()), "text/calendar")
    return message


def _send_quietly(message: EmailMessage) -> None:
    try:
        message.send()
    except Exception:  # a mail server's hiccup must not turn a committed move into an error page
        logger.exception("the e-mail about a moved appointment could not be sent")


def appointment_moved_email_later(appointment: Appointment, previous_start: dt.datetime) -> None:
    """Tell the patient about the move once the current transaction commits (not without an address)."""
    if not appointment.patient.email:
        return
    message = appointment_moved_email(appointment, previous_start)
    transaction.on_commit(lambda: _send_quietly(message))
