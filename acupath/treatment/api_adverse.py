"""/api/v1 adverse events: record one for a session, read it, follow it up, print its incident
report, and (the clinic owner) see and acknowledge the alerts for serious ones.

Clinical staff only: a patient, the front desk or anyone who cannot see the patient gets 404.
"""

import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status

from acupath.accounts.permissions import Capability
from acupath.core.audit import audit_record
from acupath.core.errors import Forbidden
from acupath.core.models import AuditAction
from acupath.core.pdf import pdf_response
from acupath.treatment.access import (
    access_adverse_event_by_id,
    access_alert_of_event,
    access_session_by_id,
    can_see_owner_alerts,
)
from acupath.treatment.enums import AdverseEventKind
from acupath.treatment.incident_report import incident_report_pdf
from acupath.treatment.models import AdverseEvent
from acupath.treatment.schemas_adverse import (
    AdverseEventIn,
    AdverseEventOut,
    AdverseFollowUpIn,
    AlertAcknowledgeIn,
    OwnerAlertOut,
)
from acupath.treatment.selectors_adverse import owner_alerts_open
from acupath.treatment.services import (
    AdverseEventInput,
    FollowUpInput,
    adverse_alert_acknowledge,
    adverse_event_follow_up,
    adverse_event_record,
)

router = Router(tags=["adverse events"])


def _user_name(user: Any) -> str:
    return (user.get_full_name() or user.username) if user else ""


def event_payload(event: AdverseEvent) -> dict[str, Any]:
    alert = getattr(event, "alert", None)
    return {
        "id": event.public_id,
        "session": event.session.public_id if event.session else None,
        "patient": event.patient.public_id,
        "type": event.kind,
        "type_display": AdverseEventKind(event.kind).label,
        "severity": event.severity,
        "seriousness": event.seriousness,
        "serious": event.is_serious,
        "causality": event.causality,
        "outcome": event.outcome,
        "occurred_at": event.occurred_at,
        "description": event.description,
        "action_taken": event.action_taken,
        "needles": event.needles,
        "follow_up": event.follow_up,
        "followed_up_at": event.followed_up_at,
        "recorded_at": event.created_at,
        "recorded_by": _user_name(event.recorded_by),
        "alert": {
            "id": alert.public_id,
            "raised_at": alert.raised_at,
            "acknowledged_at": alert.acknowledged_at,
            "acknowledged_by": _user_name(alert.acknowledged_by) or None,
            "note": alert.acknowledgement_note,
        }
        if alert
        else None,
    }


def _fresh(request: HttpRequest, event: AdverseEvent) -> dict[str, Any]:
    """The event as stored now (alert included), through the same access check."""
    return event_payload(access_adverse_event_by_id(request.user, event.public_id, Capability.VIEW_CLINICAL))


def _read(request: HttpRequest, event: AdverseEvent, entity: str = "adverse_event") -> None:
    audit_record(
        actor=request.user,
        action=AuditAction.READ,
        entity=entity,
        entity_id=event.public_id,
        patient_id=event.patient.public_id,
        via="api",
    )


@router.post("/sessions/{session_id}/adverse-events", response={201: AdverseEventOut})
def record_adverse_event(request: HttpRequest, session_id: uuid.UUID, payload: AdverseEventIn) -> Status[Any]:
    session = access_session_by_id(request.user, session_id, Capability.EDIT_CLINICAL)
    event = adverse_event_record(
        actor=request.user,
        patient=session.patient,
        session=session,
        data=AdverseEventInput(
            kind=payload.type,
            severity=payload.severity,
            seriousness=frozenset(payload.seriousness),
            causality=payload.causality,
            outcome=payload.outcome,
            action_taken=payload.action_taken,
            description=payload.description,
            occurred_at=payload.occurred_at,
            needles=payload.needles,
        ),
        via="api",
    )
    return Status(201, _fresh(request, event))


@router.get("/adverse-events/{event_id}", response=AdverseEventOut)
def get_adverse_event(request: HttpRequest, event_id: uuid.UUID) -> dict[str, Any]:
    event = access_adverse_event_by_id(request.user, event_id, Capability.VIEW_CLINICAL)
    _read(request, event)
    return event_payload(event)


@router.post("/adverse-events/{event_id}/follow-up", response=AdverseEventOut)
def follow_up_adverse_event(request: HttpRequest, event_id: uuid.UUID, payload: AdverseFollowUpIn) -> dict[str, Any]:
    event = access_adverse_event_by_id(request.user, event_id, Capability.EDIT_CLINICAL)
    data = FollowUpInput(
        outcome=payload.outcome,
        causality=payload.causality,
        seriousness=frozenset(payload.seriousness),
        note=payload.note,
    )
    return _fresh(request, adverse_event_follow_up(actor=request.user, event=event, data=data, via="api"))


@router.get("/adverse-events/{event_id}/incident-report.pdf", response={200: None})
def incident_report(request: HttpRequest, event_id: uuid.UUID) -> HttpResponse:
    event = access_adverse_event_by_id(request.user, event_id, Capability.VIEW_CLINICAL)
    _read(request, event, entity="incident_report")
    return pdf_response(incident_report_pdf(event), f"incident-report-{event.public_id}.pdf")


@router.post("/adverse-events/{event_id}/acknowledge", response=AdverseEventOut)
def acknowledge_alert(request: HttpRequest, event_id: uuid.UUID, payload: AlertAcknowledgeIn) -> dict[str, Any]:
    event = access_adverse_event_by_id(request.user, event_id, Capability.VIEW_CLINICAL)
    alert = access_alert_of_event(request.user, event)
    adverse_alert_acknowledge(actor=request.user, alert=alert, note=payload.note, via="api")
    return _fresh(request, event)


@router.get("/adverse-event-alerts", response=list[OwnerAlertOut])
def owner_alerts(request: HttpRequest) -> list[dict[str, Any]]:
    """The serious adverse events the owner has not yet acknowledged (newest first)."""
    if not can_see_owner_alerts(request.user):
        raise Forbidden("Only the clinic owner sees the alerts for serious adverse events.")
    alerts = owner_alerts_open()
    audit_record(
        actor=request.user,
        action=AuditAction.READ,
        entity="adverse_event_alerts",
        summary=f"{len(alerts.open)} open",
        via="api",
    )
    return [
        {
            "id": a.public_id,
            "event": a.event.public_id,
            "raised_at": a.raised_at,
            "type": a.event.kind,
            "seriousness": a.event.seriousness,
        }
        for a in alerts.open
    ]
