"""Draft a personalised acupuncture plan from the consultation findings.

The draft is decision support for a practitioner who approves or edits it, never a prescription
on its own. Steps, each traceable to a rule in ``prescription_rules.yaml`` or ``safety_rules.yaml``:

1. No plan at all while red flags are unresolved (`PlanBlocked`).
2. Collect points from every group whose condition holds (region, leg pain, cause, pattern),
   merging duplicates: the first role wins, rationales and sources accumulate.
3. Safety check (the same `check_points` used for edits and session start).
4. Cap what is left by priority, so excluded points never take the place of allowed ones.
5. Retention, needle count, electroacupuncture, course and advice.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from acupath.planning.domain.advice import AdviceItem, AdviceRules, advice_for, load_advice_rules
from acupath.planning.domain.course import (
    Course,
    CourseRules,
    StratifiedCare,
    load_course_rules,
    plan_course,
    stratified_care,
)
from acupath.planning.domain.facts import (
    ASHI,
    BodyRegion,
    PatientFacts,
    PointFacts,
    ProposedPoint,
    Role,
    Side,
    Technique,
)
from acupath.planning.domain.rules import (
    DATA_DIR,
    FrozenModel,
    PrescriptionRules,
    PrescriptionSettings,
    SafetyRules,
    load_prescription_rules,
    load_safety_rules,
)
from acupath.planning.domain.safety import (
    Exclusion,
    PlanBlocked,
    SafetyWarning,
    check_points,
    ensure_not_blocked,
)

__all__ = [
    "NO_POINTS_LEFT",
    "Draft",
    "PlanBlocked",
    "PrescribedPoint",
    "RuleSet",
    "collect_points",
    "draft_plan",
    "load_rules",
    "max_needles",
    "needle_count",
    "retention_minutes",
    "suggest_electroacupuncture",
]

_LOCAL_ROLES = (Role.LOCAL, Role.ASHI)
NO_POINTS_LEFT = "no_points_left"


class RuleSet(FrozenModel):
    """All four rules files: what draft_plan needs, loaded together so a test can swap any one."""

    prescription: PrescriptionRules
    safety: SafetyRules
    course: CourseRules
    advice: AdviceRules


@cache
def load_rules(data_dir: Path = DATA_DIR) -> RuleSet:
    return RuleSet(
        prescription=load_prescription_rules(data_dir),
        safety=load_safety_rules(data_dir),
        course=load_course_rules(data_dir),
        advice=load_advice_rules(data_dir),
    )


@dataclass(frozen=True, slots=True)
class PrescribedPoint:
    code: str
    side: Side
    role: Role
    rationale: str  # our own words, citing the source
    source: str
    level: BodyRegion | None = None  # where a multi-level point (EX-B2, Ashi) is needled
    techniques: frozenset[Technique] = frozenset()
    priority: int = 1
    unverified: bool = False

    def as_proposal(self) -> ProposedPoint:
        return ProposedPoint(self.code, self.side, region=self.level, techniques=self.techniques)


@dataclass(frozen=True, slots=True)
class Draft:
    points: tuple[PrescribedPoint, ...]
    excluded: tuple[Exclusion, ...]
    warnings: tuple[SafetyWarning, ...]
    electroacupuncture: bool
    retention_minutes: int
    needle_count: int
    course: Course
    advice: tuple[AdviceItem, ...]
    # Always empty on a returned draft: draft_plan raises PlanBlocked instead. Kept so a stored
    # draft re-checked later (session start) can carry the flags that now block it.
    blocked_by: tuple[str, ...] = ()
    # What the patient's STarT Back group adds (note, referral option); None without a score.
    stratified: StratifiedCare | None = None


def draft_plan(
    facts: PatientFacts,
    points: Mapping[str, PointFacts],
    rules: RuleSet | None = None,
    *,
    startback_risk: str | None = None,
    reassess_at: int | None = None,
) -> Draft:
    """Draft a plan. ``startback_risk`` (low, medium, high) shapes the advice and the referral
    option (stratified care, Hill 2011); ``reassess_at`` is the clinic's re-assessment session."""
    rules = rules or load_rules()
    ensure_not_blocked(facts, rules.safety)
    settings = rules.prescription.settings
    candidates = collect_points(facts, rules.prescription)
    safety = check_points(facts, [c.as_proposal() for c in candidates], points, rules.safety)
    performable = {p.code: p for p in safety.allowed}
    # Carry over what safety changed (withheld techniques) onto the prescribed points.
    allowed = [replace(c, techniques=performable[c.code].techniques) for c in candidates if c.code in performable]
    kept, dropped = _cap(allowed, settings, max_needles(facts, settings))
    kept_codes = {p.code for p in kept}
    warnings = [w for w in safety.warnings if w.code is None or w.code in kept_codes]
    warnings += _distal_only(candidates, safety.excluded, kept)
    if dropped:
        warnings.append(
            SafetyWarning(
                None,
                "point_cap",
                f"Left out to stay within {settings.max_points} points and {max_needles(facts, settings)} needles: "
                f"{', '.join(p.code for p in dropped)}. Add them by hand if wanted.",
                "Point and needle limit",
            )
        )
    if not kept:
        warnings.append(
            SafetyWarning(
                None,
                NO_POINTS_LEFT,
                "The safety rules leave no drafted point for this patient. Add points by hand that the "
                "rules allow, or keep a point under a caution with a recorded reason.",
                "No point left to draft",
            )
        )
    suggested = suggest_electroacupuncture(facts, settings)
    return Draft(
        points=tuple(kept),
        excluded=safety.excluded,
        warnings=tuple(dict.fromkeys(warnings)),
        electroacupuncture=suggested and safety.electroacupuncture_allowed,
        retention_minutes=retention_minutes(facts, settings),
        needle_count=needle_count(kept, settings.ashi_needles),
        course=plan_course(facts, rules.course, reassess_at=reassess_at),
        advice=tuple(advice_for(facts, rules.advice, startback_risk=startback_risk)),
        stratified=stratified_care(startback_risk, rules.course),
    )


def collect_points(facts: PatientFacts, rules: PrescriptionRules) -> list[PrescribedPoint]:
    """Every point the matching groups name, in file order, duplicates merged."""
    merged: dict[str, PrescribedPoint] = {}
    for group in rules.groups:
        if not group.when.matches(facts):
            continue
        for entry in group.points:
            new = PrescribedPoint(
                code=entry.code,
                side=entry.side,
                role=entry.role,
                rationale=entry.rationale,
                source=entry.source,
                level=entry.level,
                techniques=frozenset(entry.techniques),
                priority=entry.priority,
                unverified=entry.unverified,
            )
            old = merged.get(entry.code)
            merged[entry.code] = new if old is None else _merge(old, new)
    return list(merged.values())


def _merge(first: PrescribedPoint, later: PrescribedPoint) -> PrescribedPoint:
    # The first role and side stand (local before pattern, in file order); a point that several
    # rules ask for is at least as important as the most important of them.
    return replace(
        first,
        rationale=_join_text(first.rationale, later.rationale),
        source=_join(first.source, later.source, "; "),
        level=first.level or later.level,
        techniques=first.techniques | later.techniques,
        priority=min(first.priority, later.priority),
        unverified=first.unverified or later.unverified,
    )


def _join_text(text: str, addition: str) -> str:
    """Whole rationales, each once: they are sentences, so they must not be split into words."""
    return text if addition in text else f"{text} {addition}"


def _join(text: str, addition: str, separator: str) -> str:
    parts = text.split(separator)
    new = [part for part in addition.split(separator) if part not in parts]
    return separator.join(parts + new)


def needle_count(points: Iterable[PrescribedPoint], ashi_needles: int) -> int:
    """Needles to insert: bilateral points are two, one side or midline one, Ashi as configured."""
    return sum(_needles(p, ashi_needles) for p in points)


def _needles(point: PrescribedPoint, ashi_needles: int) -> int:
    if point.code == ASHI:
        return ashi_needles
    return 2 if point.side is Side.BOTH else 1


def max_needles(facts: PatientFacts, settings: PrescriptionSettings) -> int:
    """The draft's needle budget: the clinic's maximum, or the needle-fear maximum when afraid."""
    if facts.needle_fear:
        return min(settings.max_needles, settings.needle_fear.max_needles)
    return settings.max_needles


def _cap(
    points: Sequence[PrescribedPoint], settings: PrescriptionSettings, needle_budget: int
) -> tuple[list[PrescribedPoint], list[PrescribedPoint]]:
    """Keep core points first, then supporting, then optional, within both limits.

    Ashi counts towards needles only (Delphi 2021: "6-9 points plus 2-3 Ashi"). A point too big
    for the remaining needle budget is skipped, so a later one-needle midline point may still fit.
    """
    order = sorted(range(len(points)), key=lambda i: (points[i].priority, i))
    chosen: set[int] = set()
    named = needles = 0
    for i in order:
        point = points[i]
        cost = _needles(point, settings.ashi_needles)
        is_named = point.code != ASHI
        if needles + cost > needle_budget or (is_named and named >= settings.max_points):
            continue
        chosen.add(i)
        needles += cost
        named += is_named
    kept = [p for i, p in enumerate(points) if i in chosen]
    dropped = [p for i, p in enumerate(points) if i not in chosen]
    return kept, dropped


def _distal_only(
    candidates: Sequence[PrescribedPoint], excluded: Sequence[Exclusion], kept: Sequence[PrescribedPoint]
) -> list[SafetyWarning]:
    """Say so when safety took away local points: the plan then leans on distal points."""
    excluded_codes = {e.code for e in excluded}
    lost = [c.code for c in candidates if c.role in _LOCAL_ROLES and c.code in excluded_codes]
    if not lost:
        return []
    rules = sorted({e.title for e in excluded if e.code in lost})
    remaining_local = [p.code for p in kept if p.role in _LOCAL_ROLES]
    distal = [p.code for p in kept if p.role not in _LOCAL_ROLES]
    extent = "All local points" if not remaining_local else "Local points"
    return [
        SafetyWarning(
            None,
            "distal_only",
            f"{extent} ({', '.join(lost)}) are excluded ({'; '.join(rules)}), so this plan relies on "
            f"distal points ({', '.join(distal) or 'none left'}): they treat the back along its "
            "channels without needling the excluded area.",
            "Distal points only",
        )
    ]


def retention_minutes(facts: PatientFacts, settings: PrescriptionSettings) -> int:
    retention = settings.retention
    # First visits and anxious patients faint more often (WHO 1999 §3.3): keep them shorter.
    shorter = [retention.default_minutes]
    if facts.first_treatment:
        shorter.append(retention.first_treatment_minutes)
    if facts.needle_fear:
        shorter.append(retention.sensitive_minutes)
        if facts.first_treatment:
            # WHO 1999 §3.3: an anxious first-time patient starts short (clinic setting).
            shorter.append(settings.needle_fear.first_retention_minutes)
    return min(shorter)


def suggest_electroacupuncture(facts: PatientFacts, settings: PrescriptionSettings) -> bool:
    """Whether the rules suggest EA; the safety check may still forbid it."""
    electro = settings.electroacupuncture
    return electro.suggest and any(condition.matches(facts) for condition in electro.when_any)
