"""Drafting a plan: points by region, leg pain, cause and pattern; caps; retention; EA; blocking."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from acupath.planning.domain.facts import (
    ASHI,
    BackRegion,
    BodyRegion,
    Cause,
    DurationClass,
    LegPain,
    Pattern,
    Role,
    Side,
    Technique,
)
from acupath.planning.domain.prescribe import (
    Draft,
    PlanBlocked,
    PrescribedPoint,
    RuleSet,
    draft_plan,
    load_rules,
    needle_count,
)
from acupath.planning.domain.rules import PointEntry
from acupath.planning.tests import POINTS, facts, regions_of


def codes(draft: Draft) -> set[str]:
    return {p.code for p in draft.points}


def uncapped() -> RuleSet:
    """The real rules with caps high enough that every matching point is kept."""
    rules = load_rules()
    wide = rules.prescription.settings.model_copy(update={"max_points": 99, "max_needles": 99})
    return rules.model_copy(update={"prescription": rules.prescription.model_copy(update={"settings": wide})})


LUMBAR_CORE = {"BL23", "GV3", ASHI, "BL40"}


@pytest.mark.parametrize(
    ("cause", "duration", "expected"),
    [
        (Cause.POSTURE, "chronic", LUMBAR_CORE | {"BL25"}),
        (Cause.STRAIN_INJURY, "acute", LUMBAR_CORE | {"GV26"}),
        (Cause.DISC_SPINAL, "chronic", LUMBAR_CORE | {"EX-B2"}),
        (Cause.ARTHRITIS, "chronic", LUMBAR_CORE | {"KI3"}),
        (Cause.SCIATICA, "chronic", LUMBAR_CORE | {"GB30"}),
        (Cause.STRESS_TENSION, "chronic", LUMBAR_CORE | {"EX-HN3", "LR3", "HT7"}),
    ],
)
def test_draft_contains_local_distal_and_cause_points(cause: Cause, duration: str, expected: set[str]) -> None:
    draft = draft_plan(facts(causes={cause}, duration_class=duration), POINTS)
    assert expected <= codes(draft)


def test_acute_sprain_points_only_for_acute_strain() -> None:
    assert "GV26" not in codes(draft_plan(facts(causes={Cause.STRAIN_INJURY}), POINTS))


@pytest.mark.parametrize(
    ("leg_pain", "expected", "absent"),
    [
        (LegPain.NONE, {"BL40"}, {"BL57", "GB34", "GB30"}),
        (LegPain.POSTERIOR_LEG, {"BL40", "BL54", "BL57"}, {"GB34"}),
        (LegPain.BELOW_KNEE, {"BL40", "BL54", "BL57"}, {"GB34", "BL36"}),
        (LegPain.LATERAL_LEG, {"BL40", "GB30", "GB34"}, {"BL57"}),
        (LegPain.BUTTOCK_THIGH, {"BL40", "GB30", "BL54"}, {"BL57", "GB34"}),
    ],
)
def test_distal_points_follow_leg_pain_distribution(leg_pain: LegPain, expected: set[str], absent: set[str]) -> None:
    drafted = codes(draft_plan(facts(leg_pain=leg_pain), POINTS))
    assert expected <= drafted
    assert not absent & drafted


@pytest.mark.parametrize(
    ("leg_pain", "expected"),
    [
        (LegPain.POSTERIOR_LEG, {"BL54", "BL36", "BL40", "BL57", "BL60"}),
        (LegPain.LATERAL_LEG, {"GB30", "GB31", "GB34", "GB41"}),
    ],
)
def test_whole_channel_set_is_drafted_when_the_cap_allows(leg_pain: LegPain, expected: set[str]) -> None:
    assert expected <= codes(draft_plan(facts(leg_pain=leg_pain), POINTS, uncapped()))


@pytest.mark.parametrize(
    ("region", "expected"),
    [
        (BackRegion.LUMBAR, {"BL23", "GV3", "EX-B2", "BL25", ASHI}),
        (BackRegion.SACROILIAC, {"BL32", "BL54", "BL31", "BL26", ASHI}),
        (BackRegion.THORACIC, {"EX-B2", "BL20", "BL17", ASHI}),
    ],
)
def test_local_points_follow_the_painful_region(region: BackRegion, expected: set[str]) -> None:
    assert expected <= codes(draft_plan(facts(region=region), POINTS))


def test_thoracic_points_are_needled_at_thoracic_level_with_depth_reminder() -> None:
    draft = draft_plan(facts(region=BackRegion.THORACIC), POINTS)
    levels = {p.code: p.level for p in draft.points}
    assert levels["EX-B2"] is BodyRegion.UPPER_BACK
    assert levels[ASHI] is BodyRegion.UPPER_BACK
    reminded = {w.code for w in draft.warnings if w.rule == "thorax_max_depth"}
    assert {"EX-B2", "BL17", "BL20", ASHI} <= reminded


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (Pattern.COLD_DAMP, {"BL23", "GV3", "SP9"}),
        (Pattern.BLOOD_STASIS, {"BL40", "BL32", "BL17"}),
        (Pattern.QI_STAGNATION, {"LR3", "LI4"}),
        (Pattern.KIDNEY_YANG_DEFICIENCY, {"BL23", "GV4", "BL52"}),
        (Pattern.KIDNEY_YIN_DEFICIENCY, {"BL23", "KI3"}),
        (Pattern.KIDNEY_QI_DEFICIENCY, {"KI3", "KI7"}),
        (Pattern.LIVER_KIDNEY_YIN_DEFICIENCY, {"KI3", "SP6"}),
        (Pattern.BLADDER_MERIDIAN, {"BL57", "BL60"}),
        (Pattern.GALLBLADDER_MERIDIAN, {"GB30", "GB34"}),
        (Pattern.GOVERNOR_VESSEL, {"GV3", "GV4", "SI3", "GV26"}),
    ],
)
def test_pattern_add_ons(pattern: Pattern, expected: set[str]) -> None:
    assert expected <= codes(draft_plan(facts(pattern=pattern), POINTS, uncapped()))


def test_duplicates_keep_first_role_and_merge_rationales_and_techniques() -> None:
    draft = draft_plan(facts(pattern=Pattern.COLD_DAMP), POINTS)
    bl23 = [p for p in draft.points if p.code == "BL23"]
    assert len(bl23) == 1
    assert bl23[0].role is Role.LOCAL  # the local group comes before the pattern group
    assert "Cherkin" in bl23[0].rationale or "standardised" in bl23[0].rationale
    assert "moxibustion" in bl23[0].rationale
    assert Technique.MOXIBUSTION_INDIRECT in bl23[0].techniques


def test_merged_rationales_keep_every_rule_wording_whole() -> None:
    # BL23 is named by the lumbar, posture and cold-damp groups: each rationale appears verbatim,
    # once, in file order (words shared between them were once dropped from the later ones).
    rules = load_rules().prescription
    wanted = [
        " ".join(e.rationale.split())
        for g in rules.groups
        if g.code in ("local_lumbar", "posture_lumbar", "pattern_cold_damp")
        for e in g.points
        if e.code == "BL23"
    ]
    draft = draft_plan(facts(causes={Cause.POSTURE}, pattern=Pattern.COLD_DAMP), POINTS)
    [bl23] = [p for p in draft.points if p.code == "BL23"]
    assert len(wanted) == 3
    assert bl23.rationale == " ".join(wanted)


def test_midline_points_have_midline_side() -> None:
    draft = draft_plan(facts(causes={Cause.STRESS_TENSION}, pattern=Pattern.GOVERNOR_VESSEL), POINTS)
    sides = {p.code: p.side for p in draft.points}
    assert sides["GV3"] is Side.MIDLINE
    assert sides["EX-HN3"] is Side.MIDLINE
    assert sides["BL23"] is Side.BOTH


def test_cap_keeps_core_points_and_reports_what_it_dropped() -> None:
    many = facts(
        causes={Cause.SCIATICA, Cause.STRESS_TENSION, Cause.ARTHRITIS},
        leg_pain=LegPain.POSTERIOR_LEG,
        pattern=Pattern.BLOOD_STASIS,
    )
    draft = draft_plan(many, POINTS)
    settings_ = load_rules().prescription.settings
    assert draft.needle_count <= settings_.max_needles
    assert len([p for p in draft.points if p.code != ASHI]) <= settings_.max_points
    assert {"BL23", "GV3", ASHI, "BL40", "BL54", "BL57", "EX-HN3"} <= codes(draft)
    assert "BL36" not in codes(draft)  # optional (priority 3) goes first
    cap = [w for w in draft.warnings if w.rule == "point_cap"]
    assert len(cap) == 1 and "BL36" in cap[0].message


def test_needle_count_counts_sides_midline_and_configured_ashi() -> None:
    def point(code: str, side: Side) -> PrescribedPoint:
        return PrescribedPoint(code, side, Role.LOCAL, "test rationale", "test")

    plan = [
        point("BL23", Side.BOTH),
        point("GV3", Side.MIDLINE),
        point("BL40", Side.LEFT),
        PrescribedPoint(ASHI, Side.BOTH, Role.ASHI, "tender", "test"),
    ]
    assert needle_count(plan, ashi_needles=2) == 2 + 1 + 1 + 2
    assert needle_count(plan, ashi_needles=3) == 2 + 1 + 1 + 3


def test_draft_needle_count_matches_its_points() -> None:
    draft = draft_plan(facts(causes={Cause.STRESS_TENSION}), POINTS)
    expected = sum(2 if p.side is Side.BOTH else 1 for p in draft.points if p.code != ASHI) + 2
    assert draft.needle_count == expected


@pytest.mark.parametrize(
    ("overrides", "minutes"),
    [({}, 25), ({"first_treatment": True}, 20), ({"needle_fear": True}, 20)],
)
def test_retention_is_shorter_for_first_treatment_or_needle_fear(overrides: dict[str, bool], minutes: int) -> None:
    assert draft_plan(facts(**overrides), POINTS).retention_minutes == minutes


def test_retention_is_configurable() -> None:
    rules = load_rules()
    retention = rules.prescription.settings.retention.model_copy(update={"first_treatment_minutes": 22})
    wide = rules.prescription.settings.model_copy(update={"retention": retention})
    custom = rules.model_copy(update={"prescription": rules.prescription.model_copy(update={"settings": wide})})
    assert draft_plan(facts(first_treatment=True), POINTS, custom).retention_minutes == 22


@pytest.mark.parametrize(
    ("overrides", "electro"),
    [
        ({"leg_pain": LegPain.POSTERIOR_LEG}, True),
        ({"causes": {Cause.SCIATICA}}, True),
        ({}, False),
        ({"leg_pain": LegPain.POSTERIOR_LEG, "duration_class": DurationClass.ACUTE}, False),
        ({"leg_pain": LegPain.POSTERIOR_LEG, "pacemaker": True}, False),
    ],
)
def test_electroacupuncture_suggested_for_chronic_leg_pain_never_with_pacemaker(
    overrides: dict[str, Any], electro: bool
) -> None:
    assert draft_plan(facts(**overrides), POINTS).electroacupuncture is electro


def test_pacemaker_draft_says_why_there_is_no_electroacupuncture() -> None:
    draft = draft_plan(facts(leg_pain=LegPain.POSTERIOR_LEG, pacemaker=True), POINTS)
    assert any(w.rule == "pacemaker_no_electro" and w.code is None for w in draft.warnings)


@pytest.mark.parametrize("weeks", [8, 20, None])
@pytest.mark.parametrize("pattern", [Pattern.QI_STAGNATION, Pattern.LIVER_KIDNEY_YIN_DEFICIENCY])
def test_pregnant_patient_gets_no_lumbosacral_or_forbidden_points(weeks: int | None, pattern: Pattern) -> None:
    draft = draft_plan(
        facts(pregnant=True, pregnancy_weeks=weeks, leg_pain=LegPain.POSTERIOR_LEG, pattern=pattern),
        POINTS,
        uncapped(),
    )
    for point in draft.points:
        assert regions_of(point.code, point.level) & {"lumbar", "sacral"} == set(), point.code
        if point.code != ASHI:
            assert "pregnancy_forbidden" not in POINTS[point.code].cautions, point.code
    excluded = {(e.code, e.rule) for e in draft.excluded}
    lumbosacral = "pregnancy_lumbosacral_later" if weeks and weeks >= 13 else "pregnancy_lumbosacral_first_trimester"
    assert ("BL23", lumbosacral) in excluded
    assert ("BL60", "pregnancy_forbidden_points") in excluded
    forbidden = "LI4" if pattern is Pattern.QI_STAGNATION else "SP6"
    assert (forbidden, "pregnancy_forbidden_points") in excluded
    distal_only = [w for w in draft.warnings if w.rule == "distal_only"]
    assert len(distal_only) == 1
    assert "BL23" in distal_only[0].message and "Lumbosacral point" in distal_only[0].message
    assert "_" not in distal_only[0].message.split("(")[2]  # rule titles, not codes
    assert "BL40" in distal_only[0].message
    assert {"BL40", "BL57"} <= codes(draft)


def test_anticoagulant_draft_leaves_out_major_vessel_points_and_bloodletting() -> None:
    # Worked case: blood stasis asks for BL40 with bloodletting and BL32; with an anticoagulant
    # BL40 (popliteal vessels) is left out and BL32 keeps no bleeding technique.
    draft = draft_plan(facts(anticoagulant=True, pattern=Pattern.BLOOD_STASIS), POINTS)
    general = [w for w in draft.warnings if w.rule == "anticoagulant_or_bleeding" and w.code is None]
    assert general and "0.20 mm" in general[0].message and "superficial" in general[0].message
    assert "BL40" not in codes(draft)
    assert ("BL40", "anticoagulant_major_vessel") in {(e.code, e.rule) for e in draft.excluded}
    assert all(not p.techniques & {Technique.BLOODLETTING, Technique.CUPPING} for p in draft.points)


@pytest.mark.parametrize(("fear", "budget"), [(False, 16), (True, 6)])
def test_needle_fear_draft_holds_at_most_the_setting_number_of_needles(fear: bool, budget: int) -> None:
    draft = draft_plan(facts(needle_fear=fear, leg_pain=LegPain.POSTERIOR_LEG), POINTS)
    assert draft.needle_count <= budget
    if fear:
        assert draft.needle_count in (5, 6)  # the budget is used, not left empty
        assert any(w.rule == "point_cap" and "6 needles" in w.message for w in draft.warnings)


def test_needle_fear_budget_is_a_setting() -> None:
    rules = load_rules()
    fear = rules.prescription.settings.needle_fear.model_copy(update={"max_needles": 7})
    custom = rules.model_copy(
        update={
            "prescription": rules.prescription.model_copy(
                update={"settings": rules.prescription.settings.model_copy(update={"needle_fear": fear})}
            )
        }
    )
    assert draft_plan(facts(needle_fear=True, leg_pain=LegPain.POSTERIOR_LEG), POINTS, custom).needle_count == 7


def test_needle_fear_first_treatment_starts_with_the_short_retention_setting() -> None:
    assert draft_plan(facts(needle_fear=True, first_treatment=True), POINTS).retention_minutes == 15
    assert draft_plan(facts(needle_fear=True), POINTS).retention_minutes == 20


def test_blood_stasis_keeps_bloodletting_without_bleeding_risk() -> None:
    draft = draft_plan(facts(pattern=Pattern.BLOOD_STASIS), POINTS)
    assert Technique.BLOODLETTING in next(p for p in draft.points if p.code == "BL40").techniques


def test_skin_lesion_region_points_are_excluded() -> None:
    draft = draft_plan(facts(skin_lesion_regions={"knee", "lumbar"}), POINTS)
    assert not {"BL40", "BL23", "GV3", ASHI} & codes(draft)
    assert ("BL40", "skin_lesion_site") in {(e.code, e.rule) for e in draft.excluded}


def test_unresolved_red_flags_block_the_plan() -> None:
    with pytest.raises(PlanBlocked) as blocked:
        draft_plan(facts(unresolved_red_flags=("ces_bladder", "cancer_history")), POINTS)
    assert blocked.value.flags == ("ces_bladder", "cancer_history")
    assert "ces_bladder" in str(blocked.value) and "cancer_history" in str(blocked.value)


def test_draft_carries_course_and_advice() -> None:
    draft = draft_plan(facts(causes={Cause.POSTURE}), POINTS)
    assert draft.course.sessions == 10
    assert [a.code for a in draft.advice][:2] == ["workstation_setup", "sitting_breaks"]
    assert draft.blocked_by == ()


@pytest.mark.parametrize(
    "bad",
    [
        {"code": "GV3", "side": "both"},  # midline point drafted bilaterally
        {"code": "BL23", "side": "midline"},
        {"code": "ASHI", "role": "ashi"},  # Ashi without the level where it is needled
        {"unverified": True},  # unverified without saying UNVERIFIED in the source
    ],
)
def test_incoherent_point_entry_is_rejected(bad: dict[str, Any]) -> None:
    entry = {"code": "BL23", "side": "both", "role": "local", "priority": 1, "rationale": "a rationale", "source": "x1"}
    with pytest.raises(ValidationError):
        PointEntry.model_validate(entry | bad)
