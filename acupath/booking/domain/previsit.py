"""The short set of questions a visitor answers before an online booking, and what they mean.

The intake app owns the full pre-visit questionnaire; online booking asks only what the clinic
needs to decide whether a first appointment is safe to offer: why the visitor is coming, how long
the pain has lasted (the duration classes of ``intake.domain.duration``) and the cauda equina
questions of the red-flag catalogue (``knowledge/data/red_flags.yaml``). The wording of those
questions, and which answers mean same-day emergency care, come from the catalogue, so they stay
the same as at intake.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from acupath.intake.domain.duration import DurationClass
from acupath.intake.domain.red_flags import (
    Alert,
    Category,
    Question,
    evaluate_red_flags,
    highest_urgency,
    is_cauda_equina,
    screening_questions,
)

__all__ = ["PAIN_DURATIONS", "Triage", "ces_questions", "triage"]

#: The visitor's choices for "how long has the pain lasted", keyed by duration class, plus "not sure".
PAIN_DURATIONS: tuple[tuple[str, str], ...] = (
    (DurationClass.ACUTE.value, "Less than 6 weeks"),
    (DurationClass.SUBACUTE.value, "6 to 12 weeks"),
    (DurationClass.CHRONIC.value, "More than 12 weeks"),
    ("unsure", "I am not sure"),
)


def ces_questions() -> list[Question]:
    """The cauda equina questions, in catalogue order, worded for the visitor."""
    return [q for q in screening_questions() if q.category is Category.CAUDA_EQUINA]


@dataclass(frozen=True, slots=True)
class Triage:
    emergency: bool  # suspected cauda equina: same-day emergency care, do not book
    urgency: str  # the most urgent tier answered ("emergency", "urgent", "routine") or ""
    alerts: tuple[Alert, ...]


def triage(answers: Mapping[str, bool]) -> Triage:
    """What the visitor's yes/no answers to the cauda equina questions mean.

    A single yes to bladder, bowel, saddle or two-leg weakness questions is an emergency; a yes to
    sexual change alone is urgent but escalates with any other cauda equina feature (the
    catalogue's combination rule). Codes other than the cauda equina ones are refused.
    """
    allowed = {q.code for q in ces_questions()}
    unknown = sorted(set(answers) - allowed)
    if unknown:
        raise ValueError(f"not a cauda equina question: {', '.join(unknown)}")
    alerts = evaluate_red_flags(dict(answers))
    top = highest_urgency(alerts)
    return Triage(emergency=is_cauda_equina(alerts), urgency=top.value if top else "", alerts=tuple(alerts))
