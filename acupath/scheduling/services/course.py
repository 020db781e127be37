"""Booking a plan's course, all of it or none of it.

Each session is booked through `appointment_book` (slot claims, calendar check) as a
savepoint inside one transaction: the first session that cannot be booked undoes
every one booked before it, and the refusal names that session and what is taken.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from django.db import transaction

from acupath.clinic.models import AppointmentType, Practitioner, Room
from acupath.clinic.selectors import clinic_zone
from acupath.core.audit import audit_record
from acupath.core.errors import Conflict, ServiceError
from acupath.core.models import AuditAction
from acupath.planning.enums import PlanStatus
from acupath.planning.models import TreatmentPlan
from acupath.scheduling.enums import HOLDING, AppointmentStatus
from acupath.scheduling.models import Appointment
from acupath.scheduling.services.appointments import appointment_book, appointment_cancel, retry_when_locked


@dataclass(frozen=True)
class ChosenSlot:
    """One session as the front desk left it in the proposal."""

    start: dt.datetime
    practitioner: Practitioner
    room: Room | None = None


def _when(start: dt.datetime) -> str:
    return start.astimezone(clinic_zone()).strftime("%a %d %b %H:%M")


def _day(instant: dt.datetime) -> dt.date:
    return instant.astimezone(clinic_zone()).date()


def course_errors(
    slots: Sequence[ChosenSlot], *, standing: Sequence[dt.datetime], min_gap_days: int, sessions_left: int
) -> dict[str, str]:
    """What is wrong with a chosen set of sessions, in words the front desk can act on.

    `standing` are the plan's sessions that stay (held or booked): every chosen session
    must be at least `min_gap_days` local days from its neighbours, old or new.
    """
    if not slots:
        return {"sessions": "Keep at least one session to book."}
    if len(slots) > sessions_left:
        return {"sessions": f"The plan has {sessions_left} session(s) left to book; {len(slots)} were chosen."}
    chosen = sorted(s.start for s in slots)
    number = {start: n for n, start in enumerate(chosen, start=1)}
    timeline = sorted([(start, True) for start in chosen] + [(start, False) for start in standing])
    for (earlier, earlier_new), (later, later_new) in pairwise(timeline):
        if not (earlier_new or later_new):
            continue
        gap = (_day(later) - _day(earlier)).days
        if gap >= min_gap_days:
            continue
        this, other = (later, earlier) if later_new else (earlier, later)
        what = f"session {number[other]}" if other in number else "a session already booked"
        return {
            "sessions": (
                f"Session {number[this]} ({_when(this)}) is {gap} day(s) from {what} ({_when(other)}); "
                f"the plan asks for at least {min_gap_days} days between sessions. Pick another day."
            )
        }
    return {}


def _book_all(
    *,
    actor: Any,
    plan: TreatmentPlan,
    appointment_type: AppointmentType,
    slots: Sequence[ChosenSlot],
    via: str,
) -> list[Appointment]:
    booked: list[Appointment] = []
    for number, slot in enumerate(sorted(slots, key=lambda s: s.start), start=1):
        try:
            booked.append(
                appointment_book(
                    actor=actor,
                    patient=plan.patient,
                    practitioner=slot.practitioner,
                    type=appointment_type,
                    start=slot.start,
                    room=slot.room,
                    plan=plan,
                    via=via,
                    within_hours=True,
                    auto_room=True,
                )
            )
        except Conflict as exc:
            raise Conflict(f"Session {number} ({_when(slot.start)}): {exc} Nothing was booked.") from None
        except ServiceError as exc:
            raise ServiceError(
                {"sessions": f"Session {number} ({_when(slot.start)}): {'; '.join(exc.errors.values())}"}
            ) from None
    return booked


def _standing(plan: TreatmentPlan) -> list[Appointment]:
    return list(Appointment.objects.filter(plan=plan, status__in=HOLDING).order_by("start", "id"))


def _require_active(plan: TreatmentPlan) -> None:
    if plan.status != PlanStatus.APPROVED:
        raise ServiceError("This plan has been superseded; book the course of the current plan.")


@retry_when_locked
@transaction.atomic
def course_book(
    *,
    actor: Any,
    plan: TreatmentPlan,
    appointment_type: AppointmentType,
    slots: Sequence[ChosenSlot],
    min_gap_days: int,
    via: str = "web",
) -> list[Appointment]:
    """Book the chosen sessions of `plan` in one transaction: all of them, or none and a Conflict."""
    _require_active(plan)
    standing = _standing(plan)
    errors = course_errors(
        slots,
        standing=[a.start for a in standing],
        min_gap_days=min_gap_days,
        sessions_left=plan.sessions - len(standing),
    )
    if errors:
        raise ServiceError(errors)
    booked = _book_all(actor=actor, plan=plan, appointment_type=appointment_type, slots=slots, via=via)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        entity="course",
        entity_id=plan.public_id,
        patient_id=plan.patient.public_id,
        summary=f"booked {len(booked)} session(s)",
        via=via,
    )
    return booked


@retry_when_locked
@transaction.atomic
def course_rebook(
    *,
    actor: Any,
    plan: TreatmentPlan,
    cancelled: Appointment,
    appointment_type: AppointmentType,
    slots: Sequence[ChosenSlot],
    min_gap_days: int,
    via: str = "web",
) -> list[Appointment]:
    """Replace the course from a cancelled session on: cancel the later sessions, book `slots`.

    One transaction: if any new session cannot be booked, the later sessions stay booked.
    """
    _require_active(plan)
    if cancelled.plan_id != plan.pk or cancelled.status != AppointmentStatus.CANCELLED:
        raise ServiceError("Rebooking starts from a cancelled session of this plan.")
    cancelled_day = _day(cancelled.start)
    standing = _standing(plan)
    kept = [a for a in standing if _day(a.start) < cancelled_day]
    superseded = [
        a for a in standing if a not in kept and a.status in (AppointmentStatus.BOOKED, AppointmentStatus.PENDING)
    ]
    errors = course_errors(
        slots,
        standing=[a.start for a in kept],
        min_gap_days=min_gap_days,
        sessions_left=plan.sessions - (len(standing) - len(superseded)),
    )
    if not errors and any(_day(s.start) == cancelled_day for s in slots):
        errors = {"sessions": "A new session falls on the day that was cancelled; pick another day."}
    if errors:
        raise ServiceError(errors)
    for appointment in superseded:
        appointment_cancel(actor=actor, appointment=appointment, reason="moved by rebooking the course", via=via)
    booked = _book_all(actor=actor, plan=plan, appointment_type=appointment_type, slots=slots, via=via)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        entity="course",
        entity_id=plan.public_id,
        patient_id=plan.patient.public_id,
        summary=f"rebooked: {len(superseded)} moved, {len(booked)} booked",
        via=via,
    )
    return booked
