"""Red-flag screening for serious spinal pathology (``knowledge/data/red_flags.yaml``).

``evaluate_red_flags(answers)`` turns yes/no answers into alerts, most urgent first. Only a ``True``
answer is positive; a missing code or ``None`` means not answered. The combination rule (a flag
that escalates when another cauda equina feature is present) is data, not code.
"""

from __future__ import annotations

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


class Urgency(StrEnum):
    EMERGENCY = "emergency"  # same day
    URGENT = "urgent"  # within 2 weeks
    ROUTINE = "routine"

    @property
    def rank(self) -> int:
        """0 is the most urgent."""
        return list(Urgency).index(self)


class Category(StrEnum):
    CAUDA_EQUINA = "cauda_equina"
    CORD = "cord"
    MALIGNANCY = "malignancy"
    INFECTION = "infection"
    FRACTURE = "fracture"
    INFLAMMATORY = "inflammatory"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Escalation(_Model):
    """Raised to this urgency and action when another CES feature is also answered yes."""

    urgency: Urgency
    action: str


class RedFlag(_Model):
    code: str
    number: int
    question: str  # may hold {setting} placeholders
    category: Category
    ces_feature: bool
    urgency: Urgency
    action: str
    source: str
    escalation: Escalation | None = None


class Setting(_Model):
    value: StrictInt
    unverified: bool
    note: str


class PatientAdvice(_Model):
    """What the patient is told to do after answering yes, by the most urgent answer."""

    cauda_equina: str
    emergency: str
    urgent: str
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

    def with_settings(self, **values: int) -> RedFlagCatalogue:
        """A copy with some settings changed (e.g. first_episode_age_over=55)."""
        settings = dict(self.settings)
        for name, value in values.items():
            if name not in settings:
                raise KeyError(f"no red-flag setting {name!r}")
            settings[name] = settings[name].model_copy(update={"value": value})
        return self.model_copy(update={"settings": settings})


def _tiers(flag: RedFlag) -> list[tuple[Urgency, str]]:
    tiers = [(flag.urgency, flag.action)]
    if flag.escalation is not None:
        tiers.append((flag.escalation.urgency, flag.escalation.action))
    return tiers


@dataclass(frozen=True, slots=True)
class Question:
    code: str
    number: int
    text: str
    category: Category


@dataclass(frozen=True, slots=True)
class Alert:
    flag: str
    question: str
    category: Category
    urgency: Urgency
    action: str


@cache
def load_red_flags(path: Path = DATA_PATH) -> RedFlagCatalogue:
    """Read and validate the red-flag catalogue (cached per path)."""
    with path.open(encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)
    return RedFlagCatalogue.model_validate(raw)


def screening_questions(catalogue: RedFlagCatalogue | None = None) -> list[Question]:
    """The questions to ask, in order, with settings filled in."""
    data = catalogue if catalogue is not None else load_red_flags()
    return [Question(f.code, f.number, data.question_text(f), f.category) for f in data.flags]


def evaluate_red_flags(
    answers: Mapping[str, bool | None],
    *,
    catalogue: RedFlagCatalogue | None = None,
) -> list[Alert]:
    """Alerts for every flag answered yes, most urgent first (then in question order).

    Unknown codes raise ``ValueError`` naming them; a value that is not ``True``/``False``/``None``
    raises ``TypeError``.
    """
    data = catalogue if catalogue is not None else load_red_flags()
    known = {flag.code for flag in data.flags}
    unknown = sorted(code for code in answers if code not in known)
    if unknown:
        raise ValueError(f"unknown red flag code(s): {', '.join(unknown)}")
    for code, value in answers.items():
        if value is not None and not isinstance(value, bool):
            raise TypeError(f"red flag {code!r}: expected true, false or null, got {value!r}")

    positive = [flag for flag in data.flags if answers.get(flag.code) is True]
    ces_positive = {flag.code for flag in positive if flag.ces_feature}
    alerts: list[Alert] = []
    for flag in positive:
        urgency, action = flag.urgency, flag.action
        if flag.escalation is not None and ces_positive - {flag.code}:
            urgency, action = flag.escalation.urgency, flag.escalation.action
        alerts.append(Alert(flag.code, data.question_text(flag), flag.category, urgency, action))
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
    data = catalogue if catalogue is not None else load_red_flags()
    listed = list(alerts)
    if is_cauda_equina(listed):
        return data.patient_advice.cauda_equina
    urgency = highest_urgency(listed)
    if urgency is None:
        return None
    return str(getattr(data.patient_advice, urgency.value))
