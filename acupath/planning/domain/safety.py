"""The safety check that every proposed point passes: at plan drafting, plan editing, session start.

One function, `check_points`, so that the three moments can never disagree. The rules are data
(``knowledge/data/safety_rules.yaml``); this module only gives each severity its meaning:

- contraindication: the point is excluded and no override can bring it back (`refusals`).
- caution: excluded from drafts; allowed when added by hand with an override reason, and then
  listed as an override in the warnings so the plan records who decided what and why.
- warning: advice attached to the point (or to the plan), never an exclusion.

Unresolved red flags come first: with any of them there is no plan at all (`PlanBlocked`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from acupath.planning.domain.facts import ASHI, PatientFacts, PointFacts, ProposedPoint, Technique
from acupath.planning.domain.rules import SafetyRule, SafetyRules, Severity, Targets, load_safety_rules

__all__ = [
    "CAUTIONS_NOT_ASSESSED",
    "DEPTH_REQUIRED",
    "OVERRIDE_PREFIX",
    "TECHNIQUE_NAMES",
    "UNKNOWN_POINT",
    "Exclusion",
    "PlanBlocked",
    "ProposedPoint",
    "SafetyResult",
    "SafetyWarning",
    "Severity",
    "check_points",
    "ensure_not_blocked",
    "refusals",
]

OVERRIDE_PREFIX = "Override:"
TECHNIQUE_NAMES = {
    Technique.MANUAL: "manual needling",
    Technique.EVEN: "even method",
    Technique.REINFORCING: "reinforcing method",
    Technique.REDUCING: "reducing method",
    Technique.ELECTROACUPUNCTURE: "electroacupuncture",
    Technique.MOXIBUSTION_INDIRECT: "indirect moxibustion",
    Technique.MOXIBUSTION_DIRECT: "direct moxibustion",
    Technique.CUPPING: "cupping",
    Technique.BLOODLETTING: "bloodletting",
}

# Not a clinical rule but an integrity one: a point we know nothing about cannot be checked,
# so it is refused like a contraindication rather than waved through.
UNKNOWN_POINT = "unknown_point"
CAUTIONS_NOT_ASSESSED = "cautions_not_assessed"
DEPTH_REQUIRED = "depth_required"


@dataclass(frozen=True, slots=True)
class Exclusion:
    """A point (or a depth or technique at it) the rules refuse. `title` names the rule for people."""

    code: str
    rule: str
    severity: Severity
    reason: str
    title: str = ""


@dataclass(frozen=True, slots=True)
class SafetyWarning:
    """A warning for one point (`code`) or for the whole plan (`code` is None)."""

    code: str | None
    rule: str
    message: str
    title: str = ""


@dataclass(frozen=True, slots=True)
class SafetyResult:
    """`allowed` holds the points as they may be performed (withheld techniques removed)."""

    allowed: tuple[ProposedPoint, ...]
    excluded: tuple[Exclusion, ...]
    warnings: tuple[SafetyWarning, ...]
    electroacupuncture_allowed: bool


class PlanBlocked(Exception):
    """Raised instead of producing any plan while red flags are unresolved."""

    def __init__(self, flags: Sequence[str], reason: str = "") -> None:
        self.flags = tuple(flags)
        message = f"no acupuncture plan while red flags are unresolved: {', '.join(self.flags)}"
        super().__init__(f"{message}. {reason}".strip() if reason else message)


def ensure_not_blocked(facts: PatientFacts, rules: SafetyRules | None = None) -> None:
    if facts.unresolved_red_flags:
        rules = rules or load_safety_rules()
        raise PlanBlocked(facts.unresolved_red_flags, rules.blocking.reason.strip())


def refusals(result: SafetyResult) -> tuple[Exclusion, ...]:
    """The exclusions no override can lift: an edit keeping any of these must be refused (422)."""
    return tuple(e for e in result.excluded if e.severity is Severity.CONTRAINDICATION)


def check_points(
    facts: PatientFacts,
    proposed: Sequence[ProposedPoint],
    points: Mapping[str, PointFacts],
    rules: SafetyRules | None = None,
) -> SafetyResult:
    """Check `proposed` for this patient. Raises PlanBlocked while red flags are unresolved.

    Drafts pass points with `added_by_hand=False` (cautions exclude them); plan edits mark the
    practitioner's additions, which a caution lets through only with an `override_reason`.
    """
    rules = rules or load_safety_rules()
    ensure_not_blocked(facts, rules)
    active = tuple(rule for rule in rules.rules if rule.applies_when.matches(facts))
    warnings: list[SafetyWarning] = []
    electro_allowed = True
    for rule in active:
        if rule.targets.electroacupuncture and rule.severity is not Severity.WARNING:
            electro_allowed = False
        # Plan-wide rules speak once, not once per point.
        if rule.targets.electroacupuncture or rule.targets.all_points:
            warnings.append(SafetyWarning(None, rule.code, _one_line(rule.reason), rule.title))
    allowed: list[ProposedPoint] = []
    excluded: list[Exclusion] = []
    for point in proposed:
        kept, exclusions, point_warnings = _check_point(point, facts, points, active, rules)
        excluded.extend(exclusions)
        if kept is not None:
            allowed.append(kept)
            warnings.extend(point_warnings)
    return SafetyResult(tuple(allowed), tuple(excluded), _unique(warnings), electro_allowed)


@dataclass(frozen=True, slots=True)
class _Site:
    """What the rules look at for one proposed point."""

    regions: frozenset[str]
    cautions: frozenset[str]
    max_depth_mm: float | None
    cautions_assessed: bool = True


def _site(point: ProposedPoint, points: Mapping[str, PointFacts], rules: SafetyRules) -> _Site | None:
    level = {point.region.value} if point.region is not None else set()
    if point.code == ASHI:
        # A tender point is only checkable once we know where on the body it is; what lies
        # beneath it there (the lung under the upper back) comes from the rules file.
        if point.region is None:
            return None
        ashi = rules.ashi_levels.get(point.region)
        beneath: frozenset[str] = frozenset(ashi.cautions) if ashi else frozenset()
        return _Site(frozenset(level), beneath, ashi.max_safe_depth_mm if ashi else None)
    info = points.get(point.code)
    if info is None:
        return None
    # Catalogue region AND needling level: a Jiaji point needled at L3 is lumbar even if the
    # catalogue files EX-B2 under the upper back, and vice versa. The stricter reading wins for
    # regions; cautions that hold only at a level (the lung beside thoracic Jiaji) apply there.
    assessed = info.cautions is not None
    cautions: set[str] = set(info.cautions or ())
    by_level = getattr(info, "level_cautions", None) or {}
    for where in {info.region} | level:
        cautions |= set(by_level.get(where, ()))
    depth = info.max_safe_depth_cm * 10 if info.max_safe_depth_cm is not None else None
    return _Site(frozenset({info.region} | level), frozenset(cautions), depth, assessed)


def _check_point(
    point: ProposedPoint,
    facts: PatientFacts,
    points: Mapping[str, PointFacts],
    active: Iterable[SafetyRule],
    rules: SafetyRules,
) -> tuple[ProposedPoint | None, list[Exclusion], list[SafetyWarning]]:
    site = _site(point, points, rules)
    if site is None:
        why = (
            "Ashi points need the body region where they are needled"
            if point.code == ASHI
            else ("not in the acupoint catalogue, so it cannot be safety-checked")
        )
        return None, [Exclusion(point.code, UNKNOWN_POINT, Severity.CONTRAINDICATION, why, "Unknown point")], []
    exclusions: list[Exclusion] = []
    warnings: list[SafetyWarning] = []
    if not site.cautions_assessed:
        # Caution rules cannot see what the catalogue has not recorded: say so, do not guess.
        warnings.append(
            SafetyWarning(
                point.code,
                CAUTIONS_NOT_ASSESSED,
                "Cautions for this point are not yet assessed in the catalogue; check its safety before needling.",
                "Cautions not assessed",
            )
        )
    techniques = set(point.techniques)
    for rule in active:
        if rule.targets.electroacupuncture and point.electro:
            _apply(rule, point, "electroacupuncture", exclusions, warnings)
        if not _targets(rule.targets, point.code, site, facts):
            continue
        if rule.effect == "exclude":
            _apply(rule, point, "point", exclusions, warnings)
        elif not rule.targets.all_points:
            warnings.append(SafetyWarning(point.code, rule.code, _one_line(rule.reason), rule.title))
        if rule.check_depth:
            _check_depth(point, site, rule, exclusions, warnings)
        for technique in sorted(techniques & set(rule.withhold_techniques)):
            if not point.added_by_hand:
                # A draft simply leaves the technique out and says so.
                techniques.discard(technique)
                warnings.append(
                    SafetyWarning(
                        point.code,
                        rule.code,
                        f"{TECHNIQUE_NAMES[technique]} left out at {point.code}: {_one_line(rule.reason)}",
                        rule.title,
                    )
                )
            else:
                _apply(rule, point, TECHNIQUE_NAMES[technique], exclusions, warnings)
    if exclusions:
        return None, exclusions, []
    return replace(point, techniques=frozenset(techniques)), [], warnings


def _targets(targets: Targets, code: str, site: _Site, facts: PatientFacts) -> bool:
    return (
        targets.all_points
        or code in targets.codes
        or bool(site.regions & set(targets.regions))
        or bool(site.cautions & set(targets.cautions))
        or (targets.skin_lesion_regions and bool(site.regions & facts.skin_lesion_regions))
    )


def _apply(
    rule: SafetyRule,
    point: ProposedPoint,
    subject: str,
    exclusions: list[Exclusion],
    warnings: list[SafetyWarning],
) -> None:
    """Give one matching rule its severity's meaning for one point."""
    what = "" if subject == "point" else f"{subject}: "
    if rule.severity is Severity.WARNING:
        warnings.append(SafetyWarning(point.code, rule.code, what + _one_line(rule.reason), rule.title))
    elif rule.severity is Severity.CONTRAINDICATION:
        exclusions.append(Exclusion(point.code, rule.code, rule.severity, what + _one_line(rule.reason), rule.title))
    elif point.added_by_hand and point.has_override_reason:
        warnings.append(_override(point, rule, subject))
    else:
        needs = " An override reason is required to keep it." if point.added_by_hand else ""
        exclusions.append(
            Exclusion(point.code, rule.code, rule.severity, what + _one_line(rule.reason) + needs, rule.title)
        )


def _override(point: ProposedPoint, rule: SafetyRule, subject: str) -> SafetyWarning:
    return SafetyWarning(
        point.code,
        rule.code,
        f"{OVERRIDE_PREFIX} {subject} at {point.code} kept despite the {rule.severity.value} "
        f"'{rule.title}'; reason given: {(point.override_reason or '').strip()}",
        rule.title,
    )


def _check_depth(
    point: ProposedPoint,
    site: _Site,
    rule: SafetyRule,
    exclusions: list[Exclusion],
    warnings: list[SafetyWarning],
) -> None:
    """The rule's severity applied to the entered depth: refused, reason needed, or advised."""
    if site.max_depth_mm is None:
        return
    limit = f"{site.max_depth_mm:g} mm"
    if point.depth_mm is None:
        if point.require_depth and rule.severity is not Severity.WARNING:
            # Not a judgement a reason can lift: the rule cannot be checked without the depth.
            exclusions.append(
                Exclusion(
                    point.code,
                    DEPTH_REQUIRED,
                    Severity.CONTRAINDICATION,
                    f"enter the depth needled at {point.code} in mm (at most {limit} here): {_one_line(rule.reason)}",
                    f"Depth needed ({rule.title.lower()})",
                )
            )
        return
    if point.depth_mm <= site.max_depth_mm:
        return
    subject = f"depth {point.depth_mm:g} mm (over the {limit} maximum)"
    if rule.severity is Severity.CONTRAINDICATION:
        exclusions.append(
            Exclusion(
                point.code,
                rule.code,
                rule.severity,
                f"{subject}: {_one_line(rule.reason)} Enter {limit} or less.",
                rule.title,
            )
        )
    else:
        _apply(rule, point, subject, exclusions, warnings)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _unique(warnings: Iterable[SafetyWarning]) -> tuple[SafetyWarning, ...]:
    return tuple(dict.fromkeys(warnings))
