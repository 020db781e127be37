"""The safety check shared by drafting, editing and session start; and the rules files themselves."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from pydantic import ValidationError

from acupath.planning.domain.facts import (
    ASHI,
    BodyRegion,
    PatientFacts,
    ProposedPoint,
    Side,
    Technique,
)
from acupath.planning.domain.prescribe import draft_plan, load_rules
from acupath.planning.domain.rules import DATA_DIR, SafetyRule, SafetyRules, load_safety_rules, referenced_codes
from acupath.planning.domain.safety import (
    CAUTIONS_NOT_ASSESSED,
    UNKNOWN_POINT,
    PlanBlocked,
    SafetyResult,
    Severity,
    check_points,
    refusals,
)
from acupath.planning.tests import POINTS, any_patient, cautions_of, facts, regions_of


def check(patient: PatientFacts, *proposed: ProposedPoint) -> SafetyResult:
    return check_points(patient, proposed, POINTS, load_safety_rules())


def edit(code: str, reason: str | None = None, **kw: Any) -> ProposedPoint:
    return ProposedPoint(code, Side.BOTH, added_by_hand=True, override_reason=reason, **kw)


def allowed_codes(result: SafetyResult) -> set[str]:
    return {p.code for p in result.allowed}


def test_pacemaker_edit_asking_electro_is_refused_even_with_a_reason() -> None:
    result = check(facts(pacemaker=True), edit("BL40", "patient insists", electro=True))
    assert not result.electroacupuncture_allowed
    assert allowed_codes(result) == set()
    [refusal] = refusals(result)
    assert (refusal.code, refusal.rule, refusal.severity) == ("BL40", "pacemaker_no_electro", Severity.CONTRAINDICATION)


def test_pacemaker_allows_manual_needling() -> None:
    result = check(facts(pacemaker=True), edit("BL40"))
    assert allowed_codes(result) == {"BL40"}
    assert refusals(result) == ()


def test_electro_allowed_without_device() -> None:
    result = check(facts(), edit("BL40", electro=True))
    assert result.electroacupuncture_allowed and allowed_codes(result) == {"BL40"}


def test_contraindication_cannot_be_overridden() -> None:
    result = check(facts(pregnant=True, pregnancy_weeks=20), edit("BL23", "I judge it safe"))
    assert allowed_codes(result) == set()
    assert [(e.code, e.rule) for e in refusals(result)] == [("BL23", "pregnancy_lumbosacral")]


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_caution_added_by_hand_without_reason_is_excluded_asking_for_one(reason: str | None) -> None:
    result = check(facts(pregnant=True, pregnancy_weeks=20), edit("LI4", reason))
    [exclusion] = result.excluded
    assert (exclusion.code, exclusion.rule, exclusion.severity) == (
        "LI4",
        "pregnancy_forbidden_points",
        Severity.CAUTION,
    )
    assert "reason is required" in exclusion.reason
    assert refusals(result) == ()  # a caution is not a refusal: giving a reason fixes it


def test_caution_added_by_hand_with_reason_is_allowed_and_listed_as_override() -> None:
    result = check(facts(pregnant=True, pregnancy_weeks=20), edit("LI4", "breech, agreed with midwife"))
    assert allowed_codes(result) == {"LI4"}
    overrides = [w for w in result.warnings if w.code == "LI4" and w.message.startswith("override")]
    assert len(overrides) == 1 and "breech, agreed with midwife" in overrides[0].message


def test_caution_keeps_point_out_of_drafts() -> None:
    drafted = ProposedPoint("LI4", Side.BOTH, override_reason="ignored: not added by hand")
    result = check(facts(pregnant=True), drafted)
    assert allowed_codes(result) == set()
    assert "reason is required" not in result.excluded[0].reason


@pytest.mark.parametrize(
    ("weeks", "code", "rule", "excluded"),
    [
        (8, "CV4", "pregnancy_lower_abdomen_first_trimester", True),
        (None, "CV4", "pregnancy_lower_abdomen_first_trimester", True),  # unknown: first trimester
        (20, "CV4", "pregnancy_lower_abdomen_first_trimester", False),
        (12, "CV12", "pregnancy_upper_abdomen_after_first_trimester", False),
        (13, "CV12", "pregnancy_upper_abdomen_after_first_trimester", True),
        (None, "CV12", "pregnancy_upper_abdomen_after_first_trimester", True),
        (30, "BL32", "pregnancy_lumbosacral", True),
        (4, "BL23", "pregnancy_lumbosacral", True),
    ],
)
def test_pregnancy_region_rules_by_gestational_week(weeks: int | None, code: str, rule: str, excluded: bool) -> None:
    result = check(facts(pregnant=True, pregnancy_weeks=weeks), edit(code, "reason"))
    assert ((code, rule) in {(e.code, e.rule) for e in refusals(result)}) is excluded


def test_no_pregnancy_rules_when_not_pregnant() -> None:
    result = check(facts(), *(edit(c) for c in ("BL23", "CV4", "CV12", "LI4", "GB21")))
    assert allowed_codes(result) == {"BL23", "CV4", "CV12", "LI4", "GB21"}


def test_level_of_a_multi_level_point_is_checked_too() -> None:
    # EX-B2 needled at thoracic level in the fixture's catalogue region (lumbar): both count.
    result = check(facts(skin_lesion_regions={"upper_back"}), edit("EX-B2", region=BodyRegion.UPPER_BACK))
    assert [(e.code, e.rule) for e in result.excluded] == [("EX-B2", "skin_lesion_site")]


def test_skin_lesion_region_is_excluded_and_unaffected_regions_are_not() -> None:
    result = check(facts(skin_lesion_regions={"knee"}), edit("BL40", "reason"), edit("BL57"))
    assert [(e.code, e.rule) for e in refusals(result)] == [("BL40", "skin_lesion_site")]
    assert allowed_codes(result) == {"BL57"}


def test_ashi_is_checked_at_its_region_and_refused_without_one() -> None:
    result = check(facts(skin_lesion_regions={"lumbar"}), edit(ASHI, region=BodyRegion.LUMBAR), edit(ASHI))
    assert {(e.code, e.rule) for e in result.excluded} == {(ASHI, "skin_lesion_site"), (ASHI, UNKNOWN_POINT)}


def test_point_whose_cautions_are_not_assessed_is_flagged() -> None:
    unassessed = SimpleNamespace(code="XX1", region="hand", cautions=None, tags=None, max_safe_depth_cm=None)
    result = check_points(facts(), [edit("XX1")], {"XX1": unassessed}, load_safety_rules())
    assert allowed_codes(result) == {"XX1"}
    assert [w.rule for w in result.warnings] == [CAUTIONS_NOT_ASSESSED]


def test_unknown_point_is_refused() -> None:
    result = check(facts(), edit("ZZ99"))
    assert [(e.code, e.rule) for e in refusals(result)] == [("ZZ99", UNKNOWN_POINT)]


@pytest.mark.parametrize(("depth", "exceeds"), [(1.5, True), (1.0, False), (0.8, False), (None, False)])
def test_thorax_depth_warning_and_always_a_reminder(depth: float | None, exceeds: bool) -> None:
    result = check(facts(), edit("GB21", depth_cm=depth))
    thorax = [w for w in result.warnings if w.code == "GB21" and w.rule == "thorax_max_depth"]
    assert any("obliquely" in w.message for w in thorax)  # the reminder is always there
    assert any("exceeds" in w.message for w in thorax) is exceeds


def test_anticoagulant_warns_without_excluding_points() -> None:
    result = check(facts(bleeding_disorder=True), edit("BL23"), edit("BL40"))
    assert allowed_codes(result) == {"BL23", "BL40"}
    [general] = [w for w in result.warnings if w.rule == "anticoagulant_or_bleeding"]
    assert general.code is None
    assert all(s in general.message for s in ("superficial", "0.20 mm", "no bleeding"))


def test_anticoagulant_withholds_bloodletting_unless_overridden_with_reason() -> None:
    bleed = frozenset({Technique.BLOODLETTING})
    withheld = check(facts(anticoagulant=True), ProposedPoint("BL40", Side.BOTH, techniques=bleed))
    assert withheld.allowed[0].techniques == frozenset()
    assert any(w.code == "BL40" and "bloodletting withheld" in w.message for w in withheld.warnings)
    kept = check(facts(anticoagulant=True), edit("BL40", "INR checked today", techniques=bleed))
    assert kept.allowed[0].techniques == bleed
    assert any(w.message.startswith("override: bloodletting") for w in kept.warnings)


def test_first_treatment_syncope_reminder_for_hypotensive_points() -> None:
    assert any(w.rule == "syncope_first_treatment" for w in check(facts(first_treatment=True), edit("LR3")).warnings)
    assert not any(w.rule == "syncope_first_treatment" for w in check(facts(), edit("LR3")).warnings)


def test_red_flags_block_the_check_itself() -> None:
    with pytest.raises(PlanBlocked, match="ces_saddle"):
        check(facts(unresolved_red_flags=("ces_saddle",)), edit("BL40"))


def test_severity_is_configurable_in_the_rules() -> None:
    rules = load_safety_rules()
    stricter = tuple(
        r.model_copy(update={"severity": Severity.CONTRAINDICATION}) if r.code == "pregnancy_forbidden_points" else r
        for r in rules.rules
    )
    result = check_points(
        facts(pregnant=True), [edit("LI4", "a reason")], POINTS, rules.model_copy(update={"rules": stricter})
    )
    assert [(e.code, e.rule) for e in refusals(result)] == [("LI4", "pregnancy_forbidden_points")]


@pytest.mark.parametrize(
    "bad",
    [
        {"severity": "warning", "effect": "exclude"},
        {"severity": "contraindication", "effect": "advise"},
        {"targets": {}},
        {"targets": {"regions": ["elbow"]}},
        {"severity": "forbidden"},
    ],
)
def test_incoherent_safety_rule_is_rejected(bad: dict[str, Any]) -> None:
    rule = {
        "code": "x",
        "severity": "caution",
        "applies_when": {},
        "targets": {"codes": ["BL23"]},
        "reason": "a reason long enough",
        "source": "test",
    }
    with pytest.raises(ValidationError):
        SafetyRule.model_validate(rule | bad)


def test_safety_file_without_source_is_rejected() -> None:
    data = yaml.safe_load((DATA_DIR / "safety_rules.yaml").read_text(encoding="utf-8"))
    del data["rules"][0]["source"]
    with pytest.raises(ValidationError):
        SafetyRules.model_validate(data)


FILES = ["prescription_rules", "safety_rules", "course_rules", "self_care_advice"]


@pytest.mark.parametrize("name", FILES)
def test_data_files_start_with_the_header(name: str) -> None:
    data = yaml.safe_load((DATA_DIR / f"{name}.yaml").read_text(encoding="utf-8"))
    assert list(data)[:4] == ["dataset", "version", "source", "licence"]
    assert data["dataset"] == name and isinstance(data["version"], int)


@pytest.mark.parametrize("name", FILES)
def test_every_unverified_entry_says_so_in_its_source(name: str) -> None:
    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("unverified") is True:
                assert "UNVERIFIED" in node["source"], node
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(yaml.safe_load((DATA_DIR / f"{name}.yaml").read_text(encoding="utf-8")))


def test_every_rule_code_is_in_the_fixture_table() -> None:
    # The lead's integration test does the same against the real catalogue.
    assert referenced_codes() <= set(POINTS)
    assert ASHI not in referenced_codes()


def test_default_rules_load_from_an_explicit_directory() -> None:
    assert load_safety_rules(Path(DATA_DIR)).dataset == "safety_rules"


# --- property: whatever the patient, a draft holds only known points and nothing forbidden ---------


@settings(max_examples=300, deadline=None)
@given(any_patient)
def test_any_patient_gets_only_known_and_safe_points(patient: PatientFacts) -> None:
    draft = draft_plan(patient, POINTS)
    rules = load_rules().prescription.settings
    weeks = patient.pregnancy_weeks
    for point in draft.points:
        assert point.code in POINTS or point.code == ASHI
        regions = regions_of(point.code, point.level)
        assert not regions & patient.skin_lesion_regions
        if point.code == ASHI:
            assert point.level is not None
        if patient.pregnant:
            assert not regions & {"lumbar", "sacral"}
            assert "pregnancy_forbidden" not in cautions_of(point.code)
            if weeks is None or weeks < 13:
                assert "lower_abdomen" not in regions
            if weeks is None or weeks >= 13:
                assert "upper_abdomen" not in regions
        if patient.anticoagulant or patient.bleeding_disorder:
            assert Technique.BLOODLETTING not in point.techniques
    if patient.pacemaker:
        assert draft.electroacupuncture is False
    assert draft.needle_count <= rules.max_needles
    assert len([p for p in draft.points if p.code != ASHI]) <= rules.max_points
    assert len({p.code for p in draft.points}) == len(draft.points)  # no duplicates
    assert 20 <= draft.retention_minutes <= 30
