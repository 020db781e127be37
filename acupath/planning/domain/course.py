"""How long and how often: the course of sessions a plan proposes, from ``course_rules.yaml``.

The schedules are the ones trials and consensus statements used (clinical reference §3.6), picked
by duration class and severity; the file marks the clinic defaults that no trial tested. The
phases use the scheduler's shape, ``(weeks, per_week)`` counted from the first session.

Severity has three bands (the NRS bands of the HL7 Europe score catalogue, with the Fairbank ODI
bands beside them): severe (NRS 7 or more, or ODI over 40%), moderate (NRS 4-6, or ODI over 20%)
and mild. Either measure is enough to move a patient up a band.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from acupath.planning.domain.facts import BackRegion, DurationClass, LegPain, PatientFacts
from acupath.planning.domain.rules import DATA_DIR, Condition, FrozenModel, Header, load_file

__all__ = [
    "Course",
    "CourseRules",
    "Severity",
    "StratifiedCare",
    "is_severe",
    "load_course_rules",
    "plan_course",
    "severity_of",
    "stratified_care",
]


class Severity(StrEnum):
    MILD = "mild"
    MODERATE = "moderate"
    SEVERE = "severe"


SEVERITY_TEXT = {Severity.MILD: "Mild", Severity.MODERATE: "Moderate", Severity.SEVERE: "Severe"}

# --- course_rules.yaml schema ------------------------------------------------------------------


class Phase(FrozenModel):
    weeks: int = Field(ge=1)
    per_week: int = Field(ge=1, le=7)


class CourseRule(FrozenModel):
    code: str
    when: Condition
    severity: tuple[Severity, ...] = ()  # empty: any severity
    phases: tuple[Phase, ...] = Field(min_length=1)
    rationale: str
    source: str
    unverified: bool = False


class Severe(FrozenModel):
    pain_now_at_least: int = Field(ge=0, le=10)
    odi_percent_above: float = Field(ge=0, le=100)
    source: str


class Moderate(Severe):
    """The lower edge of the moderate band (below it: mild)."""


class Reassessment(FrozenModel):
    after_sessions: tuple[int, ...]
    at_end: bool
    every_session: tuple[str, ...]
    at_reassessment: tuple[str, ...]
    source: str


class SessionCap(FrozenModel):
    max_sessions: int = Field(ge=1)
    window_days: int = Field(ge=7)
    source: str


class Maintenance(FrozenModel):
    interval_weeks: tuple[int, ...]
    unverified: bool
    source: str


class ReferralOption(FrozenModel):
    code: str
    display: str


class RiskGroupCare(FrozenModel):
    risk: Literal["low", "medium", "high"]
    note: str
    referral: ReferralOption | None = None


class StratifiedCareRules(FrozenModel):
    source: str
    groups: tuple[RiskGroupCare, ...]

    @model_validator(mode="after")
    def _every_group(self) -> StratifiedCareRules:
        if sorted(g.risk for g in self.groups) != ["high", "low", "medium"]:
            raise ValueError("stratified care needs exactly one entry per STarT Back group: low, medium, high")
        return self


class CourseRules(Header):
    severe: Severe
    moderate: Moderate
    cap: SessionCap
    reassessment: Reassessment
    maintenance: Maintenance
    courses: tuple[CourseRule, ...] = Field(min_length=1)
    stratified_care: StratifiedCareRules

    @model_validator(mode="after")
    def _covers_every_duration(self) -> CourseRules:
        # Every duration class needs a course at every severity even for the plainest patient,
        # else plan_course would have nothing to answer.
        if not self.moderate.pain_now_at_least < self.severe.pain_now_at_least:
            raise ValueError("the moderate band must start below the severe band")
        if not self.moderate.odi_percent_above < self.severe.odi_percent_above:
            raise ValueError("the moderate ODI edge must be below the severe one")
        for duration in DurationClass:
            for severity in Severity:
                plain = PatientFacts(
                    causes=frozenset(),
                    region=BackRegion.LUMBAR,
                    leg_pain=LegPain.NONE,
                    duration_class=duration,
                    pain_now=0,
                )
                if not any(c.when.matches(plain) and _fits(c, severity) for c in self.courses):
                    raise ValueError(f"no course for a {severity} {duration} patient")
        return self


def _fits(rule: CourseRule, severity: Severity) -> bool:
    return not rule.severity or severity in rule.severity


@cache
def load_course_rules(data_dir: Path = DATA_DIR) -> CourseRules:
    return load_file(CourseRules, "course_rules", data_dir)


# --- planning ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Course:
    code: str  # the course rule used, so a plan can say which schedule it follows
    severity: Severity
    sessions: int
    per_week: int  # the opening frequency (first phase)
    weeks: int
    phases: tuple[tuple[int, int], ...]  # (weeks, per_week)
    reassess_after: tuple[int, ...]  # session numbers
    reassess_instruments: tuple[str, ...]  # instrument codes used at reassessment
    every_session_instruments: tuple[str, ...]  # recorded at every session (NRS)
    maintenance_interval_weeks: tuple[int, ...]  # tapering gaps after the course
    rationale: str
    source: str
    unverified: bool  # the schedule is a clinic default no trial tested
    maintenance_unverified: bool


def is_severe(facts: PatientFacts, severe: Severe) -> bool:
    """At or above a band's lower edge. Either measure is enough: a patient may score high on
    disability with moderate pain."""
    odi_high = facts.odi_percent is not None and facts.odi_percent > severe.odi_percent_above
    return facts.pain_now >= severe.pain_now_at_least or odi_high


def severity_of(facts: PatientFacts, rules: CourseRules) -> Severity:
    if is_severe(facts, rules.severe):
        return Severity.SEVERE
    if is_severe(facts, rules.moderate):
        return Severity.MODERATE
    return Severity.MILD


def plan_course(facts: PatientFacts, rules: CourseRules | None = None, *, reassess_at: int | None = None) -> Course:
    """The course for these facts. ``reassess_at`` is the clinic's re-assessment session (a clinic
    setting); without it the file's ``reassessment.after_sessions`` is used."""
    rules = rules or load_course_rules()
    severity = severity_of(facts, rules)
    # The file guarantees a match for every duration and severity (validated on load).
    rule = next(c for c in rules.courses if c.when.matches(facts) and _fits(c, severity))
    phases, trimmed = _cap(rule.phases, rules.cap)
    sessions = sum(weeks * per_week for weeks, per_week in phases)
    reassessment = rules.reassessment
    after = reassessment.after_sessions if reassess_at is None else (reassess_at,)
    reassess = {n for n in after if n < sessions}
    if reassessment.at_end:
        reassess.add(sessions)
    rationale = " ".join(rule.rationale.split())
    source = " ".join(rule.source.split())
    if trimmed:
        rationale += (
            f" Trimmed to {sessions} sessions: at most {rules.cap.max_sessions} in {rules.cap.window_days} days."
        )
        source += "; " + " ".join(rules.cap.source.split())
    return Course(
        code=rule.code,
        severity=severity,
        sessions=sessions,
        per_week=phases[0][1],
        weeks=sum(weeks for weeks, _ in phases),
        phases=phases,
        reassess_after=tuple(sorted(reassess)),
        reassess_instruments=reassessment.at_reassessment,
        every_session_instruments=reassessment.every_session,
        maintenance_interval_weeks=rules.maintenance.interval_weeks,
        rationale=rationale,
        source=source,
        unverified=rule.unverified,
        maintenance_unverified=rules.maintenance.unverified,
    )


@dataclass(frozen=True, slots=True)
class StratifiedCare:
    """What the patient's STarT Back group adds to the plan (Hill et al. Lancet 2011)."""

    risk: str
    note: str
    referral_code: str | None
    referral_display: str | None
    source: str


def stratified_care(risk: str | None, rules: CourseRules | None = None) -> StratifiedCare | None:
    """The plan's stratified-care note and referral option; None when no STarT Back is scored."""
    if risk is None:
        return None
    rules = rules or load_course_rules()
    group = next((g for g in rules.stratified_care.groups if g.risk == risk), None)
    if group is None:
        raise ValueError(f"unknown STarT Back risk group {risk!r}")
    return StratifiedCare(
        risk=group.risk,
        note=" ".join(group.note.split()),
        referral_code=group.referral.code if group.referral else None,
        referral_display=group.referral.display if group.referral else None,
        source=" ".join(rules.stratified_care.source.split()),
    )


def _cap(phases: Sequence[Phase], cap: SessionCap) -> tuple[tuple[tuple[int, int], ...], bool]:
    """Keep at most `cap.max_sessions` sessions in the first `cap.window_days` days.

    Whole weeks are kept while they fit; the week that would overflow keeps only the sessions
    left, so the course ends exactly at the cap instead of a week early.
    """
    kept: list[tuple[int, int]] = []
    used = 0
    day = 0
    for phase in phases:
        weeks = 0
        for _ in range(phase.weeks):
            in_window = day < cap.window_days
            if in_window and used + phase.per_week > cap.max_sessions:
                if weeks:
                    kept.append((weeks, phase.per_week))
                if cap.max_sessions - used > 0:
                    kept.append((1, cap.max_sessions - used))
                return tuple(kept), True
            weeks += 1
            used += phase.per_week if in_window else 0
            day += 7
        kept.append((weeks, phase.per_week))
    return tuple(kept), False
