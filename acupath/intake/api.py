"""/api/v1: consultations of a patient, and the practitioner's decisions on raised red flags."""

import uuid
from typing import Any, cast

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status

from acupath.accounts.models import User
from acupath.accounts.permissions import Capability
from acupath.clinic.models import Practitioner
from acupath.clinic.selectors import clinic_zone
from acupath.intake.access import access_consultation_by_id
from acupath.intake.models import Consultation, RedFlagReview
from acupath.intake.schemas import ConsultationIn, ConsultationOut, RedFlagDecisionIn, RedFlagDecisionOut
from acupath.intake.selectors import consultation_alerts, consultations_read
from acupath.intake.services import ConsultationInput, History, Lifestyle, consultation_record, red_flag_decide
from acupath.measures.access import access_patient_clinical_read, access_patient_clinical_write

router = Router(tags=["consultations"])


def _decision(review: RedFlagReview | None) -> dict[str, Any] | None:
    if review is None:
        return None
    return {
        "id": review.public_id,
        "flag": review.flag,
        "decision": review.decision,
        "reason": review.reason,
        "decided_at": review.updated_at,
    }


def consultation_out(c: Consultation) -> dict[str, Any]:
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
        "alerts": [
            {
                "flag": v.alert.flag,
                "question": v.alert.question,
                "category": v.alert.category.value,
                "urgency": v.alert.urgency.value,
                "action": v.alert.action,
                "decision": _decision(v.review),
            }
            for v in alerts
        ],
        "open_red_flags": [v.alert.flag for v in alerts if v.review is None],
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
        worse_with=payload.worse_with,
        better_with=payload.better_with,
        tongue=payload.tongue,
        pulse=payload.pulse,
        notes=payload.notes,
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
    return Status(201, consultation_out(consultation))


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
    still_open = [v.alert.flag for v in consultation_alerts(consultation) if v.review is None]
    return Status(
        201,
        {**(_decision(review) or {}), "consultation_id": consultation.public_id, "open_red_flags": still_open},
    )
