"""Shared rule machinery and the prescription and safety schemas, validated with pydantic.

Clinicians curate ``knowledge/data/*.yaml``; this module gives the files types and refuses one that
would make the engine misbehave (unknown vocabulary, a caution that can only warn, a midline point
drafted on one side, ...). The course and advice schemas live beside their engines (course.py,
advice.py) to keep each module small; `prescribe.RuleSet` bundles all four. Loaders are pure and
cache the default files.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from acupath.planning.domain.facts import (
    ASHI,
    BackRegion,
    BodyRegion,
    Cause,
    DurationClass,
    FactFlag,
    LegPain,
    PatientFacts,
    Pattern,
    PointCaution,
    Role,
    Side,
    Technique,
)

DATA_DIR = Path(__file__).resolve().parents[2] / "knowledge" / "data"


class FrozenModel(BaseModel):
    """Rules are read-only once loaded; unknown keys are typos and are refused."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Header(FrozenModel):
    dataset: str
    version: int = Field(ge=1)
    source: str = Field(min_length=1)
    licence: str = Field(min_length=1)


class Condition(FrozenModel):
    """When a rule applies. Every field given must hold (AND); a list matches any of its values."""

    regions: tuple[BackRegion, ...] = ()
    leg_pain: tuple[LegPain, ...] = ()
    patterns: tuple[Pattern, ...] = ()
    causes_any: tuple[Cause, ...] = ()
    duration: tuple[DurationClass, ...] = ()
    flags_all: tuple[FactFlag, ...] = ()
    flags_any: tuple[FactFlag, ...] = ()
    # Gestational-week windows imply `pregnant`. Unknown weeks match by default: when we do not
    # know the trimester we apply the stricter rule (safe side).
    pregnancy_weeks_below: int | None = None
    pregnancy_weeks_at_least: int | None = None
    unknown_weeks_match: bool = True

    def matches(self, facts: PatientFacts) -> bool:
        checks = (
            not self.regions or facts.region in self.regions,
            not self.leg_pain or facts.leg_pain in self.leg_pain,
            not self.patterns or facts.pattern in self.patterns,
            not self.causes_any or bool(facts.causes & set(self.causes_any)),
            not self.duration or facts.duration_class in self.duration,
            all(facts.flag(f) for f in self.flags_all),
            not self.flags_any or any(facts.flag(f) for f in self.flags_any),
        )
        return all(checks) and self._weeks_match(facts)

    def _weeks_match(self, facts: PatientFacts) -> bool:
        if self.pregnancy_weeks_below is None and self.pregnancy_weeks_at_least is None:
            return True
        if not facts.pregnant:
            return False
        weeks = facts.pregnancy_weeks
        if weeks is None:
            return self.unknown_weeks_match
        below = self.pregnancy_weeks_below
        at_least = self.pregnancy_weeks_at_least
        return (below is None or weeks < below) and (at_least is None or weeks >= at_least)


# --- prescription_rules.yaml -------------------------------------------------------------------


class PointEntry(FrozenModel):
    code: str = Field(min_length=2)
    side: Side
    role: Role
    priority: int = Field(ge=1, le=3)  # 1 core, 2 supporting, 3 optional: the cap drops 3s first
    level: BodyRegion | None = None  # where a multi-level point (EX-B2, Ashi) is needled
    techniques: tuple[Technique, ...] = ()
    rationale: str = Field(min_length=10)
    source: str = Field(min_length=3)
    unverified: bool = False

    @model_validator(mode="after")
    def _check(self) -> PointEntry:
        if (self.code == ASHI) != (self.role is Role.ASHI):
            raise ValueError(f"{self.code}: role 'ashi' is for the Ashi pseudo-point only")
        if self.code == ASHI and self.level is None:
            raise ValueError("an Ashi entry needs the `level` (body region) where it is needled")
        midline = self.code.startswith(("GV", "CV")) or self.code == "EX-HN3"
        if midline != (self.side is Side.MIDLINE):
            raise ValueError(f"{self.code}: midline points (GV, CV, EX-HN3) and only they are 'midline'")
        if self.unverified != ("UNVERIFIED" in self.source):
            raise ValueError(f"{self.code}: `unverified: true` and 'UNVERIFIED' in source go together")
        return self


class PointGroup(FrozenModel):
    code: str
    when: Condition
    points: tuple[PointEntry, ...] = Field(min_length=1)


class Retention(FrozenModel):
    default_minutes: int
    first_treatment_minutes: int
    sensitive_minutes: int  # needle fear
    min_minutes: int
    max_minutes: int
    source: str

    @model_validator(mode="after")
    def _in_range(self) -> Retention:
        values = (self.default_minutes, self.first_treatment_minutes, self.sensitive_minutes)
        if not all(self.min_minutes <= v <= self.max_minutes for v in values):
            raise ValueError(f"retention minutes must lie within {self.min_minutes}-{self.max_minutes}")
        return self


# Minutes a plan or a session may keep needles in, whatever the files say: under 10 minutes is not
# a treatment dose in any trial of the clinical reference (Cherkin 20, GERAC and Delphi 30), and
# over an hour leaves a patient alone with needles in. Plans, sessions, forms and API refuse
# anything outside (clinic decision, issue 12).
RETENTION_LIMITS = (10, 60)


class NeedleFear(FrozenModel):
    """Settings for a patient who is afraid of needles: fewer needles, lying down, a short start."""

    max_needles: int = Field(ge=1)
    first_retention_minutes: int = Field(ge=RETENTION_LIMITS[0], le=RETENTION_LIMITS[1])
    source: str
    unverified: bool = False


class Electroacupuncture(FrozenModel):
    suggest: bool
    when_any: tuple[Condition, ...]
    unverified: bool
    source: str


class PrescriptionSettings(FrozenModel):
    max_points: int = Field(ge=1)  # named points; Ashi is counted in needles only (Delphi 2021)
    max_needles: int = Field(ge=1)
    ashi_needles: int = Field(ge=1, le=3)
    retention: Retention
    needle_fear: NeedleFear
    electroacupuncture: Electroacupuncture
    source: str

    @model_validator(mode="after")
    def _fear_within_limits(self) -> PrescriptionSettings:
        if self.needle_fear.max_needles > self.max_needles:
            raise ValueError("needle_fear.max_needles cannot exceed max_needles")
        return self


class PrescriptionRules(Header):
    settings: PrescriptionSettings
    groups: tuple[PointGroup, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_groups(self) -> PrescriptionRules:
        require_unique([g.code for g in self.groups], "prescription group")
        return self


# --- safety_rules.yaml -------------------------------------------------------------------------


class Severity(StrEnum):
    CONTRAINDICATION = "contraindication"  # point removed; never overridable
    CAUTION = "caution"  # kept out of drafts; allowed by hand with a reason
    WARNING = "warning"  # advice only


class Targets(FrozenModel):
    codes: tuple[str, ...] = ()
    regions: tuple[BodyRegion, ...] = ()
    cautions: tuple[PointCaution, ...] = ()
    skin_lesion_regions: bool = False  # the regions come from the patient's facts
    all_points: bool = False
    electroacupuncture: bool = False

    @model_validator(mode="after")
    def _not_empty(self) -> Targets:
        selectors = (self.codes, self.regions, self.cautions, self.skin_lesion_regions, self.all_points)
        if not any(selectors) and not self.electroacupuncture:
            raise ValueError("a rule needs at least one target")
        return self


class SafetyRule(FrozenModel):
    code: str
    title: str = Field(min_length=3, max_length=80)  # what people read; the code is for machines
    severity: Severity
    # exclude: the severity decides (remove / keep out of drafts); advise: warn, never remove.
    effect: Literal["exclude", "advise"] = "exclude"
    applies_when: Condition
    targets: Targets
    # The severity applies to these techniques at the matching points, not to the points:
    # drafts drop them; at a plan edit or at needling a contraindication refuses them and a
    # caution needs a reason.
    withhold_techniques: tuple[Technique, ...] = ()
    # The severity applies to an entered depth over the point's safe maximum, not to the point.
    check_depth: bool = False
    reason: str = Field(min_length=10)
    source: str = Field(min_length=3)
    unverified: bool = False

    @property
    def limits_use(self) -> bool:
        """True when the severity bears on a depth or technique, the point itself being advised."""
        return self.check_depth or bool(self.withhold_techniques)

    @model_validator(mode="after")
    def _coherent(self) -> SafetyRule:
        if self.severity is Severity.WARNING and self.effect == "exclude":
            raise ValueError(f"{self.code}: a warning cannot exclude; use effect: advise")
        if self.limits_use and self.effect == "exclude":
            raise ValueError(f"{self.code}: a depth or technique rule advises on the point; use effect: advise")
        if self.severity is Severity.CONTRAINDICATION and self.effect == "advise" and not self.limits_use:
            raise ValueError(f"{self.code}: a contraindication must exclude")
        if self.unverified != ("UNVERIFIED" in self.source):
            raise ValueError(f"{self.code}: `unverified: true` and 'UNVERIFIED' in source go together")
        return self


class BlockingRule(FrozenModel):
    code: str
    reason: str
    source: str


class AshiLevel(FrozenModel):
    """What an Ashi (tender) point needled in one body region is treated as lying over."""

    cautions: tuple[PointCaution, ...] = ()
    max_safe_depth_mm: float | None = Field(default=None, gt=0, le=150)


class SafetyRules(Header):
    blocking: BlockingRule
    # Ashi points have no catalogue record: where they are needled says what lies beneath.
    ashi_levels: dict[BodyRegion, AshiLevel] = Field(default_factory=dict)
    rules: tuple[SafetyRule, ...] = Field(min_length=1)

    def title(self, code: str) -> str:
        """The display title of a rule code (the code itself for integrity rules)."""
        return next((r.title for r in self.rules if r.code == code), code.replace("_", " "))

    @model_validator(mode="after")
    def _unique(self) -> SafetyRules:
        require_unique([r.code for r in self.rules], "safety rule")
        return self


# --- loading -----------------------------------------------------------------------------------

_M = TypeVar("_M", bound=Header)


def require_unique(codes: Sequence[str], what: str) -> None:
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        raise ValueError(f"duplicate {what} codes: {', '.join(duplicates)}")


def load_file(model: type[_M], dataset: str, data_dir: Path = DATA_DIR) -> _M:
    """Read and validate ``<data_dir>/<dataset>.yaml``; its header must name the same dataset."""
    with (data_dir / f"{dataset}.yaml").open(encoding="utf-8") as handle:
        parsed = model.model_validate(yaml.safe_load(handle))
    if parsed.dataset != dataset:
        raise ValueError(f"expected dataset {dataset!r}, the file says {parsed.dataset!r}")
    return parsed


@cache
def load_prescription_rules(data_dir: Path = DATA_DIR) -> PrescriptionRules:
    return load_file(PrescriptionRules, "prescription_rules", data_dir)


@cache
def load_safety_rules(data_dir: Path = DATA_DIR) -> SafetyRules:
    return load_file(SafetyRules, "safety_rules", data_dir)


def referenced_codes(
    prescription: PrescriptionRules | None = None, safety: SafetyRules | None = None
) -> frozenset[str]:
    """Every catalogue point code the rules files name (Ashi excluded: it is not a catalogue point)."""
    prescription = prescription or load_prescription_rules()
    safety = safety or load_safety_rules()
    codes = {p.code for g in prescription.groups for p in g.points}
    codes |= {c for r in safety.rules for c in r.targets.codes}
    return frozenset(codes - {ASHI})
