"""Red-flag screening for serious spinal pathology (``knowledge/data/red_flags.yaml``).

``evaluate_red_flags(answers)`` turns the answers into alerts, most urgent first. ``True`` (yes)
and ``"unsure"`` are positive (unsure counts as yes for blocking); ``False`` is no; a missing code or
``None`` means not answered. The combination rule (a flag that escalates when another cauda equina
feature is present) is data, not code. Computed flags (age from the birth date) are never asked:
``computed_flags`` works them out; retired flags are no longer asked but still read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from string import Formatter
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, StrictInt, model_validator

DATA_PATH = Path(__file__).resolve().parents[2] / "knowledge" / "data" / "red_flags.yaml"

#: Every same-day cauda equina action must say this, so that nobody can miss it.
CES_EMERGENCY_PHRASE = "urgent referral, same day"

UNSURE = "unsure"

#: An answer as stored and accepted: yes (True), no (False), "unsure", or not answered (None).
Answer = bool | Literal["unsure"] | None


class Urgency(StrEnum):
    EMERGENCY = "emergency"  # same day
    URGENT = "urgent"  # within 2 weeks
    SOON = "soon"  # within a few weeks, before treating the area
    ROUTINE = "routine"

    @property
    def rank(self) -> int:
        """0 is the most urgent."""
        return list(Urgency).index(self)

    @property
    def blocks_until_cleared(self) -> bool:
        """A referral at this tier holds planning and needling until its outcome clears them."""
        return self in (Urgency.EMERGENCY, Urgency.URGENT)

    @property
    def label(self) -> str:
        return TIER_LABELS[self]


TIER_LABELS = {
    Urgency.EMERGENCY: "emergency (same day)",
    Urgency.URGENT: "urgent (within 2 weeks)",
    Urgency.SOON: "soon (within a few weeks)",
    Urgency.ROUTINE: "routine",
}


class Category(StrEnum):
    CAUDA_EQUINA = "cauda_equina"
    CORD = "cord"
    NEUROLOGICAL = "neurological"
    MALIGNANCY = "malignancy"
    INFECTION = "infection"
    FRACTURE = "fracture"
    INFLAMMATORY = "inflammatory"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Escalation(_Model):
    """Raised to this tier and action when another CES feature is also answered yes."""

    tier: Urgency
    action: str


class RedFlag(_Model):
    code: str
    number: int
    title: str
    question: str  # may hold {setting} placeholders
    category: Category
    ces_feature: bool
    tier: Urgency
    action: str
    source: str
    escalation: Escalation | None = None
    computed: Literal["age_over", "age_under"] | None = None
    setting: str | None = None  # the threshold a computed flag compares with
    retired: bool = False

    @property
    def asked(self) -> bool:
        return self.computed is None and not self.retired


class Setting(_Model):
    value: StrictInt
    unverified: bool
    note: str


class PatientAdvice(_Model):
    """What the patient is told to do after answering yes, by the most urgent answer."""

    cauda_equina: str
    emergency: str
    urgent: str
    soon: str
    routine: str


class RedFlagCatalogue(_Model):
    dataset: Literal["red_flags"]
    version: int
    source: str
    licence: str
    patient_advice: PatientAdvice
    settings: dict[str, Setting]
    flags: tuple[RedFlag, ...]

    @model_validator(mode="after")
    def _check(self) -> RedFlagCatalogue:
        codes = [flag.code for flag in self.flags]
        if len(set(codes)) != len(codes):
            raise ValueError("red flag codes must be unique")
        if [flag.number for flag in self.flags] != list(range(1, len(self.flags) + 1)):
            raise ValueError("red flags must be numbered 1..n in order")
        for flag in self.flags:
            fields = {name for _, name, _, _ in Formatter().parse(flag.question) if name}
            unknown = fields - set(self.settings)
            if unknown:
                raise ValueError(f"{flag.code}: question uses unknown settings {sorted(unknown)}")
            if (flag.computed is None) != (flag.setting is None):
                raise ValueError(f"{flag.code}: a computed flag names its setting, and only a computed one")
            if flag.setting is not None and flag.setting not in self.settings:
                raise ValueError(f"{flag.code}: unknown setting {flag.setting!r}")
            for urgency, action in _tiers(flag):
                if (
                    flag.category is Category.CAUDA_EQUINA
                    and urgency is Urgency.EMERGENCY
                    and CES_EMERGENCY_PHRASE not in action.lower()
                ):
                    raise ValueError(f"{flag.code}: a CES emergency action must say {CES_EMERGENCY_PHRASE!r}")
        return self

    def flag(self, code: str) -> RedFlag:
        for candidate in self.flags:
            if candidate.code == code:
                return candidate
        raise KeyError(f"unknown red flag {code!r}")

    def question_text(self, flag: RedFlag) -> str:
        values = {name: setting.value for name, setting in self.settings.items()}
        return " ".join(flag.question.format(**values).split())

    def setting_value(self, name: str) -> int:
        return self.settings[name].value

    def with_settings(self, **values: int) -> RedFlagCatalogue:
        """A copy with some settings changed (e.g. first_episode_age_over=55)."""
        settings = dict(self.settings)
        for name, value in values.items():
            if name not in settings:
                raise KeyError(f"no red-flag setting {name!r}")
            settings[name] = settings[name].model_copy(update={"value": value})
        return self.model_copy(update={"settings": settings})


def _tiers(flag: RedFlag) -> list[tuple[Urgency, str]]:
    tiers = [(flag.tier, flag.action)]
    if flag.escalation is not None:
        tiers.append((flag.escalation.tier, flag.escalation.action))
    return tiers


@dataclass(frozen=True, slots=True)
class Question:
    code: str
    number: int
    text: str
    category: Category
    tier: Urgency = Urgency.ROUTINE
    title: str = ""


@dataclass(frozen=True, slots=True)
class Alert:
    flag: str
    question: str
    category: Category
    urgency: Urgency
    action: str
    title: str = ""
    answer: str = "yes"  # "yes", "unsure" or "computed"

    @property
    def tier(self) -> Urgency:
        return self.urgency


@cache
def load_red_flags(path: Path = DATA_PATH) -> RedFlagCatalogue:
    """Read and validate the red-flag catalogue (cached per path)."""
    with path.open(encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)
    return RedFlagCatalogue.model_validate(raw)


def _catalogue(catalogue: RedFlagCatalogue | None) -> RedFlagCatalogue:
    return catalogue if catalogue is not None else load_red_flags()


def screening_questions(catalogue: RedFlagCatalogue | None = None) -> list[Question]:
    """The questions to ask, in order, with settings filled in (computed and retired flags are not asked)."""
    data = _catalogue(catalogue)
    return [
        Question(f.code, f.number, data.question_text(f), f.category, f.tier, f.title) for f in data.flags if f.asked
    ]


def missing_answers(answers: Mapping[str, Answer], catalogue: RedFlagCatalogue | None = None) -> list[str]:
    """Codes of the questions to ask that have no yes, no or unsure answer, in question order."""
    return [q.code for q in screening_questions(catalogue) if answers.get(q.code) is None]


def age_on(born: dt.date, on: dt.date) -> int:
    """Age in whole years on a day."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def computed_flags(born: dt.date | None, on: dt.date, catalogue: RedFlagCatalogue | None = None) -> dict[str, str]:
    """The computed flags raised for someone born on ``born``, seen on ``on``, each with its reason.

    ``age_over``: age in whole years above the setting (exactly at the threshold is not over);
    ``age_under``: below it. No birth date, no computed flag.
    """
    if born is None:
        return {}
    data = _catalogue(catalogue)
    age = age_on(born, on)
    raised: dict[str, str] = {}
    for flag in data.flags:
        if flag.computed is None or flag.setting is None or flag.retired:
            continue
        threshold = data.setting_value(flag.setting)
        if flag.computed == "age_over" and age > threshold:
            raised[flag.code] = f"Aged {age} at this consultation (born {born:%d %b %Y}): over {threshold}."
        elif flag.computed == "age_under" and age < threshold:
            raised[flag.code] = f"Aged {age} at this consultation (born {born:%d %b %Y}): under {threshold}."
    return raised


def _check_answers(answers: Mapping[str, Answer], data: RedFlagCatalogue) -> None:
    known = {flag.code for flag in data.flags}
    unknown = sorted(code for code in answers if code not in known)
    if unknown:
        raise ValueError(f"unknown red flag code(s): {', '.join(unknown)}")
    for code, value in answers.items():
        if value is not None and not isinstance(value, bool) and value != UNSURE:
            raise TypeError(f'red flag {code!r}: expected true, false, "unsure" or null, got {value!r}')


def is_positive(answer: Answer) -> bool:
    """Yes or unsure: both raise the flag."""
    return answer is True or answer == UNSURE


def evaluate_red_flags(
    answers: Mapping[str, Answer],
    *,
    catalogue: RedFlagCatalogue | None = None,
) -> list[Alert]:
    """Alerts for every flag answered yes or unsure (or computed and raised), most urgent first, then
    in question order.

    Unknown codes raise ``ValueError`` naming them; a value that is not ``True``/``False``/
    ``"unsure"``/``None`` raises ``TypeError``.
    """
    data = _catalogue(catalogue)
    _check_answers(answers, data)
    positive = [flag for flag in data.flags if is_positive(answers.get(flag.code))]
    ces_positive = {flag.code for flag in positive if flag.ces_feature}
    alerts: list[Alert] = []
    for flag in positive:
        urgency, action = flag.tier, flag.action
        if flag.escalation is not None and ces_positive - {flag.code}:
            urgency, action = flag.escalation.tier, flag.escalation.action
        answer = "computed" if flag.computed else ("unsure" if answers.get(flag.code) == UNSURE else "yes")
        alerts.append(Alert(flag.code, data.question_text(flag), flag.category, urgency, action, flag.title, answer))
    order = {flag.code: flag.number for flag in data.flags}
    return sorted(alerts, key=lambda alert: (alert.urgency.rank, order[alert.flag]))


def is_cauda_equina(alerts: Iterable[Alert]) -> bool:
    """True when the screen suggests cauda equina syndrome needing same-day referral."""
    return any(alert.category is Category.CAUDA_EQUINA and alert.urgency is Urgency.EMERGENCY for alert in alerts)


def highest_urgency(alerts: Iterable[Alert]) -> Urgency | None:
    """The most urgent tier among the alerts, or None when there are none."""
    tiers = [alert.urgency for alert in alerts]
    return min(tiers, key=lambda urgency: urgency.rank) if tiers else None


def advice_for_patient(alerts: Iterable[Alert], catalogue: RedFlagCatalogue | None = None) -> str | None:
    """The one thing to tell a patient who answered yes, by the most urgent answer; None when the
    screen is clear. Suspected cauda equina syndrome has its own, most direct, wording."""
    data = _catalogue(catalogue)
    listed = list(alerts)
    if is_cauda_equina(listed):
        return data.patient_advice.cauda_equina
    urgency = highest_urgency(listed)
    if urgency is None:
        return None
    return str(getattr(data.patient_advice, urgency.value))
