"""When a course prompts its re-assessment, and the responder verdict shown beside the decision.

The prompt comes at the clinic's set session (``Clinic.reassessment_session``, default 6; a clinic
default no trial set) and stays until a decision (continue, change or stop) is recorded for the
episode. The verdict follows GERAC (Haake 2007): a patient responds on pain *or* function, each
judged by the responder rule of ``measures.domain.change`` (MCID and the minimal detectable change).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Verdict(StrEnum):
    RESPONDER = "responder"
    NON_RESPONDER = "non_responder"
    NOT_MEASURED = "not_measured"


@dataclass(frozen=True, slots=True)
class MeasureResult:
    """The latest follow-up of one instrument against its baseline."""

    instrument: str
    responder: bool | None  # None: no follow-up since the baseline (or nothing to compare)
    improvement: float | None = None
    percent: float | None = None


def measure_record(result: MeasureResult) -> dict[str, object]:
    """How a result is kept with the decision (JSON)."""
    return {
        "instrument": result.instrument,
        "responder": result.responder,
        "improvement": result.improvement,
        "percent": result.percent,
    }


def reassessment_due(session_number: int, at_session: int, decided: bool) -> bool:
    """The prompt shows from the set session on, until the episode's decision is recorded."""
    if at_session < 1:
        raise ValueError(f"the re-assessment session must be 1 or more, got {at_session}")
    return session_number >= at_session and not decided


def verdict(results: Iterable[MeasureResult]) -> Verdict:
    """Responder when pain or function responds; not measured when nothing was followed up."""
    judged = [r.responder for r in results if r.responder is not None]
    if not judged:
        return Verdict.NOT_MEASURED
    return Verdict.RESPONDER if any(judged) else Verdict.NON_RESPONDER
