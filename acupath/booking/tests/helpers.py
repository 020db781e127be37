"""Small builders shared by the booking tests."""

import datetime as dt

from acupath.booking.domain.previsit import ces_questions
from acupath.booking.selectors import slot_value
from acupath.clinic.selectors import clinic_zone


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """A wall-clock time in the clinic's zone."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=clinic_zone())


def form_data(appointment_type, practitioner, start, *, chosen=None, **changes):
    """A complete, valid booking form for `start` with `practitioner` (the visitor chose `chosen`)."""
    data = {
        "type": str(appointment_type.public_id),
        "practitioner": str(chosen.public_id) if chosen else "",
        "slot": slot_value(start, practitioner) if start else "",
        "given_name": "Kavya",
        "family_name": "Hegde",
        "birth_date": "1988-07-14",
        "sex": "female",
        "phone": "+91 98450 22222",
        "email": "kavya@example.in",
        "reason": "Low back pain for a month, worse when sitting",
        "pain_duration": "subacute",
        "consent": "on",
        "action": "send",
    }
    data |= {f"rf_{q.code}": "no" for q in ces_questions()}
    data |= changes
    return data
