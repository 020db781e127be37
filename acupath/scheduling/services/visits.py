"""The visit itself: arrival, check-in to a room, the session closing, no-show, early departure.

Every move follows `domain.visit.ALLOWED` and is a conditional UPDATE from the status it was read
in, so of two people moving one appointment at once one succeeds and the other is told to reload.
Each move writes one audit event. Check-in opens the practitioner's session through
`session_start` (its safety and consent checks included) and links it to the appointment; the
desk does this without gaining any clinical read: it never opens the session itself.
"""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from acupath.accounts.permissions import Capability, can
from acupath.clinic.models import Room
from acupath.clinic.selectors import clinic_zone
from acupath.core.audit import audit_record
from acupath.core.errors import Conflict, ServiceError
from acupath.core.models import AuditAction
from acupath.scheduling.domain.visit import (
    Status,
    minutes_early,
    minutes_late,
    move_refusal,
    no_show_warning,
)
from acupath.scheduling.enums import AppointmentStatus
from acupath.scheduling.models import Appointment, SlotClaim
from acupath.scheduling.selectors.visits import check_in_rooms
from acupath.treatment.enums import SessionStatus
from acupath.treatment.models import TreatmentSession
from acupath.treatment.services import session_start


def _audit(actor: Any, appointment: Appointment, summary: str, via: str) -> None:
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        entity="appointment",
        entity_id=appointment.public_id,
        patient_id=appointment.patient.public_id,
        summary=summary,
        via=via,
    )


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _move(actor: Any, appointment: Appointment, target: Status, now: dt.datetime, **fields: Any) -> None:
    """Move the status (refused as the table says), only if nobody moved it since it was read."""
    current = Status(appointment.status)
    if why := move_refusal(current, target):
        raise Conflict(why)
    moved = Appointment.objects.filter(pk=appointment.pk, status=current).update(
        status=target, updated_at=now, updated_by=_user(actor), **fields
    )
    if not moved:
        raise Conflict("Someone has just changed this appointment; reload the page.")
    appointment.status = AppointmentStatus(target)
    for name, value in fields.items():
        setattr(appointment, name, value)


def _local_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(clinic_zone()).date()


@transaction.atomic
def appointment_arrive(
    *, actor: Any, appointment: Appointment, at: dt.datetime | None = None, via: str = "web"
) -> Appointment:
    """The patient is here: they wait until checked in to a room. A late arrival is recorded."""
    at = at or timezone.now()
    if why := move_refusal(Status(appointment.status), Status.ARRIVED):
        raise Conflict(why)
    if _local_day(at) != _local_day(appointment.start):
        day = appointment.start.astimezone(clinic_zone())
        raise Conflict(f"This appointment is on {day:%a %d %b}; mark the patient arrived on that day.")
    _move(actor, appointment, Status.ARRIVED, at, arrived_at=at)
    late = minutes_late(appointment.start, at)
    _audit(actor, appointment, f"arrived {late} min late" if late else "arrived", via)
    return appointment


def _gate_message(actor: Any, exc: Conflict, appointment: Appointment) -> str:
    """What the session's own checks said, for those who may read it; the desk is told whom to ask."""
    if can(actor, Capability.VIEW_CLINICAL):
        return str(exc)
    return (
        f"Not checked in: {appointment.practitioner} must look at this patient's record before the session "
        "can start. The patient stays on the waiting list."
    )


@transaction.atomic
def appointment_check_in(
    *,
    actor: Any,
    appointment: Appointment,
    room: Room | None,
    at: dt.datetime | None = None,
    via: str = "web",
) -> Appointment:
    """Check a waiting patient in to a free room of their practitioner's location.

    Opens the practitioner's session (the shell they record in) and links it to the appointment,
    whose status becomes in session. Refused unless the patient has arrived.
    """
    at = at or timezone.now()
    if why := move_refusal(Status(appointment.status), Status.IN_SESSION):
        raise Conflict(why)
    rooms = check_in_rooms(appointment.practitioner)
    if room is None and rooms:
        raise ServiceError({"room": "Choose the room the patient goes to."})
    if room is not None:
        here = next((r for r in rooms if r.room.pk == room.pk), None)
        if here is None:
            raise ServiceError({"room": f"{room} is not where {appointment.practitioner} works; choose another."})
        if here.occupied:
            raise ServiceError({"room": f"{room} has a session in progress; choose a free room."})
    if TreatmentSession.objects.filter(patient=appointment.patient, status=SessionStatus.OPEN).exists():
        raise Conflict("This patient already has a session in progress; it must be closed first.")
    try:
        session = session_start(
            actor=actor,
            patient=appointment.patient,
            practitioner=appointment.practitioner,
            room=room,
            pain_before=None,
            plan=appointment.plan,
            at=at,
            via=via,
        )
    except Conflict as exc:
        raise Conflict(_gate_message(actor, exc, appointment)) from None
    _move(actor, appointment, Status.IN_SESSION, at, session=session)
    _audit(actor, appointment, f"checked in to {room.name}" if room else "checked in", via)
    return appointment


def appointment_attend_for_session(*, actor: Any, session: TreatmentSession, via: str) -> None:
    """The session closed: its appointment (if it has one) is attended, in the same transaction."""
    appointment = Appointment.objects.select_related("patient").filter(session=session).first()
    if appointment is None or appointment.status == AppointmentStatus.ATTENDED:
        return
    _move(actor, appointment, Status.ATTENDED, session.closed_at or timezone.now())
    _audit(actor, appointment, "attended", via)


@transaction.atomic
def appointment_no_show(
    *,
    actor: Any,
    appointment: Appointment,
    confirm_arrived: bool = False,
    now: dt.datetime | None = None,
    via: str = "web",
) -> Appointment:
    """The patient did not come: record it and free the rest of the slot.

    Refused once a session exists (they were treated) and before the appointment's time; for a
    patient marked arrived it needs `confirm_arrived` (they left unseen, or the arrival was wrong).
    """
    now = now or timezone.now()
    current = Status(appointment.status)
    if why := move_refusal(current, Status.NO_SHOW):
        raise Conflict(why)
    if appointment.start > now:
        raise Conflict("This appointment has not started yet; mark it as not attended once its time has come.")
    warning = no_show_warning(current, appointment.arrived_at and appointment.arrived_at.astimezone(clinic_zone()))
    if warning and not confirm_arrived:
        raise Conflict(warning)
    _move(actor, appointment, Status.NO_SHOW, now)
    # A no-show no longer holds the practitioner, room or patient (as on cancelling).
    SlotClaim.objects.filter(appointment=appointment).delete()
    _audit(actor, appointment, "no-show after arrival" if warning else "no-show", via)
    return appointment


DEPARTURE_NOTE_MAX = 200


@transaction.atomic
def appointment_record_departure(
    *, actor: Any, appointment: Appointment, at: dt.datetime | None = None, note: str = "", via: str = "web"
) -> Appointment:
    """Record that a patient in session, or seen, left before the booked end (and what they said)."""
    now = timezone.now()
    at = at or now
    if appointment.status not in (AppointmentStatus.IN_SESSION, AppointmentStatus.ATTENDED):
        raise Conflict("A departure is recorded for a patient who was checked in; this one was not.")
    note = note.strip()
    if len(note) > DEPARTURE_NOTE_MAX:
        raise ServiceError({"note": f"Keep the note to {DEPARTURE_NOTE_MAX} characters."})
    if at > now + dt.timedelta(minutes=1):
        raise ServiceError({"at": "A departure is recorded once it has happened; give a time up to now."})
    if appointment.arrived_at and at < appointment.arrived_at:
        arrived = appointment.arrived_at.astimezone(clinic_zone())
        raise ServiceError({"at": f"The patient arrived at {arrived:%H:%M}; give a time after that."})
    early = minutes_early(appointment.end, at)
    if not early:
        end = appointment.end.astimezone(clinic_zone())
        raise ServiceError({"at": f"Leaving at or after the booked end ({end:%H:%M}) is not an early departure."})
    updated = Appointment.objects.filter(pk=appointment.pk, status=appointment.status).update(
        departed_at=at, departure_note=note, updated_at=now, updated_by=_user(actor)
    )
    if not updated:
        raise Conflict("Someone has just changed this appointment; reload the page.")
    appointment.departed_at, appointment.departure_note = at, note
    _audit(actor, appointment, f"left {early} min early", via)
    return appointment
