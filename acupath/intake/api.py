"""/api/v1: consultations of a patient, the screening questions, the practitioner's decisions on raised
red flags, and the referrals they make (outcome, letter)."""

import uuid
from typing import Any, cast

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Router, Status

from acupath.accounts.models import User
from acupath.accounts.permissions import Capability
from acupath.clinic.models import Practitioner
from acupath.clinic.selectors import clinic_zone
from acupath.core.pdf import pdf_response
from acupath.intake.access import access_consultation_by_id, access_referral_by_id
from acupath.intake.domain.red_flags import Urgency, screening_questions
from acupath.intake.domain.referrals import referral_blocks
from acupath.intake.letters import referral_letter
from acupath.intake.models import Consultation, RedFlagReview, Referral
from acupath.intake.schemas import (
    ConsultationIn,
    ConsultationOut,
    RedFlagDecisionIn,
    RedFlagDecisionOut,
    RedFlagQuestionOut,
    ReferralOut,
    ReferralOutcomeIn,
)
from acupath.intake.screening import red_flag_decide, referral_outcome_record
from acupath.intake.selectors import (
    consultation_alerts,
    consultations_read,
    referral_read,
    treatment_gate,
)
from acupath.intake.services import ConsultationInput, History, Lifestyle, consultation_record
from acupath.measures.access import access_patient_clinical_read, access_patient_clinical_write

router = Router(tags=["consultations"])


def referral_out(r: Referral) -> dict[str, Any]:
    return {
        "id": r.public_id,
        "patient_id": r.patient.public_id,
        "tier": r.tier,
        "destination": r.destination,
        "flags": list(r.flags),
        "made_at": r.created_at,
        "outcome": r.outcome or None,
        "assessed_by": r.assessed_by,
        "assessed_on": r.assessed_on,
        "note": r.outcome_note,
        "blocks_treatment": referral_blocks(Urgency(r.tier), r.outcome),
        "letter_url": f"/api/v1/referrals/{r.public_id}/letter.pdf",
    }


def _decision(review: RedFlagReview | None) -> dict[str, Any] | None:
    if review is None:
        return None
    return {
        "id": review.public_id,
        "flag": review.flag,
        "decision": review.decision,
        "reason": review.reason,
        "decided_at": review.updated_at,
        "referral": referral_out(review.referral) if review.referral_id and review.referral else None,
    }


def consultation_out(c: Consultation, open_flags: list[str] | None = None) -> dict[str, Any]:
    """A consultation; ``open_flags`` defaults to the flags raised here without a decision here."""
    alerts = consultation_alerts(c)
    return {
        "id": c.public_id,
        "patient_id": c.patient.public_id,
        "kind": c.kind,
        "consulted_at": c.consulted_at,
        "causes": c.causes,
        "onset_date": c.onset_date,
        "duration_class": c.duration_class,
        "region": c.region,
        "leg_pain": c.leg_pain,
        "pain_now": c.pain_now,
        "worse_with": c.worse_with,
        "better_with": c.better_with,
        "pattern": c.pattern,
        "tongue": c.tongue,
        "pulse": c.pulse,
        "notes": c.notes,
        "history": {
            "pregnant": c.pregnant,
            "pregnancy_weeks": c.pregnancy_weeks,
            "anticoagulant": c.anticoagulant,
            "bleeding_disorder": c.bleeding_disorder,
            "pacemaker": c.pacemaker,
            "diabetes": c.diabetes,
            "needle_fear": c.needle_fear,
            "peripheral_neuropathy": c.peripheral_neuropathy,
            "metal_allergy": c.metal_allergy,
            "epilepsy": c.epilepsy,
            "immunosuppressed": c.immunosuppressed,
            "skin_lesion_sites": c.skin_lesion_sites,
            "conditions": c.conditions,
            "surgeries": c.surgeries,
            "medications": c.medications,
            "allergies": c.allergies,
        },
        "lifestyle": {
            "work_posture": c.work_posture,
            "activity_level": c.activity_level,
            "sleep": c.sleep,
            "stress": c.stress,
        },
        "red_flags": c.red_flags,
        "red_flag_reasons": c.red_flag_reasons,
        "red_flag_clarifications": c.red_flag_clarifications,
        "alerts": [
            {
                "flag": v.alert.flag,
                "question": v.alert.question,
                "category": v.alert.category.value,
                "urgency": v.alert.urgency.value,
                "title": v.alert.title,
                "answer": v.alert.answer,
                "reason": c.red_flag_reasons.get(v.alert.flag, ""),
                "action": v.alert.action,
                "decision": _decision(v.review),
            }
            for v in alerts
        ],
        "open_red_flags": open_flags if open_flags is not None else [v.alert.flag for v in alerts if v.review is None],
    }


def _input(payload: ConsultationIn) -> ConsultationInput:
    at = payload.consulted_at
    if at is not None and timezone.is_naive(at):
        at = timezone.make_aware(at, clinic_zone())
    return ConsultationInput(
        kind=payload.kind,
        causes=tuple(payload.causes),
        onset_date=payload.onset_date,
        region=payload.region,
        leg_pain=payload.leg_pain,
        pain_now=payload.pain_now,
        pattern=payload.pattern,
        history=History(**{**payload.history.dict(), "skin_lesion_sites": tuple(payload.history.skin_lesion_sites)}),
        lifestyle=Lifestyle(**payload.lifestyle.dict()),
        red_flags=dict(payload.red_flags),
        red_flag_clarifications=dict(payload.red_flag_clarifications),
        worse_with=payload.worse_with,
        better_with=payload.better_with,
        tongue=payload.tongue,
        pulse=payload.pulse,
        notes=payload.notes,
        baseline=dict(payload.baseline),
        consulted_at=at,
    )


@router.post("/patients/{patient_id}/consultations", response={201: ConsultationOut})
def create_consultation(request: HttpRequest, patient_id: uuid.UUID, payload: ConsultationIn) -> Status[dict[str, Any]]:
    patient = access_patient_clinical_write(request.user, patient_id)
    consultation = consultation_record(
        actor=request.user,
        patient=patient,
        practitioner=Practitioner.objects.filter(user=cast(User, request.user)).first(),
        data=_input(payload),
        via="api",
    )
    # Open in the episode, not only here: a flag raised earlier in this back problem stays open.
    gate = treatment_gate(patient)
    return Status(201, consultation_out(consultation, [a.flag for a in gate.open_alerts]))


@router.get("/patients/{patient_id}/consultations", response=list[ConsultationOut])
def list_consultations(request: HttpRequest, patient_id: uuid.UUID) -> list[dict[str, Any]]:
    patient = access_patient_clinical_read(request.user, patient_id)
    return [consultation_out(c) for c in consultations_read(request.user, patient, via="api")]


@router.post("/consultations/{consultation_id}/red-flag-decisions", response={201: RedFlagDecisionOut})
def decide_red_flag(
    request: HttpRequest, consultation_id: uuid.UUID, payload: RedFlagDecisionIn
) -> Status[dict[str, Any]]:
    consultation = access_consultation_by_id(request.user, consultation_id, Capability.EDIT_CLINICAL)
    review = red_flag_decide(
        actor=request.user,
        consultation=consultation,
        flag=payload.flag,
        decision=payload.decision,
        reason=payload.reason,
        via="api",
    )
    # Flags of the patient's current back problem still without an adequate decision.
    still_open = [alert.flag for alert in treatment_gate(consultation.patient).open_alerts]
    return Status(
        201,
        {**(_decision(review) or {}), "consultation_id": consultation.public_id, "open_red_flags": still_open},
    )


@router.get("/red-flags", response=list[RedFlagQuestionOut], tags=["red flags"])
def list_red_flags(request: HttpRequest) -> list[dict[str, Any]]:
    """The screening questions every initial consultation and re-assessment must answer, in order.
    Computed flags (age from the birth date) are not asked and not listed."""
    return [
        {"code": q.code, "number": q.number, "question": q.text, "title": q.title, "tier": q.tier.value,
         "category": q.category.value}
        for q in screening_questions()
    ]  # fmt: skip


@router.get("/referrals/{referral_id}", response=ReferralOut, tags=["red flags"])
def get_referral(request: HttpRequest, referral_id: uuid.UUID) -> dict[str, Any]:
    referral = access_referral_by_id(request.user, referral_id, Capability.VIEW_CLINICAL)
    return referral_out(referral_read(request.user, referral, via="api"))


@router.get("/referrals/{referral_id}/letter.pdf", tags=["red flags"], response={200: None})
def referral_letter_pdf(request: HttpRequest, referral_id: uuid.UUID) -> HttpResponse:
    """The referral letter to the GP or the emergency department (application/pdf)."""
    referral = access_referral_by_id(request.user, referral_id, Capability.VIEW_CLINICAL)
    referral_read(request.user, referral, via="api")
    return pdf_response(referral_letter(referral), f"referral-{referral.created_at:%Y-%m-%d}.pdf")


@router.post("/referrals/{referral_id}/outcome", response=ReferralOut, tags=["red flags"])
def record_referral_outcome(request: HttpRequest, referral_id: uuid.UUID, payload: ReferralOutcomeIn) -> dict[str, Any]:
    referral = access_referral_by_id(request.user, referral_id, Capability.EDIT_CLINICAL)
    saved = referral_outcome_record(
        actor=request.user,
        referral=referral,
        outcome=payload.outcome,
        assessed_by=payload.assessed_by,
        assessed_on=payload.assessed_on,
        note=payload.note,
        via="api",
    )
    return referral_out(saved)
