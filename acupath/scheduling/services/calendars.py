"""Keeping the calendars: weekly rota blocks, breaks, leave, clinic holidays, appointment types.

Rota blocks and breaks are wall-clock times in the clinic's zone (so 09:00 stays 09:00
across a clock change); leave is a pair of instants, stored in UTC.
"""

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction

from acupath.clinic.models import AppointmentType, Clinic, Practitioner
from acupath.clinic.selectors import clinic_zone
from acupath.core.audit import audit_record
from acupath.core.errors import NotFound, ServiceError
from acupath.core.models import AuditAction
from acupath.scheduling.enums import GRID_MINUTES, HOLDING
from acupath.scheduling.models import Appointment, Break, Holiday, Leave, WorkingHours

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _audit(actor: Any, action: AuditAction, entity: str, entity_id: object, summary: str = "") -> None:
    audit_record(actor=actor, action=action, entity=entity, entity_id=entity_id, summary=summary)


def _weekly_errors(weekday: int, start: dt.time, end: dt.time) -> dict[str, str]:
    if not 0 <= weekday <= 6:
        return {"weekday": "Choose a day from Monday to Sunday."}
    if end <= start:
        return {"end": "End after the start, on the same day (split a night shift into two days)."}
    return {}


@transaction.atomic
def weekly_block_add(
    *, actor: Any, practitioner: Practitioner, kind: str, weekday: int, start: dt.time, end: dt.time
) -> WorkingHours | Break:
    """Add working hours or a break to a practitioner's weekly rota.

    Working hours may not overlap one another (the slot finder would offer twins); a
    break must fall inside working hours on that day, or it would block nothing.
    """
    if errors := _weekly_errors(weekday, start, end):
        raise ServiceError(errors)
    day = DAY_NAMES[weekday]
    if kind == "hours":
        clash = WorkingHours.objects.filter(practitioner=practitioner, weekday=weekday, start__lt=end, end__gt=start)
        if other := clash.first():
            raise ServiceError(
                {"start": f"Overlaps the {other.start:%H:%M}-{other.end:%H:%M} block on {day}; change or remove it."}
            )
        block: WorkingHours | Break = WorkingHours.objects.create(
            practitioner=practitioner, weekday=weekday, start=start, end=end
        )
    elif kind == "break":
        inside = WorkingHours.objects.filter(practitioner=practitioner, weekday=weekday, start__lte=start, end__gte=end)
        if not inside.exists():
            raise ServiceError(
                {"start": f"A break must fall inside working hours on {day}; add the hours first or change the times."}
            )
        block = Break.objects.create(practitioner=practitioner, weekday=weekday, start=start, end=end)
    else:
        raise ServiceError({"kind": "Choose working hours or a break."})
    _audit(actor, AuditAction.CREATE, f"rota_{kind}", practitioner.public_id, f"{day} {start:%H:%M}-{end:%H:%M}")
    return block


@transaction.atomic
def weekly_block_remove(*, actor: Any, practitioner: Practitioner, kind: str, block_id: int) -> None:
    model = WorkingHours if kind == "hours" else Break
    deleted, _ = model.objects.filter(practitioner=practitioner, pk=block_id).delete()
    if not deleted:
        raise NotFound("rota block")
    _audit(actor, AuditAction.UPDATE, f"rota_{kind}", practitioner.public_id, "removed a block")


@transaction.atomic
def leave_add(
    *, actor: Any, practitioner: Practitioner, start: dt.datetime, end: dt.datetime, reason: str = ""
) -> tuple[Leave, int]:
    """Record leave; returns it and how many booked appointments fall inside it (to rebook)."""
    if end <= start:
        raise ServiceError({"last_day": "The leave must end after it starts."})
    if (start.minute % GRID_MINUTES) or (end.minute % GRID_MINUTES):
        raise ServiceError({"from_time": "Use times on the quarter hour."})
    zone = clinic_zone()
    if other := Leave.objects.filter(practitioner=practitioner, start__lt=end, end__gt=start).first():
        raise ServiceError(
            {
                "first_day": (
                    f"Overlaps leave already recorded from {other.start.astimezone(zone):%a %d %b %H:%M} to "
                    f"{other.end.astimezone(zone):%a %d %b %H:%M}; remove that one or change the dates."
                )
            }
        )
    leave = Leave.objects.create(
        practitioner=practitioner,
        start=start,
        end=end,
        reason=reason,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    affected = Appointment.objects.filter(
        practitioner=practitioner, status__in=HOLDING, start__lt=end, end__gt=start
    ).count()
    _audit(actor, AuditAction.CREATE, "leave", leave.public_id)
    return leave, affected


@transaction.atomic
def leave_remove(*, actor: Any, practitioner: Practitioner, leave_id: int) -> None:
    deleted, _ = Leave.objects.filter(practitioner=practitioner, pk=leave_id).delete()
    if not deleted:
        raise NotFound("leave")
    _audit(actor, AuditAction.UPDATE, "leave", practitioner.public_id, "removed leave")


def holiday_add(*, actor: Any, clinic: Clinic, day: dt.date, name: str) -> tuple[Holiday, int]:
    """Close the clinic for a day; returns it and how many booked appointments fall on it."""
    name = name.strip()
    if not name:
        raise ServiceError({"name": "Give the holiday a name (e.g. Independence Day)."})
    try:
        with transaction.atomic():
            holiday = Holiday.objects.create(clinic=clinic, day=day, name=name)
            _audit(actor, AuditAction.CREATE, "holiday", holiday.pk, f"{day}")
    except IntegrityError:
        raise ServiceError({"day": f"{day:%a %d %b %Y} is already a holiday; choose another date."}) from None
    zone = clinic_zone()
    start = dt.datetime.combine(day, dt.time.min, tzinfo=zone)
    affected = Appointment.objects.filter(
        status__in=HOLDING, start__gte=start, start__lt=start + dt.timedelta(days=1)
    ).count()
    return holiday, affected


@transaction.atomic
def holiday_remove(*, actor: Any, clinic: Clinic, holiday_id: int) -> None:
    deleted, _ = Holiday.objects.filter(clinic=clinic, pk=holiday_id).delete()
    if not deleted:
        raise NotFound("holiday")
    _audit(actor, AuditAction.UPDATE, "holiday", holiday_id, "removed")


def appointment_type_save(
    *,
    actor: Any,
    clinic: Clinic,
    name: str,
    code: str,
    kind: str,
    minutes: int,
    bookable_online: bool,
    existing: AppointmentType | None = None,
) -> AppointmentType:
    """Create an appointment type, or change one. Booked appointments keep their own times."""
    if minutes % GRID_MINUTES or not 15 <= minutes <= 240:
        raise ServiceError({"minutes": f"Use 15 to 240 minutes in steps of {GRID_MINUTES}."})
    kind_type = existing or AppointmentType(clinic=clinic)
    kind_type.name, kind_type.code, kind_type.kind = name.strip(), code.strip(), kind
    kind_type.minutes, kind_type.bookable_online = minutes, bookable_online
    kind_type.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    if existing is None:
        kind_type.created_by = kind_type.updated_by
    try:
        with transaction.atomic():
            kind_type.save()
            _audit(
                actor, AuditAction.UPDATE if existing else AuditAction.CREATE, "appointment_type", kind_type.public_id
            )
    except IntegrityError:
        raise ServiceError(
            {"code": f"Another appointment type already has the code “{code}”; choose another."}
        ) from None
    return kind_type
