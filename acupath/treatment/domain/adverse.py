"""The rules an adverse-event record must satisfy, as plain values (codes are the enums' values).

Seriousness and severity are different questions (ICH E2A, 1994, §II.B): severity is how intense
the event was (mild, moderate, severe); seriousness is whether it met a regulatory criterion
(death, life-threatening, hospitalisation, persistent disability, congenital anomaly, medically
important). An event is serious when at least one criterion holds. The consistency rules below
follow from those definitions and the outcome codes of ICH E2B(R3):

- R1 a kind "other" must say what happened (the description is required);
- R2 the death criterion and the outcome "fatal" go together, each requires the other;
- R3 an event that was fatal or life-threatening cannot have been mild or moderate: severity severe;
- R4 a persistent disability is not an outcome "recovered" (use "recovered with lasting effects",
  "not recovered", "recovering" or "unknown");
- R5 free text has length limits (description and follow-up 2000 characters, action taken 1000),
  and the action taken is required.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

__all__ = [
    "ACTION_MAX",
    "ACTION_REQUIRED",
    "DESCRIPTION_MAX",
    "FOLLOW_UP_MAX",
    "AdverseFacts",
    "adverse_event_problems",
    "is_serious",
]

DESCRIPTION_MAX = 2000
ACTION_MAX = 1000
FOLLOW_UP_MAX = 2000
ACTION_REQUIRED = "Say what was done about it, e.g. 'needles removed, laid flat, recovered in 5 minutes'."

OTHER = "other"
DEATH = "death"
LIFE_THREATENING = "life_threatening"
DISABILITY = "disability"
FATAL = "fatal"
RECOVERED = "recovered"
SEVERE = "severe"


@dataclass(frozen=True, slots=True)
class AdverseFacts:
    kind: str
    severity: str
    seriousness: frozenset[str]  # the criteria met; empty: not serious
    outcome: str
    description: str = ""
    action_taken: str = ""
    follow_up: str = ""


def is_serious(criteria: Collection[str]) -> bool:
    """Serious when any ICH E2A criterion is met."""
    return bool(criteria)


def _length(errors: dict[str, str], field: str, text: str, limit: int, what: str) -> None:
    if len(text) > limit:
        errors[field] = f"{what} is {len(text)} characters; shorten it to {limit} or fewer."


def adverse_event_problems(facts: AdverseFacts) -> dict[str, str]:
    """What is inconsistent in the record, by field, in the clinic's words (empty: it is fine)."""
    errors: dict[str, str] = {}
    description = facts.description.strip()
    if facts.kind == OTHER and not description:  # R1
        errors["description"] = "Describe what happened: 'Other' needs a description."
    died = DEATH in facts.seriousness
    if died and facts.outcome != FATAL:  # R2
        errors["outcome"] = "The event resulted in death, so the outcome is 'Fatal'; correct one of the two."
    elif facts.outcome == FATAL and not died:
        errors["seriousness"] = "A fatal outcome is a serious event: tick 'Resulted in death'."
    grave = died or LIFE_THREATENING in facts.seriousness or facts.outcome == FATAL
    if grave and facts.severity != SEVERE:  # R3
        errors["severity"] = "A fatal or life-threatening event is severe: choose 'Severe'."
    if DISABILITY in facts.seriousness and facts.outcome == RECOVERED:  # R4
        errors.setdefault(
            "outcome",
            "A persistent disability is not 'Recovered': choose 'Recovered with lasting effects' or 'Not recovered'.",
        )
    if not facts.action_taken.strip():  # R5
        errors["action_taken"] = ACTION_REQUIRED
    _length(errors, "description", description, DESCRIPTION_MAX, "What happened")
    _length(errors, "action_taken", facts.action_taken.strip(), ACTION_MAX, "Action taken")
    _length(errors, "follow_up", facts.follow_up.strip(), FOLLOW_UP_MAX, "The follow-up note")
    return errors
