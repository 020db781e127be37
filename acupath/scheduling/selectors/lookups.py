"""Resolve public ids and codes from requests into records, with messages that say what to fix."""

import datetime as dt
import uuid

from acupath.clinic.models import AppointmentType, Practitioner, Room
from acupath.clinic.selectors import clinic_current
from acupath.core.errors import ServiceError
from acupath.patients.models import Patient
from acupath.scheduling.enums import HOLDING
from acupath.scheduling.models import Appointment


def _uuid(value: object) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def practitioners_active() -> list[Practitioner]:
    return list(Practitioner.objects.filter(active=True).order_by("display_name"))


def appointment_types() -> list[AppointmentType]:
    clinic = clinic_current()
    return list(AppointmentType.objects.filter(clinic=clinic).order_by("minutes", "name")) if clinic else []


def practitioner_by_ref(ref: uuid.UUID | str, field: str = "practitioner") -> Practitioner:
    key = _uuid(ref)
    practitioner = Practitioner.objects.filter(public_id=key, active=True).first() if key else None
    if practitioner is None:
        raise ServiceError({field: "No active practitioner has that id; list them at /api/v1/practitioners."})
    return practitioner


def appointment_type_by_ref(ref: str, field: str = "type") -> AppointmentType:
    """An appointment type by public id or by code (e.g. "treatment")."""
    key = _uuid(ref)
    types = AppointmentType.objects.all()
    found = types.filter(public_id=key).first() if key else types.filter(code=ref).first()
    if found is None:
        raise ServiceError({field: "No appointment type has that id or code; list them at /api/v1/appointment-types."})
    return found


def room_by_ref(ref: uuid.UUID | str | None, field: str = "room") -> Room | None:
    if ref is None:
        return None
    key = _uuid(ref)
    room = Room.objects.filter(public_id=key, active=True).first() if key else None
    if room is None:
        raise ServiceError({field: "No active room has that id; leave it out to take the first free room."})
    return room


def ids_to_public(model: type[Practitioner] | type[Room], ids: set[int]) -> dict[int, uuid.UUID]:
    """Database ids → public ids, one query (for slot lists)."""
    if not ids:
        return {}
    return dict(model.objects.filter(pk__in=ids).values_list("pk", "public_id"))


def window(start: str | None, end: str | None, zone: dt.tzinfo, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """An availability window from API values: a date is a whole local day; a time without offset is local."""

    def instant(value: str, field: str, *, end_of_day: bool) -> dt.datetime:
        try:
            if len(value) == 10:
                day = dt.date.fromisoformat(value) + dt.timedelta(days=1 if end_of_day else 0)
                return dt.datetime.combine(day, dt.time.min, tzinfo=zone)
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            raise ServiceError(
                {field: "Give a date (2026-12-01) or a date and time (2026-12-01T09:00+05:30)."}
            ) from None
        return moment if moment.tzinfo else moment.replace(tzinfo=zone)

    lo = instant(start, "from", end_of_day=False) if start else now
    hi = instant(end, "to", end_of_day=True) if end else lo + dt.timedelta(days=7)
    if hi <= lo:
        raise ServiceError({"to": "The end must come after the start."})
    if hi - lo > dt.timedelta(days=31):
        raise ServiceError({"to": "Ask for at most 31 days at a time."})
    return lo, hi


def course_practitioners(patient: Patient) -> list[Practitioner]:
    """Who a course is booked with when the desk names no one: the practitioner the patient
    last had an appointment with (a course keeps its practitioner), else every active one.

    In a network with hundreds of practitioners this also keeps the slot search to one diary.
    """
    last = (
        Appointment.objects.filter(patient=patient, status__in=HOLDING, practitioner__active=True)
        .order_by("-start")
        .values_list("practitioner_id", flat=True)
        .first()
    )
    return list(Practitioner.objects.filter(pk=last)) if last else practitioners_active()
