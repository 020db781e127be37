"""/api/v1/plans/{id}/reassessment-decisions: the course's continue, change or stop decision.

POST records the episode's decision on the active plan (201), with the responder status as the
measures stand; 409 before the clinic's re-assessment session (default 6), when the plan version
is superseded, or when the episode is already decided. GET lists the patient's decisions.
"""

import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from acupath.core.audit import audit_record
from acupath.core.models import AuditAction
from acupath.reassessment.access import access_plan_by_id, access_plan_for_decision
from acupath.reassessment.models import ReassessmentDecision
from acupath.reassessment.schemas import ReassessmentDecisionIn, ReassessmentDecisionOut
from acupath.reassessment.selectors import decision_payload
from acupath.reassessment.services import reassessment_decide

router = Router(tags=["reassessment"])


@router.post("/plans/{plan_id}/reassessment-decisions", response={201: ReassessmentDecisionOut})
def create_reassessment_decision(
    request: HttpRequest, plan_id: uuid.UUID, payload: ReassessmentDecisionIn
) -> Status[dict[str, Any]]:
    plan = access_plan_for_decision(request.user, plan_id)
    row = reassessment_decide(
        actor=request.user, plan=plan, decision=payload.decision.value, reason=payload.reason, via="api"
    )
    return Status(201, decision_payload(row))


@router.get("/plans/{plan_id}/reassessment-decisions", response=list[ReassessmentDecisionOut])
def list_reassessment_decisions(request: HttpRequest, plan_id: uuid.UUID) -> list[dict[str, Any]]:
    """Every re-assessment decision of the plan's patient, newest first (any plan version)."""
    plan = access_plan_by_id(request.user, plan_id)
    rows = list(ReassessmentDecision.objects.filter(patient=plan.patient).select_related("created_by", "plan"))
    audit_record(
        actor=request.user,
        action=AuditAction.READ,
        entity="reassessment_decision",
        patient_id=plan.patient.public_id,
        summary=f"list of {len(rows)}",
        via="api",
    )
    return [decision_payload(r) for r in rows]
