"""/api/v1/sessions (run a treatment session) and /api/v1/rooms (rooms and the room board).

Practitioners and the owner run sessions; the front desk may read the board without clinical
detail (needle counts are null); patients get 404 for sessions and 403 for the board.
"""

import uuid
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Status

from acupath.accounts.permissions import Capability
from acupath.clinic.models import Practitioner
from acupath.core.audit import audit_record
from acupath.core.errors import ServiceError
from acupath.core.models import AuditAction
from acupath.patients.access import access_patient_by_id
from acupath.planning.models import TreatmentPlan
from acupath.treatment.access import (
    BOARD_LOCATION_KEY,
    access_location_by_id,
    access_room_by_id,
    access_session_by_id,
    board_shows_clinical,
    clinic_of,
    ensure_board,
)
from acupath.treatment.api_adverse import router as adverse_router
from acupath.treatment.models import TreatmentSession
from acupath.treatment.schemas import (
    BoardOut,
    BoardQuery,
    CloseIn,
    NeedlesIn,
    RemovalIn,
    RoomOut,
    SessionOut,
    SessionStartIn,
)
from acupath.treatment.selectors import (
    BoardRoom,
    SessionView,
    board_for_clinic,
    board_for_location,
    board_page,
    session_detail,
)
from acupath.treatment.services import (
    NeedleBatch,
    NeedledPoint,
    SoapNote,
    session_close,
    session_insert_needles,
    session_remove_needles,
    session_start,
)

router = Router(tags=["sessions"])
router.add_router("", adverse_router)


def session_payload(view: SessionView) -> dict[str, Any]:
    s, timer = view.session, view.timer
    return {
        "id": s.public_id,
        "status": s.status,
        "patient": s.patient.public_id,
        "practitioner": s.practitioner.display_name,
        "room": s.room.public_id if s.room else None,
        "plan": s.plan.public_id if s.plan else None,
        "checked_in_at": s.checked_in_at,
        "needles_in_at": s.needles_in_at,
        "needles_out_at": s.needles_out_at,
        "closed_at": s.closed_at,
        "planned_minutes": s.planned_minutes,
        "elapsed_seconds": timer.elapsed_seconds if timer else None,
        "remaining_seconds": timer.remaining_seconds if timer else None,
        "time_up": bool(timer and timer.time_up and s.status == "open"),
        "needles_inserted": s.needles_inserted,
        "needles_removed": s.needles_removed,
        "needles_unrecovered": s.needles_unrecovered,
        "needles_in": s.needles_in,
        "needles_unaccounted": view.outstanding,
        "gauge": s.needle_gauge_mm,
        "length_mm": s.needle_length_mm,
        "lot": s.needle_lot,
        "pain_before": s.pain_before,
        "pain_after": s.pain_after,
        "contact_minutes": s.contact_minutes,
        "points": [
            {
                "code": sp.point_id,
                "side": sp.side,
                "count": sp.needles,
                "from_plan": sp.from_plan,
                "electro": sp.electro,
                "techniques": sp.techniques,
                "depth_mm": sp.depth_mm,
                "angle": sp.angle or None,
                "override_reason": sp.override_reason,
                "warnings": sp.safety_notes,
            }
            for sp in view.needled
        ],
        "deviations": {
            "added": [f"{code} ({side})" for code, side in view.deviations.added],
            "skipped": [f"{code} ({side})" for code, side in view.deviations.skipped],
        },
    }


def _answer(session: TreatmentSession) -> dict[str, Any]:
    return session_payload(session_detail(session))


def _session(request: HttpRequest, session_id: uuid.UUID) -> TreatmentSession:
    return access_session_by_id(request.user, session_id, Capability.EDIT_CLINICAL)


def _practitioner(request: HttpRequest, wanted: uuid.UUID | None) -> Practitioner:
    active = Practitioner.objects.filter(clinic=clinic_of(request.user), active=True)
    if wanted is not None:
        named = active.filter(public_id=wanted).first()
        if named is None:
            raise ServiceError({"practitioner": "No active practitioner of this clinic has that id."})
        return named
    user: Any = request.user  # authenticated by the API (token or session)
    own = active.filter(user=user).first()
    if own is None:
        raise ServiceError({"practitioner": "Your account is not a practitioner: name the practitioner (id)."})
    return own


@router.post("/sessions", response={201: SessionOut})
def start_session(request: HttpRequest, payload: SessionStartIn) -> Status[dict[str, Any]]:
    patient = access_patient_by_id(request.user, payload.patient, Capability.EDIT_CLINICAL)
    room = access_room_by_id(request.user, payload.room) if payload.room else None
    plan = None
    if payload.plan:
        plan = TreatmentPlan.objects.filter(patient=patient, public_id=payload.plan).first()
        if plan is None:
            raise ServiceError({"plan": "This patient has no plan with that id; leave it out to use the active plan."})
    session = session_start(
        actor=request.user,
        patient=patient,
        practitioner=_practitioner(request, payload.practitioner),
        room=room,
        pain_before=payload.pain_before,
        plan=plan,
        planned_minutes=payload.planned_minutes,
        via="api",
    )
    return Status(201, _answer(session))


@router.get("/sessions/{session_id}", response=SessionOut)
def get_session(request: HttpRequest, session_id: uuid.UUID) -> dict[str, Any]:
    session = access_session_by_id(request.user, session_id, Capability.VIEW_CLINICAL)
    audit_record(
        actor=request.user,
        action=AuditAction.READ,
        entity="treatment_session",
        entity_id=session.public_id,
        patient_id=session.patient.public_id,
        via="api",
    )
    return _answer(session)


@router.post("/sessions/{session_id}/needles", response=SessionOut)
def insert_needles(request: HttpRequest, session_id: uuid.UUID, payload: NeedlesIn) -> dict[str, Any]:
    session = _session(request, session_id)
    batch = NeedleBatch(
        points=tuple(
            NeedledPoint(
                code=p.code,
                side=p.side,
                count=p.count,
                techniques=tuple(t.value for t in p.techniques),
                depth_mm=p.depth_mm,
                angle=p.angle.value if p.angle else "",
                deqi=p.deqi,
                location_note=p.location_note,
                electro=p.electro,
                override_reason=p.override_reason,
                region=p.region,
            )
            for p in payload.points
        ),
        gauge_mm=payload.gauge,
        length_mm=payload.length_mm,
        lot=payload.lot,
        ea_frequency_hz=payload.ea_frequency_hz,
        ea_intensity=payload.ea_intensity,
        ea_pairs=payload.ea_pairs,
    )
    return _answer(session_insert_needles(actor=request.user, session=session, batch=batch, via="api"))


@router.post("/sessions/{session_id}/removal", response=SessionOut)
def remove_needles(request: HttpRequest, session_id: uuid.UUID, payload: RemovalIn) -> dict[str, Any]:
    session = _session(request, session_id)
    return _answer(session_remove_needles(actor=request.user, session=session, count=payload.count, via="api"))


@router.post("/sessions/{session_id}/close", response=SessionOut)
def close_session(request: HttpRequest, session_id: uuid.UUID, payload: CloseIn) -> dict[str, Any]:
    session = _session(request, session_id)
    soap = SoapNote(
        subjective=payload.subjective, objective=payload.objective, assessment=payload.assessment, plan=payload.note
    )
    closed = session_close(
        actor=request.user,
        session=session,
        pain_after=payload.pain_after,
        contact_minutes=payload.contact_minutes,
        note=payload.note,
        soap=soap,
        via="api",
    )
    return _answer(closed)


@router.get("/rooms", response=list[RoomOut], tags=["rooms"])
def list_rooms(request: HttpRequest) -> list[dict[str, Any]]:
    ensure_board(request.user)
    return [
        {
            "id": b.room.public_id,
            "name": b.room.name,
            "location": b.room.location.name,
            "location_id": b.room.location.public_id,
            "position": b.room.position,
            "occupied": b.occupied,
        }
        for b in board_for_clinic(clinic_of(request.user))
    ]


def board_room_payload(b: BoardRoom, clinical: bool) -> dict[str, Any]:
    s, timer = b.session, b.timer
    return {
        "room": b.room.name,
        "room_id": b.room.public_id,
        "location": b.room.location.name,
        "state": b.state.value,
        "session": s.public_id if s else None,
        "patient": b.patient_name or None,
        "practitioner": b.practitioner_name or None,
        "needles_in": b.needles_in if clinical else None,
        "needle_alert": b.outstanding > 0,
        "started_at": timer.started_at if timer else None,
        "planned_minutes": s.planned_minutes if s else None,
        "elapsed_seconds": timer.elapsed_seconds if timer else None,
        "remaining_seconds": timer.remaining_seconds if timer else None,
        "time_up": bool(timer and timer.time_up),
    }


@router.get("/rooms/board", response=BoardOut, tags=["rooms"])
def room_board(request: HttpRequest, params: Query[BoardQuery]) -> dict[str, Any]:
    """One location's rooms (the same few queries however large the network), or a page of all."""
    ensure_board(request.user)
    now = timezone.now()
    clinical = board_shows_clinical(request.user)
    body: dict[str, Any] = {"now": now, "offset": 0, "limit": None, "next_offset": None}
    if params.location == "all":
        page = board_page(clinic_of(request.user), params.offset, params.limit, now)
        rooms = page.rooms
        body |= {"location": None, "total": page.total, "offset": page.offset, "limit": page.limit}
        body["next_offset"] = page.next_offset
    else:
        remembered = request.session.get(BOARD_LOCATION_KEY) if hasattr(request, "session") else None
        location = access_location_by_id(request.user, params.location, remembered)
        rooms = board_for_location(location, now)
        body |= {"location": location.public_id, "total": len(rooms)}
    audit_record(
        actor=request.user, action=AuditAction.READ, entity="room_board", summary=f"{len(rooms)} rooms", via="api"
    )
    return body | {"rooms": [board_room_payload(b, clinical) for b in rooms]}
