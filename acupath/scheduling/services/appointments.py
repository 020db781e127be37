"""Booking and cancelling appointments.

Double-booking is made impossible by `SlotClaim`'s unique constraint: each booking
claims every grid unit it covers for its practitioner, room and patient in the same
transaction. Two concurrent bookings of one slot cannot both commit.
"""

import datetime as dt
import functools
import random
import time
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone

from acupath.clinic.models import AppointmentType, Practitioner, Room
from acupath.clinic.selectors import clinic_zone
from acupath.core.audit import audit_record
from acupath.core.errors import Conflict, ServiceError
from acupath.core.models import AuditAction
from acupath.patients.models import Patient
from acupath.planning.models import TreatmentPlan
from acupath.scheduling.domain.rules import RuleBreach
from acupath.scheduling.enums import GRID_MINUTES, AppointmentStatus
from acupath.scheduling.models import Appointment, SlotClaim
from acupath.scheduling.selectors import calendar_breaches, rooms_for

GRID = dt.timedelta(minutes=GRID_MINUTES)

_P = ParamSpec("_P")
_R = TypeVar("_R")

# SQLite serialises writers. With IMMEDIATE transactions and a busy timeout (settings)
# a writer normally waits for the lock; the retry is the second line of defence for
# the rare "database is locked" that SQLite returns without waiting (e.g. a checkpoint
# holding the WAL index). Bounded: a few tries with jittered, growing pauses.
LOCK_RETRIES = 5
LOCK_BACKOFF_SECONDS = 0.05


def retry_when_locked(func: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run `func` (a whole transaction) again when SQLite reports the database locked.

    Only an outermost transaction can be retried: inside a caller's transaction the
    error is passed up so the caller's own transaction is retried or fails whole.
    """

    @functools.wraps(func)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        for attempt in range(LOCK_RETRIES):
            try:
                return func(*args, **kwargs)
            except OperationalError as exc:
                if "locked" not in str(exc) or connection.in_atomic_block or attempt == LOCK_RETRIES - 1:
                    raise
                time.sleep(LOCK_BACKOFF_SECONDS * (2**attempt) * (0.5 + random.random()))  # noqa: S311
        raise AssertionError("unreachable")  # pragma: no cover

    return wrapper


def grid_units(start: dt.datetime, end: dt.datetime) -> list[dt.datetime]:
    units, t = [], start
    while t < end:
        units.append(t)
        t += GRID
    return units


def resource(kind: str, pk: int) -> str:
    """The name a slot claim holds: "practitioner:3", "room:7", "patient:42"."""
    return f"{kind}:{pk}"


def claimed_units(
    practitioner_id: int, patient_id: int, room_id: int | None, start: dt.datetime, end: dt.datetime
) -> list[tuple[str, dt.datetime]]:
    """The (resource, quarter-hour) pairs an appointment holds: its practitioner, patient and room."""
    resources = [resource("practitioner", practitioner_id), resource("patient", patient_id)]
    if room_id:
        resources.append(resource("room", room_id))
    return [(r, u) for r in resources for u in grid_units(start, end)]


def claims_for(appointment: Appointment) -> list[SlotClaim]:
    a = appointment
    return [
        SlotClaim(appointment=a, resource=r, unit_start=u)
        for r, u in claimed_units(a.practitioner_id, a.patient_id, a.room_id, a.start, a.end)
    ]


def _taken(appointment: Appointment) -> set[str]:
    """Which of its resources ("room:7", ...) another booking holds (read after a failed attempt)."""
    return set(
        SlotClaim.objects.filter(
            resource__in=[c.resource for c in claims_for(appointment)],
            unit_start__in=grid_units(appointment.start, appointment.end),
        )
        .exclude(appointment_id=appointment.pk)  # a move's own old claims are not a clash
        .values_list("resource", flat=True)
        .distinct()
    )


def _taken_message(appointment: Appointment, taken: set[str]) -> str:
    """Name which of practitioner, room or patient is already taken."""
    kinds = {
        "practitioner": f"{appointment.practitioner} is already booked",
        "room": f"room {appointment.room} is already in use",
        "patient": "the patient already has an appointment",
    }
    said = [text for kind, text in kinds.items() if any(r.startswith(kind + ":") for r in taken)]
    when = appointment.start.astimezone(clinic_zone()).strftime("%a %d %b %H:%M")
    return f"That time is taken: {'; '.join(said) or 'the slot was just booked'} at {when}. Choose another time."


OVERRIDE_REASON_MAX = 200


class RuleConflict(Conflict):
    """The time breaks the clinic's rules; staff may book it anyway by giving a reason."""

    def __init__(self, breaches: list[RuleBreach]):
        self.breaches = breaches
        why = "; ".join(b.message for b in breaches)
        super().__init__(
            f"That time is outside the clinic's rules: {why}. "
            "Choose another time, or book it anyway by giving the reason for the exception."
        )


def rules_check(practitioner: Practitioner, start: dt.datetime, end: dt.datetime, override_reason: str) -> str:
    """The override reason to record ("" when no rule is broken), or raise RuleConflict.

    Every booking route calls this with the same rules; only staff routes pass a reason.
    """
    breaches = calendar_breaches(practitioner, start, end)
    if not breaches:
        return ""
    reason = override_reason.strip()
    if not reason:
        raise RuleConflict(breaches)
    if len(reason) > OVERRIDE_REASON_MAX:
        raise ServiceError({"override_reason": f"Keep the reason under {OVERRIDE_REASON_MAX} characters."})
    return reason


def appointment_errors(start: dt.datetime, now: dt.datetime) -> dict[str, str]:
    errors: dict[str, str] = {}
    if timezone.is_naive(start):
        errors["start"] = "Give the start time with its UTC offset (e.g. 2026-12-01T10:00:00+05:30)."
        return errors
    if start.minute % GRID_MINUTES or start.second or start.microsecond:
        errors["start"] = f"Appointments start on the quarter hour (every {GRID_MINUTES} minutes)."
    if start < now - dt.timedelta(minutes=GRID_MINUTES):
        errors["start"] = "That time has passed; choose a time from now on."
    return errors


def _free_rooms(practitioner: Practitioner, start: dt.datetime, end: dt.datetime) -> list[Room | None]:
    """The practitioner's active rooms with no claim in [start, end), in the board's order;
    [None] when the clinic tracks no rooms. Raises Conflict when rooms exist but all are taken.
    """
    rooms = rooms_for([practitioner])
    if not rooms:
        return [None]
    taken = set(
        SlotClaim.objects.filter(
            resource__in=[resource("room", r.pk) for r in rooms], unit_start__in=grid_units(start, end)
        ).values_list("resource", flat=True)
    )
    free: list[Room | None] = [r for r in rooms if resource("room", r.pk) not in taken]
    if not free:
        raise _rooms_full(start)
    return free


def _rooms_full(start: dt.datetime) -> Conflict:
    when = start.astimezone(clinic_zone()).strftime("%a %d %b %H:%M")
    return Conflict(f"That time is taken: every treatment room is in use at {when}. Choose another time.")


@retry_when_locked
@transaction.atomic
def appointment_book(
    *,
    actor: Any,
    patient: Patient,
    practitioner: Practitioner,
    type: AppointmentType,
    start: dt.datetime,
    room: Room | None = None,
    plan: TreatmentPlan | None = None,
    status: str = AppointmentStatus.BOOKED,
    note: str = "",
    now: dt.datetime | None = None,
    via: str = "web",
    within_hours: bool = False,
    auto_room: bool = False,
    override_reason: str = "",
) -> Appointment:
    """Book one appointment, or raise Conflict naming what is taken.

    `within_hours` applies the clinic's rules (hours, breaks, leave, holidays): a time
    that breaks one raises RuleConflict unless `override_reason` says why staff book it
    anyway; the reason is kept on the appointment. `auto_room` picks the first free room
    when `room` is None and the clinic has rooms.
    """
    if errors := appointment_errors(start, now or timezone.now()):
        raise ServiceError(errors)
    end = start + dt.timedelta(minutes=type.minutes)
    overridden = rules_check(practitioner, start, end, override_reason) if within_hours else ""
    picking = auto_room and room is None
    for choice in _free_rooms(practitioner, start, end) if picking else [room]:
        appointment = Appointment(
            patient=patient,
            practitioner=practitioner,
            room=choice,
            type=type,
            start=start,
            end=end,
            status=status,
            plan=plan,
            note=note,
            override_reason=overridden,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        try:
            with transaction.atomic():
                appointment.save()
                SlotClaim.objects.bulk_create(claims_for(appointment))
            break
        except IntegrityError:
            taken = _taken(appointment)
            # A concurrent booking took the room we picked, and only the room: try the next free one.
            if not (picking and choice is not None and taken == {resource("room", choice.pk)}):
                raise Conflict(_taken_message(appointment, taken)) from None
    else:
        raise _rooms_full(start)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        entity="appointment",
        entity_id=appointment.public_id,
        patient_id=patient.public_id,
        summary="booked against the clinic's rules (reason on the appointment)" if overridden else "",
        via=via,
    )
    return appointment


@retry_when_locked
@transaction.atomic
def appointment_cancel(*, actor: Any, appointment: Appointment, reason: str = "", via: str = "web") -> Appointment:
    """Cancel a booked or pending appointment and free its slot.

    The status changes by a conditional UPDATE, so of two people cancelling at once
    one succeeds and the other is told it is no longer cancellable.
    """
    user = actor if getattr(actor, "is_authenticated", False) else None
    note = reason or appointment.note
    changed = Appointment.objects.filter(
        pk=appointment.pk, status__in=(AppointmentStatus.BOOKED, AppointmentStatus.PENDING)
    ).update(status=AppointmentStatus.CANCELLED, note=note, updated_by=user, updated_at=timezone.now())
    if not changed:
        raise Conflict("Only a booked or pending appointment can be cancelled.")
    appointment.status, appointment.note, appointment.updated_by = AppointmentStatus.CANCELLED, note, user
    SlotClaim.objects.filter(appointment_id=appointment.pk).delete()  # the slot is free again
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        entity="appointment",
        entity_id=appointment.public_id,
        patient_id=appointment.patient.public_id,
        summary="cancelled",
        via=via,
    )
    return appointment
