"""Scheduling API: practitioners, appointment types, availability, booking and course booking."""

import datetime as dt
import uuid
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Status

from acupath.accounts.permissions import Capability
from acupath.clinic.models import Practitioner, Room
from acupath.clinic.selectors import clinic_zone
from acupath.core.audit import audit_record
from acupath.core.errors import ServiceError
from acupath.core.models import AuditAction
from acupath.patients.access import access_patient_by_id
from acupath.scheduling.access import (
    access_appointment_by_id,
    access_plan_by_id,
    access_visit_by_id,
    require_booker,
    require_schedule_viewer,
)
from acupath.scheduling.domain.calendar import Slot
from acupath.scheduling.domain.visit import minutes_early, minutes_late
from acupath.scheduling.models import Appointment
from acupath.scheduling.schemas import (
    AppointmentIn,
    AppointmentMoveIn,
    AppointmentOut,
    AppointmentTypeOut,
    AvailabilityOut,
    AvailabilityQuery,
    BookCourseIn,
    CheckInIn,
    CourseOut,
    DepartureIn,
    PractitionerOut,
)
from acupath.scheduling.selectors import booking_warnings, diary_load, rooms_for
from acupath.scheduling.selectors.course import course_propose, treatment_type
from acupath.scheduling.selectors.lookups import (
    appointment_type_by_ref,
    appointment_types,
    course_practitioners,
    ids_to_public,
    practitioner_by_ref,
    practitioners_active,
    room_by_ref,
    window,
)
from acupath.scheduling.services import (
    appointment_arrive,
    appointment_book,
    appointment_check_in,
    appointment_record_departure,
)
from acupath.scheduling.services.course import ChosenSlot, course_book
from acupath.scheduling.services.moves import appointment_move

router = Router(tags=["scheduling"])


def _local(moment: dt.datetime | None, zone: Any) -> dt.datetime | None:
    return moment.astimezone(zone) if moment else None


def appointment_payload(a: Appointment) -> dict[str, Any]:
    zone = clinic_zone()
    return {
        "id": a.public_id,
        "patient": a.patient.public_id,
        "practitioner": a.practitioner.public_id,
        "type": a.type.code,
        "room": a.room.public_id if a.room else None,
        "start": a.start.astimezone(zone),
        "end": a.end.astimezone(zone),
        "status": a.status,
        "plan": a.plan.public_id if a.plan else None,
        "session": a.session.public_id if a.session_id and a.session else None,
        "arrived_at": _local(a.arrived_at, zone),
        "late_minutes": minutes_late(a.start, a.arrived_at),
        "departed_at": _local(a.departed_at, zone),
        "early_minutes": minutes_early(a.end, a.departed_at),
        "departure_note": a.departure_note,
        "override_reason": a.override_reason,
        "warnings": [],
    }


def _slots_out(slots: list[Slot]) -> list[dict[str, Any]]:
    practitioners = ids_to_public(Practitioner, {int(s.practitioner_id) for s in slots})
    rooms = ids_to_public(Room, {int(s.room_id) for s in slots if s.room_id})
    return [
        {
            "start": s.start,
            "end": s.end,
            "practitioner": practitioners[int(s.practitioner_id)],
            "room": rooms[int(s.room_id)] if s.room_id else None,
        }
        for s in slots
    ]


@router.get("/practitioners", response=list[PractitionerOut])
def list_practitioners(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {"id": p.public_id, "name": p.display_name, "qualifications": p.qualifications} for p in practitioners_active()
    ]


@router.get("/appointment-types", response=list[AppointmentTypeOut])
def list_appointment_types(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "id": t.public_id,
            "code": t.code,
            "name": t.name,
            "kind": t.kind,
            "minutes": t.minutes,
            "bookable_online": t.bookable_online,
        }
        for t in appointment_types()
    ]


@router.get("/availability", response=AvailabilityOut)
def get_availability(request: HttpRequest, params: Query[AvailabilityQuery]) -> dict[str, Any]:
    require_schedule_viewer(request.user)
    kind = appointment_type_by_ref(params.type)
    who = [practitioner_by_ref(params.practitioner)] if params.practitioner else practitioners_active()
    start, end = window(params.from_, params.to, clinic_zone(), timezone.now())
    rooms = rooms_for(who)
    slots = diary_load(practitioners=who, appointment_type=kind, start=start, end=end, rooms=rooms or None).slots()
    return {"slots": _slots_out(slots)}


@router.post("/appointments", response={201: AppointmentOut})
def book_appointment(request: HttpRequest, payload: AppointmentIn) -> Status[dict[str, Any]]:
    require_booker(request.user)
    patient = access_patient_by_id(request.user, payload.patient, Capability.BOOK_APPOINTMENTS)
    kind = appointment_type_by_ref(payload.type)
    appointment = appointment_book(
        actor=request.user,
        patient=patient,
        practitioner=practitioner_by_ref(payload.practitioner),
        type=kind,
        start=payload.start,
        room=room_by_ref(payload.room),
        note=payload.note,
        via="api",
        within_hours=True,
        auto_room=True,
        override_reason=payload.override_reason,
    )
    return Status(201, appointment_payload(appointment) | {"warnings": booking_warnings(patient, kind.kind)})


@router.post("/appointments/{appointment_id}/move", response=AppointmentOut)
def move_appointment(request: HttpRequest, appointment_id: uuid.UUID, payload: AppointmentMoveIn) -> dict[str, Any]:
    """Move to another time, practitioner or room: the same rules and slot claims as booking (409 when
    refused, the appointment unchanged); the patient is e-mailed the new time."""
    require_booker(request.user)
    appointment = access_appointment_by_id(request.user, appointment_id, Capability.BOOK_APPOINTMENTS)
    moved = appointment_move(
        actor=request.user,
        appointment=appointment,
        start=payload.start,
        practitioner=practitioner_by_ref(payload.practitioner) if payload.practitioner else None,
        room=room_by_ref(payload.room),
        override_reason=payload.override_reason,
        via="api",
    )
    return appointment_payload(moved)


@router.post("/plans/{plan_id}/book-course", response={200: CourseOut, 201: CourseOut})
def book_course(request: HttpRequest, plan_id: uuid.UUID, payload: BookCourseIn) -> Status[dict[str, Any]]:
    require_booker(request.user)
    plan = access_plan_by_id(request.user, plan_id, Capability.BOOK_APPOINTMENTS)
    kind = appointment_type_by_ref(payload.type) if payload.type else treatment_type(plan.patient.clinic_id)
    if kind is None:
        raise ServiceError({"type": "No appointment types are set up; add one on the Calendars page."})
    who = [practitioner_by_ref(payload.practitioner)] if payload.practitioner else course_practitioners(plan.patient)
    first_day = payload.first_day or timezone.now().astimezone(clinic_zone()).date() + dt.timedelta(days=1)
    offer = course_propose(
        plan=plan,
        appointment_type=kind,
        practitioners=who,
        first_day=first_day,
        preferred_time=payload.preferred_time,
        min_gap_days=payload.min_gap_days,
    )
    body: dict[str, Any] = {
        "plan": plan.public_id,
        "booked": False,
        "min_gap_days": offer.rhythm.min_gap_days,
        "sessions_wanted": offer.wanted,
        "proposal": _slots_out(offer.proposal.slots),
        "unplaced": offer.proposal.unplaced,
        "problems": offer.proposal.problems,
        "appointments": [],
    }
    if not payload.confirm:
        audit_record(
            actor=request.user,
            action=AuditAction.READ,
            entity="course_proposal",
            entity_id=plan.public_id,
            patient_id=plan.patient.public_id,
            via="api",
        )
        return Status(200, body)
    if payload.sessions is not None:
        chosen = [
            ChosenSlot(
                start=s.start,
                practitioner=practitioner_by_ref(s.practitioner, f"sessions.{n}.practitioner"),
                room=room_by_ref(s.room, f"sessions.{n}.room"),
            )
            for n, s in enumerate(payload.sessions)
        ]
    else:
        chosen = [
            ChosenSlot(
                start=s.start,
                practitioner=offer.practitioners[s.practitioner_id],
                room=offer.rooms.get(s.room_id or ""),
            )
            for s in offer.proposal.slots
        ]
    booked = course_book(
        actor=request.user,
        plan=plan,
        appointment_type=kind,
        slots=chosen,
        min_gap_days=offer.rhythm.min_gap_days,
        via="api",
    )
    body |= {"booked": True, "appointments": [appointment_payload(a) for a in booked]}
    return Status(201, body)


# ---------------------------------------------------------------------------------------------
# The visit: arrival, check-in, no-show, early departure (each move audited; illegal ones 409)


@router.get("/appointments/{appointment_id}", response=AppointmentOut)
def get_appointment(request: HttpRequest, appointment_id: uuid.UUID) -> dict[str, Any]:
    appointment = access_visit_by_id(request.user, appointment_id, Capability.VIEW_DEMOGRAPHICS)
    audit_record(
        actor=request.user,
        action=AuditAction.READ,
        entity="appointment",
        entity_id=appointment.public_id,
        patient_id=appointment.patient.public_id,
        via="api",
    )
    return appointment_payload(appointment)


@router.post("/appointments/{appointment_id}/arrive", response=AppointmentOut)
def arrive(request: HttpRequest, appointment_id: uuid.UUID) -> dict[str, Any]:
    appointment = access_visit_by_id(request.user, appointment_id, Capability.BOOK_APPOINTMENTS)
    return appointment_payload(appointment_arrive(actor=request.user, appointment=appointment, via="api"))


@router.post("/appointments/{appointment_id}/check-in", response=AppointmentOut)
def check_in(request: HttpRequest, appointment_id: uuid.UUID, payload: CheckInIn) -> dict[str, Any]:
    appointment = access_visit_by_id(request.user, appointment_id, Capability.BOOK_APPOINTMENTS)
    room = room_by_ref(payload.room)
    checked_in = appointment_check_in(actor=request.user, appointment=appointment, room=room, via="api")
    return appointment_payload(checked_in)


@router.post("/appointments/{appointment_id}/departure", response=AppointmentOut)
def departure(request: HttpRequest, appointment_id: uuid.UUID, payload: DepartureIn) -> dict[str, Any]:
    appointment = access_visit_by_id(request.user, appointment_id, Capability.BOOK_APPOINTMENTS)
    left = appointment_record_departure(
        actor=request.user, appointment=appointment, at=payload.at, note=payload.note, via="api"
    )
    return appointment_payload(left)
