"""What the patient reads about an appointment: reminder and confirmation texts, and the .ics invite.

Every message carries the clinic's address, phone and a map link (from the visit's location), so a
patient can find the clinic from the message alone. No clinical content.
"""

import datetime as dt

from acupath.clinic.contact import ClinicContact, clinic_contact
from acupath.clinic.selectors import clinic_current, clinic_zone
from acupath.scheduling.channels.base import Attachment, Message
from acupath.scheduling.enums import ReminderKind
from acupath.scheduling.ics import IcsEvent, ics_calendar
from acupath.scheduling.models import Appointment


def appointment_contact(appointment: Appointment) -> ClinicContact:
    """Where the visit happens: the room's location, else the practitioner's."""
    location = appointment.room.location if appointment.room else appointment.practitioner.location
    return clinic_contact(clinic_current(), location)


def appointment_ics(appointment: Appointment, now: dt.datetime) -> bytes:
    """The appointment as an .ics file for the patient's own calendar (no clinical content)."""
    contact = appointment_contact(appointment)
    place = appointment.room.location.name if appointment.room else ""
    where = ", ".join(part for part in (appointment.room.name if appointment.room else "", place) if part)
    event = IcsEvent(
        uid=f"{appointment.public_id}@acupath",
        start=appointment.start,
        end=appointment.end,
        summary=f"{appointment.type.name} at {contact.name}",
        location=", ".join(part for part in (where, contact.address_line) if part),
        description="\n".join([f"With {appointment.practitioner.display_name}.", *contact.lines()[1:]]),
    )
    return ics_calendar([event], zone=clinic_zone(), name=contact.name, stamp=now)


def ics_attachment(appointment: Appointment, now: dt.datetime) -> Attachment:
    return Attachment("appointment.ics", appointment_ics(appointment, now), "text/calendar")


def _when(appointment: Appointment) -> dt.datetime:
    return appointment.start.astimezone(clinic_zone())


def reminder_message(appointment: Appointment, kind: str, now: dt.datetime) -> Message:
    """The reminder for one channel: an e-mail with the invite, or a short text for SMS and WhatsApp."""
    contact = appointment_contact(appointment)
    patient, local = appointment.patient, _when(appointment)
    with_whom = f"{appointment.type.name} with {appointment.practitioner.display_name}"
    if kind != ReminderKind.EMAIL:
        text = " ".join([f"Reminder: {with_whom} {local:%a %d %b %H:%M}.", *contact.lines()])
        return Message(to=patient.phone, text=text)
    body = "\n".join(
        [
            f"Dear {patient.given_name},",
            "",
            f"This is a reminder of your {appointment.type.name.lower()} with "
            f"{appointment.practitioner.display_name} at {contact.name} on {local:%A %d %B at %H:%M} "
            f"({local.tzname()}).",
            "",
            "Please wear loose, comfortable clothing. If you cannot come, let the front desk know so that someone "
            "else can have the time.",
            "",
            "The attached file adds the appointment to your calendar.",
            "",
            *contact.lines(),
            "",
        ]
    )
    return Message(
        to=patient.email,
        subject=f"Reminder: {appointment.type.name}, {local:%a %d %b %H:%M}",
        text=body,
        attachments=(ics_attachment(appointment, now),),
    )


def confirmation_text(appointment: Appointment) -> str:
    """The booking confirmation as a text message (SMS or WhatsApp)."""
    contact = appointment_contact(appointment)
    local = _when(appointment)
    return " ".join(
        [
            f"Booked: {appointment.type.name} with {appointment.practitioner.display_name} {local:%a %d %b %H:%M}.",
            *contact.lines(),
        ]
    )
