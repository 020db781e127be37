"""Recording outcome assessments: score with the pure instrument rules, store, audit."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from acupath.core.audit import audit_record
from acupath.core.errors import ServiceError
from acupath.core.models import AuditAction
from acupath.measures.domain.instruments import InstrumentCode, UnknownInstrumentError, instrument
from acupath.measures.domain.scoring import AnswerError, score
from acupath.measures.models import Assessment
from acupath.patients.models import Patient

# A clock a few minutes fast on a tablet must not make "now" look like the future.
FUTURE_GRACE = dt.timedelta(minutes=10)


@transaction.atomic
def assessment_record(
    *,
    actor: Any,
    patient: Patient,
    instrument: str,
    answers: Any,
    taken_at: dt.datetime | None = None,
    context: str = "",
    starts_episode: bool = False,
    via: str = "web",
) -> Assessment:
    """Score and store one completed instrument.

    ``starts_episode`` marks the pain score of an initial consultation: later assessments are
    compared with the first scorable one of each instrument from there on.
    """
    at = taken_at or timezone.now()
    if timezone.is_naive(at):
        raise ServiceError({"taken_at": "Give the time with its zone (e.g. 2026-03-02T10:30:00+05:30)."})
    if at > timezone.now() + FUTURE_GRACE:
        raise ServiceError({"taken_at": "An assessment cannot be taken in the future; check the date and time."})
    try:
        result = score(instrument, answers)
    except UnknownInstrumentError:
        known = ", ".join(code.value for code in InstrumentCode)
        raise ServiceError({"instrument": f"Unknown instrument '{instrument}'; choose one of {known}."}) from None
    except AnswerError as exc:
        # Names the item, what was expected and what came: "ODI section 3 (Lifting): expected ..."
        raise ServiceError({"answers": str(exc)}) from None
    assessment = Assessment.objects.create(
        patient=patient,
        instrument=instrument,
        taken_at=at,
        answers=answers,
        score=result.value,
        scorable=result.scorable,
        reason=(result.reason or "")[:300],
        band=result.band or "",
        risk=result.risk or "",
        distress_subscale=result.distress_subscale,
        context=context,
        starts_episode=starts_episode,
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


def instrument_text_errors(instrument_code: str, item: int, option: str) -> dict[str, str]:
    """Why a clinic-supplied wording does not fit the instrument's structure (empty when it fits)."""
    try:
        spec = instrument(instrument_code)
    except UnknownInstrumentError:
        return {"instrument": f"Unknown instrument '{instrument_code}'."}
    if item == 0:
        return {"option": "Instrument-wide text (item 0) has no answer option; leave it blank."} if option else {}
    if spec.items and item > len(spec.items):
        return {"item": f"{spec.short_name} has {spec.item_noun}s 1 to {len(spec.items)}; use 0 for the whole form."}
    if not spec.items:
        return {"item": f"{spec.short_name} activities are named by the patient; only item 0 can carry text."}
    if option:
        answer = spec.answer_spec(spec.items[item - 1])
        allowed = _option_codes(answer.type.value, answer.min, answer.max, [o.code for o in answer.options])
        if option not in allowed:
            return {"option": f"For this {spec.item_noun} the answer codes are: {', '.join(allowed)}."}
    return {}


def _option_codes(kind: str, low: int | None, high: int | None, choices: list[str]) -> list[str]:
    if kind == "integer" and low is not None and high is not None:
        return [str(n) for n in range(low, high + 1)]
    if kind == "boolean":
        return ["true", "false"]
    return choices
