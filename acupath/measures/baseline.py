"""The baseline set of an initial consultation: pain (NRS, from the consultation itself), the
clinic's function measure (ODI or RMDQ, ``Clinic.function_measure``) and Keele STarT Back.

NICE NG59 recommends risk stratification at first contact (STarT Back); Ostelo 2008 gives the
MIC of both function measures. A function measure first taken later is shown as a late baseline
(``domain.series``), never silently as the baseline.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from acupath.clinic.selectors import clinic_settings
from acupath.core.errors import ServiceError
from acupath.measures.domain.instruments import InstrumentCode, UnknownInstrumentError, instrument
from acupath.measures.domain.scoring import AnswerError, score
from acupath.measures.models import Assessment
from acupath.measures.services import assessment_record
from acupath.patients.models import Patient

# What a consultation may carry besides its pain score (the NRS comes from pain_now).
BASELINE_INSTRUMENTS = (InstrumentCode.ODI, InstrumentCode.RMDQ, InstrumentCode.STARTBACK, InstrumentCode.PSFS)


def baseline_set_codes() -> tuple[str, str]:
    """The two questionnaires of this clinic's baseline set: its function measure and STarT Back."""
    return (clinic_settings().function_measure, InstrumentCode.STARTBACK.value)


def baseline_errors(baseline: Mapping[str, Any]) -> dict[str, str]:
    """Why the baseline answers cannot be scored (empty when they can): checked before anything
    is written, so a consultation is never saved with half its baseline set."""
    allowed = {c.value for c in BASELINE_INSTRUMENTS}
    problems: list[str] = []
    for code, answers in baseline.items():
        if code not in allowed:
            problems.append(f"'{code}' is not a baseline questionnaire; send {', '.join(sorted(allowed))}")
            continue
        try:
            score(code, answers)
        except (AnswerError, UnknownInstrumentError) as exc:
            problems.append(str(exc))
    return {"baseline": "; ".join(problems) + "."} if problems else {}


def baseline_set_record(
    *, actor: Any, patient: Patient, at: dt.datetime, baseline: Mapping[str, Any], via: str = "web"
) -> list[Assessment]:
    """Record the consultation's baseline questionnaires, taken with it (callers hold the transaction)."""
    if errors := baseline_errors(baseline):
        raise ServiceError(errors)
    return [
        assessment_record(
            actor=actor, patient=patient, instrument=code, answers=answers, taken_at=at, context="consultation", via=via
        )
        for code, answers in baseline.items()
    ]


def baseline_missing(baseline: Mapping[str, Any]) -> list[str]:
    """The clinic's baseline questionnaires not among ``baseline``, by short name."""
    return [instrument(code).short_name for code in baseline_set_codes() if code not in baseline]
