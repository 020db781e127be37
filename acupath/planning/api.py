"""/api/v1/patients/{id}/plans: draft from the consultation, approve a plan, list its versions."""

import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from acupath.accounts.permissions import Capability
from acupath.core.errors import Conflict, ServiceError
from acupath.knowledge.domain.codes import UnknownPointCode, normalise_code
from acupath.patients.access import access_patient_by_id
from acupath.planning.domain.safety import PlanBlocked
from acupath.planning.schemas import DraftOut, PlanIn, PlanOut, PlanPage
from acupath.planning.selectors import draft_payload, plan_draft, plan_payload, plan_versions
from acupath.planning.services import ELECTRO, PlanInput, PlanPointInput, plan_save

router = Router(tags=["plans"])


@router.post("/{patient_id}/plans/draft", response=DraftOut)
def draft(request: HttpRequest, patient_id: uuid.UUID) -> dict[str, Any]:
    patient = access_patient_by_id(request.user, patient_id, Capability.EDIT_CLINICAL)
    try:
        return draft_payload(plan_draft(patient, actor=request.user, via="api"))
    except PlanBlocked as exc:
        # No plan at all, not even a partial one: the answer names the flags to decide.
        raise Conflict(str(exc)) from None


def _reasons(payload: PlanIn) -> tuple[dict[str, str], str]:
    """Override reasons by WHO code (keys may use any spelling), and the electroacupuncture one."""
    by_code: dict[str, str] = {}
    unknown: list[str] = []
    for key, reason in payload.override_reasons.items():
        if key == ELECTRO:
            continue
        try:
            by_code[normalise_code(key)] = reason
        except UnknownPointCode:
            unknown.append(key)
    if unknown:
        raise ServiceError({"override_reasons": f"Reasons given for unknown point codes: {', '.join(unknown)}."})
    return by_code, payload.override_reasons.get(ELECTRO, "")


def _code(raw: str) -> str:
    try:
        return normalise_code(raw)
    except UnknownPointCode:
        return raw  # the service names it in its refusal


@router.post("/{patient_id}/plans", response={201: PlanOut})
def approve(request: HttpRequest, patient_id: uuid.UUID, payload: PlanIn) -> Status[dict[str, Any]]:
    patient = access_patient_by_id(request.user, patient_id, Capability.EDIT_CLINICAL)
    reasons, electro_reason = _reasons(payload)
    data = PlanInput(
        points=tuple(
            PlanPointInput(
                code=p.code,
                side=p.side,
                role=p.role,
                rationale=p.rationale,
                level=p.level,
                depth_mm=p.depth_mm,
                angle=p.angle.value if p.angle else "",
                override_reason=reasons.get(_code(p.code), ""),
            )
            for p in payload.points
        ),
        retention_minutes=payload.retention_minutes,
        electroacupuncture=payload.electroacupuncture,
        electroacupuncture_reason=electro_reason,
        course=payload.course.dict() if payload.course else None,
        advice=tuple(a.dict() for a in payload.advice) if payload.advice is not None else None,
        notes=payload.notes,
        change_note=payload.change_note,
    )
    plan = plan_save(actor=request.user, patient=patient, consultation=None, data=data, via="api")
    [saved] = [v for v in plan_versions(patient) if v.plan.pk == plan.pk]
    return Status(201, plan_payload(saved))


@router.get("/{patient_id}/plans", response=PlanPage)
def versions(request: HttpRequest, patient_id: uuid.UUID) -> dict[str, Any]:
    patient = access_patient_by_id(request.user, patient_id, Capability.VIEW_CLINICAL)
    items = [plan_payload(v) for v in plan_versions(patient, actor=request.user, via="api")]
    return {"items": items, "count": len(items)}
