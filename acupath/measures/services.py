"""Recording outcome assessments: score with the pure instrument rules, store, audit."""

import datetime as dt
from typing import Any

from django.db import transaction

from acupath.core.audit import audit_record
from acupath.core.errors import ServiceError
from acupath.core.models import AuditAction
from acupath.measures.domain.instruments import UnknownInstrumentError
from acupath.measures.domain.scoring import AnswerError, score
from acupath.measures.models import Assessment
from acupath.patients.models import Patient


@transaction.atomic
def assessment_record(
    *,
    actor: Any,
    patient: Patient,
    instrument: str,
    answers: Any,
    taken_at: dt.datetime,
    context: str = "",
    via: str = "web",
) -> Assessment:
    try:
        result = score(instrument, answers)
    except UnknownInstrumentError:
        raise ServiceError({"instrument": f"Unknown instrument '{instrument}'."}) from None
    except AnswerError as exc:
        raise ServiceError({"answers": str(exc)}) from None
    assessment = Assessment.objects.create(
        patient=patient,
        instrument=instrument,
        taken_at=taken_at,
        answers=answers,
        score=result.value,
        scorable=result.scorable,
        band=result.band or "",
        risk=result.risk or "",
        distress_subscale=result.distress_subscale,
        context=context,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        entity="assessment",
        entity_id=assessment.public_id,
        patient_id=patient.public_id,
        summary=instrument,
        via=via,
    )
    return assessment
