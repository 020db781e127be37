"""Writes on red flags: the practitioner's decision on a raised flag, the referral it makes, and the
referral's outcome. Rules in ``domain/referrals.py``; every write audited."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from acupath.core.audit import audit_record
from acupath.core.errors import ServiceError
from acupath.core.models import AuditAction
from acupath.intake.domain.red_flags import Alert, Urgency
from acupath.intake.domain.referrals import Decision, decision_refusal
from acupath.intake.enums import RedFlagDecision, ReferralDestination, ReferralOutcome
from acupath.intake.models import Consultation, RedFlagReview, Referral
from acupath.intake.selectors import episode_alerts, flag_title

REASON_MAX = 1000
ASSESSED_BY_MAX = 120
NOTE_MAX = 1000


def _who(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _raised(consultation: Consultation, flag: str) -> Alert:
    raised = {view.alert.flag: view.alert for view in episode_alerts(consultation)}
    if flag not in raised:
        listed = ", ".join(f"{a.title} ({code})" for code, a in raised.items())
        hint = (
            f" Raised in this back problem: {listed}." if raised else " No red flag was raised for this back problem."
        )
        raise ServiceError({"flag": f"'{flag_title(flag)}' was not raised for this back problem.{hint}"})
    return raised[flag]


def _referral_for(actor: Any, consultation: Consultation, tier: Urgency, flag: str, via: str) -> Referral:
    """A referral waiting for its outcome at this tier takes the flag; otherwise a new one is made."""
    referral = (
        Referral.objects.select_for_update()
        .filter(patient_id=consultation.patient_id, tier=tier.value, outcome="")
        .order_by("-created_at", "-id")
        .first()
    )
    if referral is None:
        referral = Referral.objects.create(
            patient_id=consultation.patient_id,
            consultation=consultation,
            tier=tier.value,
            destination=ReferralDestination.EMERGENCY_DEPARTMENT
            if tier is Urgency.EMERGENCY
            else ReferralDestination.GP,
            flags=[flag],
            created_by=_who(actor),
        )
        action = AuditAction.CREATE
    else:
        if flag not in referral.flags:
            referral.flags = [*referral.flags, flag]
        referral.updated_by = _who(actor)
        referral.save(update_fields=["flags", "updated_by", "updated_at"])
        action = AuditAction.UPDATE
    audit_record(
        actor=actor,
        action=action,
        entity="referral",
        entity_id=referral.public_id,
        patient_id=consultation.patient.public_id,
        summary=f"{tier.value}: {flag}",
        via=via,
    )
    return referral


@transaction.atomic
def red_flag_decide(
    *,
    actor: Any,
    consultation: Consultation,
    flag: str,
    decision: str,
    reason: str,
    via: str = "web",
) -> RedFlagReview:
    """Record the practitioner's decision on a flag raised in the consultation's episode.

    The decision must be at least as urgent as the flag's tier; a referral decision makes (or joins)
    a referral. A decision that made a referral is final: its outcome is recorded on the referral.
    A later decision on the same flag at the same consultation otherwise replaces the earlier one;
    both are in the audit trail."""
    alert = _raised(consultation, flag)
    if decision not in RedFlagDecision.values:
        raise ServiceError({"decision": f"Choose one of: {', '.join(RedFlagDecision.labels)}."})
    if refusal := decision_refusal(alert.urgency, decision, alert.title):
        raise ServiceError({"decision": refusal}, data={"tier": alert.urgency.value})
    reason = reason.strip()
    if not reason:
        raise ServiceError({"reason": "Give the reason for the decision; it is part of the clinical record."})
    if len(reason) > REASON_MAX:
        raise ServiceError({"reason": f"Keep the reason under {REASON_MAX} characters."})
    existing = RedFlagReview.objects.select_for_update().filter(consultation=consultation, flag=flag).first()
    if existing is not None and existing.referral_id is not None:
        raise ServiceError(
            {"decision": "A referral was already made for this flag; record the referral's outcome instead."}
        )
    tier = Decision(decision).referral_tier
    referral = _referral_for(actor, consultation, tier, flag, via) if tier is not None else None
    if existing is None:
        review = RedFlagReview.objects.create(
            consultation=consultation,
            flag=flag,
            decision=decision,
            reason=reason,
            referral=referral,
            created_by=_who(actor),
        )
        action = AuditAction.CREATE
    else:
        existing.decision, existing.reason, existing.referral = decision, reason, referral
        existing.updated_by = _who(actor)
        existing.save(update_fields=["decision", "reason", "referral", "updated_by", "updated_at"])
        review, action = existing, AuditAction.UPDATE
    audit_record(
        actor=actor,
        action=action,
        entity="red_flag_review",
        entity_id=review.public_id,
        patient_id=consultation.patient.public_id,
        summary=f"{flag}: {decision}",
        via=via,
    )
    return review


def referral_outcome_errors(
    referral: Referral, outcome: str, assessed_by: str, assessed_on: dt.date | None, note: str, today: dt.date
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if outcome not in ReferralOutcome.values:
        errors["outcome"] = "Choose the outcome: cleared, confirmed (a serious cause was found) or not attended."
    if not assessed_by.strip():
        errors["assessed_by"] = "Say who assessed the patient (e.g. 'Dr Patel, emergency department')."
    elif len(assessed_by) > ASSESSED_BY_MAX:
        errors["assessed_by"] = f"Keep who assessed the patient under {ASSESSED_BY_MAX} characters."
    made = timezone.localdate(referral.created_at)
    if assessed_on is None:
        errors["assessed_on"] = "Give the date of the assessment (or of the missed appointment)."
    elif assessed_on > today:
        errors["assessed_on"] = "The assessment date cannot be in the future."
    elif assessed_on < made:
        errors["assessed_on"] = f"The assessment cannot be before the referral was made ({made:%d %b %Y})."
    if len(note) > NOTE_MAX:
        errors["note"] = f"Keep the note under {NOTE_MAX} characters."
    return errors


@transaction.atomic
def referral_outcome_record(
    *,
    actor: Any,
    referral: Referral,
    outcome: str,
    assessed_by: str,
    assessed_on: dt.date | None,
    note: str = "",
    via: str = "web",
) -> Referral:
    """Record what the medical assessment found. Only ``cleared`` reopens planning and needling; a
    later outcome replaces an earlier one (e.g. not attended, then cleared), each in the audit trail."""
    referral = Referral.objects.select_for_update().select_related("patient").get(pk=referral.pk)
    assessed_by, note = assessed_by.strip(), note.strip()
    errors = referral_outcome_errors(referral, outcome, assessed_by, assessed_on, note, timezone.localdate())
    if errors:
        raise ServiceError(errors)
    previous = referral.outcome or "pending"
    referral.outcome, referral.assessed_by, referral.assessed_on = outcome, assessed_by, assessed_on
    referral.outcome_note, referral.outcome_recorded_at = note, timezone.now()
    referral.updated_by = _who(actor)
    referral.save()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        entity="referral",
        entity_id=referral.public_id,
        patient_id=referral.patient.public_id,
        summary=f"outcome {previous} -> {outcome}",
        via=via,
    )
    return referral
