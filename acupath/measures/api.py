"""/api/v1/patients/{id}/assessments: record and list outcome assessments (same services as the UI)."""

import uuid
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status

from acupath.clinic.selectors import clinic_zone
from acupath.measures.access import access_patient_clinical_read, access_patient_clinical_write
from acupath.measures.schemas import AssessmentIn, AssessmentOut
from acupath.measures.selectors import AssessmentRow, assessment_row, assessments_read
from acupath.measures.services import assessment_record

router = Router(tags=["assessments"])


def assessment_out(row: AssessmentRow) -> dict[str, Any]:
    a, change = row.assessment, row.change
    return {
        "id": a.public_id,
        "instrument": a.instrument,
        "taken_at": a.taken_at,
        "score": a.score,
        "scorable": a.scorable,
        "not_scorable_reason": a.reason or None,
        "band": a.band or None,
        "risk": a.risk or None,
        "distress_subscale": a.distress_subscale,
        "context": a.context,
        "is_baseline": row.is_baseline,
        "baseline_status": row.baseline_status,
        "change": None
        if change is None or row.baseline_at is None
        else {
            "baseline": change.baseline,
            "baseline_at": row.baseline_at,
            "from_baseline": change.from_baseline,
            "improvement": change.improvement,
            "percent": change.percent,
            "mcid_met": change.mcid_met,
            "responder": change.responder,
            "mdc": change.mdc,
            "mdc_met": change.mdc_met,
            "activities_compared": list(change.activities_compared),
            "baseline_risk": change.baseline_risk,
            "risk": change.current_risk,
        },
    }


@router.post("/patients/{patient_id}/assessments", response={201: AssessmentOut})
def create_assessment(request: HttpRequest, patient_id: uuid.UUID, payload: AssessmentIn) -> Status[dict[str, Any]]:
    patient = access_patient_clinical_write(request.user, patient_id)
    taken_at = payload.taken_at
    if taken_at is not None and timezone.is_naive(taken_at):
        taken_at = timezone.make_aware(taken_at, clinic_zone())
    assessment = assessment_record(
        actor=request.user,
        patient=patient,
        instrument=payload.instrument,
        answers=payload.answers,
        taken_at=taken_at,
        context="api",
        via="api",
    )
    return Status(201, assessment_out(assessment_row(assessment)))


@router.get("/patients/{patient_id}/assessments", response=list[AssessmentOut])
def list_assessments(request: HttpRequest, patient_id: uuid.UUID) -> list[dict[str, Any]]:
    patient = access_patient_clinical_read(request.user, patient_id)
    return [assessment_out(row) for row in assessments_read(request.user, patient, via="api")]
