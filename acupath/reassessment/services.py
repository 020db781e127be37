"""Recording the course's re-assessment decision: continue, change or stop, with the verdict."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from acupath.core.audit import audit_record
from acupath.core.errors import Conflict, ServiceError
from acupath.core.models import AuditAction
from acupath.planning.enums import PlanStatus
from acupath.planning.models import TreatmentPlan
from acupath.reassessment.domain.prompt import measure_record
from acupath.reassessment.enums import ReassessmentChoice
from acupath.reassessment.models import ReassessmentDecision
from acupath.reassessment.selectors import reassessment_state

MAX_REASON = 1000


def reassessment_errors(decision: str, reason: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if decision not in ReassessmentChoice.values:
        errors["decision"] = "Choose continue, change or stop."
    if not reason.strip():
        errors["reason"] = "Say why: what the patient reports and what the scores show."
    elif len(reason) > MAX_REASON:
        errors["reason"] = f"Keep the reason under {MAX_REASON} characters ({len(reason)} now)."
    return errors


@transaction.atomic
def reassessment_decide(
    *, actor: Any, plan: TreatmentPlan, decision: str, reason: str, via: str = "web"
) -> ReassessmentDecision:
    """Record the episode's re-assessment decision on the active plan, with the responder status
    as the measures stand now. Refused before the set session and when already decided."""
    if errors := reassessment_errors(decision, reason):
        raise ServiceError(errors)
    if plan.status != PlanStatus.APPROVED:
        raise Conflict("This plan version has been superseded: record the decision on the current plan.")
    state = reassessment_state(plan.patient)
    if state.decision is not None:
        raise Conflict(
            f"The re-assessment of this episode was already decided ({state.decision.get_decision_display()}, "
            f"session {state.decision.session_number}). Change the plan if the patient's course changes again."
        )
    if state.session_number < state.at_session:
        raise Conflict(
            f"The re-assessment is due at session {state.at_session}; this course has had "
            f"{state.session_number}. Record it then (the clinic sets the session in its settings)."
        )
    try:
        with transaction.atomic():
            row = ReassessmentDecision.objects.create(
                patient=plan.patient,
                plan=plan,
                session=state.latest_session,
                session_number=state.session_number,
                episode_start=state.episode_start,
                decision=decision,
                reason=reason.strip(),
                responder_status=state.responder.value,
                measures=[measure_record(m) for m in state.measures],
                decided_at=timezone.now(),
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
    except IntegrityError:
        # Another practitioner recorded this episode's decision a moment ago.
        raise Conflict("The re-assessment was decided a moment ago by someone else; reload the page.") from None
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        entity="reassessment_decision",
        entity_id=row.public_id,
        patient_id=plan.patient.public_id,
        summary=f"session {row.session_number}: {decision}",
        via=via,
    )
    return row
