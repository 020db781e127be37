"""Writing treatment plans. Each save is a new version; the previous one is superseded."""

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from acupath.core.audit import audit_record
from acupath.core.errors import Conflict, ServiceError
from acupath.core.models import AuditAction
from acupath.intake.models import Consultation
from acupath.intake.selectors import red_flags_open
from acupath.knowledge.selectors import points_in_order
from acupath.patients.models import Patient
from acupath.planning.enums import PlanStatus, PointRole, Side
from acupath.planning.models import PlanPoint, TreatmentPlan


@dataclass(frozen=True)
class PlanPointInput:
    code: str
    side: str
    role: str = PointRole.LOCAL
    rationale: str = ""
    override_reason: str = ""
    location_note: str = ""


@dataclass(frozen=True)
class PlanInput:
    points: tuple[PlanPointInput, ...]
    retention_minutes: int = 25
    electroacupuncture: bool = False
    sessions: int = 10
    per_week: int = 2
    course: dict[str, Any] = field(default_factory=dict)
    advice: tuple[dict[str, str], ...] = ()
    notes: str = ""
    change_note: str = ""


def plan_errors(data: PlanInput) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not data.points:
        errors["points"] = "Choose at least one point."
    for p in data.points:
        if p.side not in Side.values:
            errors["points"] = f"{p.code}: side must be one of {', '.join(Side.values)}."
        if p.role not in PointRole.values:
            errors["points"] = f"{p.code}: role must be one of {', '.join(PointRole.values)}."
    if not 10 <= data.retention_minutes <= 45:
        errors["retention_minutes"] = "Needle retention is usually 20-30 minutes; enter 10 to 45."
    if not 1 <= data.sessions <= 30:
        errors["sessions"] = "A course has 1 to 30 sessions."
    if not 1 <= data.per_week <= 5:
        errors["per_week"] = "Sessions per week: 1 to 5."
    return errors


@transaction.atomic
def plan_save(
    *, actor: Any, patient: Patient, consultation: Consultation | None, data: PlanInput, via: str = "web"
) -> TreatmentPlan:
    """Save an approved plan as the patient's next version."""
    if open_flags := red_flags_open(consultation):
        names = ", ".join(a.flag for a in open_flags)
        raise Conflict(f"Planning is blocked until the red flags are decided: {names}.")
    if errors := plan_errors(data):
        raise ServiceError(errors)
    points = points_in_order([p.code for p in data.points])
    # Lock the patient's plans so two editors cannot both become "version n+1".
    current = TreatmentPlan.objects.select_for_update().filter(patient=patient)
    version = (current.aggregate(v=Max("version"))["v"] or 0) + 1
    current.filter(status=PlanStatus.APPROVED).update(status=PlanStatus.SUPERSEDED, updated_by=actor)
    plan = TreatmentPlan.objects.create(
        patient=patient,
        consultation=consultation,
        version=version,
        approved_at=timezone.now(),
        retention_minutes=data.retention_minutes,
        electroacupuncture=data.electroacupuncture,
        sessions=data.sessions,
        per_week=data.per_week,
        course=data.course,
        advice=list(data.advice),
        notes=data.notes,
        change_note=data.change_note,
        created_by=actor,
    )
    rows: dict[tuple[str, str, str], PlanPoint] = {}
    for position, (p, point) in enumerate(zip(data.points, points, strict=True)):
        rows.setdefault(
            (point.code, p.side, p.location_note),
            PlanPoint(
                plan=plan,
                point=point,
                side=p.side,
                role=p.role,
                rationale=p.rationale,
                override_reason=p.override_reason,
                location_note=p.location_note,
                position=position,
            ),
        )
    PlanPoint.objects.bulk_create(rows.values())
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        entity="treatment_plan",
        entity_id=plan.public_id,
        patient_id=patient.public_id,
        summary=f"version {version}",
        via=via,
    )
    return plan
