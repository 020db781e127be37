"""Pure rules: decisions at least as urgent as the tier, referral outcomes, flags open across the
episode, unsure counts as yes, the age flag from the birth date (knowledge/data/red_flags.yaml)."""

import datetime as dt

import pytest

from acupath.intake.domain.red_flags import (
    Urgency,
    computed_flags,
    evaluate_red_flags,
    load_red_flags,
    missing_answers,
    screening_questions,
)
from acupath.intake.domain.referrals import (
    Decision,
    Outcome,
    Screen,
    allowed_decisions,
    current_episode,
    decision_allowed,
    decision_refusal,
    open_alerts,
    referral_blocks,
)
from acupath.intake.enums import RedFlagDecision, RedFlagTier, ReferralOutcome

NO = {q.code: False for q in screening_questions()}

# --- every flag has a tier and a source ---------------------------------------------------------


def test_every_flag_has_a_tier_a_title_and_a_source() -> None:
    for flag in load_red_flags().flags:
        assert flag.tier in Urgency and flag.title and flag.source


@pytest.mark.parametrize(
    ("code", "tier"),
    [
        ("bladder_dysfunction", Urgency.EMERGENCY),
        ("major_trauma", Urgency.EMERGENCY),
        ("fever_unwell", Urgency.EMERGENCY),
        ("unilateral_leg_weakness", Urgency.URGENT),
        ("cancer_history", Urgency.URGENT),
        ("no_improvement", Urgency.SOON),
        ("structural_deformity", Urgency.SOON),
        ("minor_trauma_osteoporosis", Urgency.SOON),
        ("inflammatory", Urgency.ROUTINE),
    ],
)
def test_tiers_of_the_new_and_split_questions(code: str, tier: Urgency) -> None:
    (alert,) = evaluate_red_flags({code: True})
    assert alert.urgency is tier


def test_one_leg_weakness_is_not_a_cauda_equina_sign_on_its_own() -> None:
    (alert,) = evaluate_red_flags({"unilateral_leg_weakness": True})
    assert alert.category.value == "neurological"


def test_the_enums_mirror_the_domain() -> None:
    assert set(RedFlagDecision.values) == {d.value for d in Decision}
    assert set(RedFlagTier.values) == {u.value for u in Urgency}
    assert set(ReferralOutcome.values) == {o.value for o in Outcome}


# --- decisions at least as urgent as the tier ---------------------------------------------------


@pytest.mark.parametrize(
    ("tier", "allowed"),
    [
        (Urgency.EMERGENCY, {"refer_emergency"}),
        (Urgency.URGENT, {"refer_emergency", "refer_urgent"}),
        (Urgency.SOON, {"refer_emergency", "refer_urgent", "refer_soon", "not_relevant"}),
        (Urgency.ROUTINE, {"refer_emergency", "refer_urgent", "refer_soon", "refer_routine", "not_relevant"}),
    ],
)
def test_allowed_decisions_per_tier(tier: Urgency, allowed: set[str]) -> None:
    assert {d.value for d in allowed_decisions(tier)} == allowed
    for decision in Decision:
        assert decision_allowed(tier, decision) is (decision.value in allowed)


@pytest.mark.parametrize("decision", ["refer_urgent", "refer_routine", "not_relevant"])
def test_an_emergency_flag_refuses_anything_but_an_emergency_referral_naming_the_tier(decision: str) -> None:
    refusal = decision_refusal(Urgency.EMERGENCY, decision, "Numbness between the legs")
    assert refusal is not None
    assert "emergency flag (same day)" in refusal
    assert "unsure" not in refusal and "_" not in refusal.split("'")[0]


def test_an_urgent_flag_refusal_names_its_tier() -> None:
    refusal = decision_refusal(Urgency.URGENT, "not_relevant", "A history of cancer")
    assert refusal is not None and "urgent flag (within 2 weeks)" in refusal
    assert decision_refusal(Urgency.URGENT, "refer_urgent", "A history of cancer") is None


# --- referral outcomes ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tier", "outcome", "blocks"),
    [
        (Urgency.EMERGENCY, "", True),
        (Urgency.EMERGENCY, "cleared", False),
        (Urgency.EMERGENCY, "confirmed", True),
        (Urgency.EMERGENCY, "not_attended", True),
        (Urgency.URGENT, "", True),
        (Urgency.URGENT, "cleared", False),
        (Urgency.URGENT, "confirmed", True),
        (Urgency.URGENT, "not_attended", True),
        (Urgency.SOON, "", False),
        (Urgency.ROUTINE, "", False),
    ],
)
def test_only_cleared_reopens_an_emergency_or_urgent_referral(tier: Urgency, outcome: str, blocks: bool) -> None:
    assert referral_blocks(tier, outcome) is blocks


# --- unsure and missing answers ------------------------------------------------------------------


def test_unsure_counts_as_yes() -> None:
    (alert,) = evaluate_red_flags({"saddle_anaesthesia": "unsure"})
    assert (alert.urgency, alert.answer) == (Urgency.EMERGENCY, "unsure")


def test_unsure_is_a_cauda_equina_feature_for_the_combination_rule() -> None:
    alerts = {a.flag: a for a in evaluate_red_flags({"sexual_dysfunction": True, "bilateral_leg_pain": "unsure"})}
    assert alerts["sexual_dysfunction"].urgency is Urgency.EMERGENCY


def test_missing_answers_are_listed_in_question_order() -> None:
    answers = dict(NO)
    del answers["major_trauma"], answers["bladder_dysfunction"]
    assert missing_answers(answers) == ["bladder_dysfunction", "major_trauma"]
    assert missing_answers(NO) == []
    assert missing_answers(NO | {"cancer_history": None}) == ["cancer_history"]


# --- the age flag: worked out from the birth date -------------------------------------------------

BORN = dt.date(1976, 3, 15)


@pytest.mark.parametrize(
    ("on", "raised"),
    [
        (dt.date(2026, 3, 14), False),  # 49: below
        (dt.date(2026, 3, 15), False),  # 50 exactly: not over 50
        (dt.date(2027, 3, 14), False),  # still 50 the day before the birthday
        (dt.date(2027, 3, 15), True),  # 51: above
    ],
)
def test_age_over_threshold_boundaries(on: dt.date, raised: bool) -> None:
    assert ("age_over_threshold" in computed_flags(BORN, on)) is raised


def test_the_age_flag_gives_its_reason() -> None:
    assert computed_flags(BORN, dt.date(2027, 3, 15)) == {
        "age_over_threshold": "Aged 51 at this consultation (born 15 Mar 1976): over 50."
    }


@pytest.mark.parametrize(("age", "raised"), [(19, True), (20, False), (21, False)])
def test_age_under_threshold_boundaries(age: int, raised: bool) -> None:
    born = dt.date(2000, 1, 1)
    assert ("age_under_threshold" in computed_flags(born, dt.date(2000 + age, 1, 1))) is raised


def test_no_birth_date_no_computed_flag() -> None:
    assert computed_flags(None, dt.date(2026, 1, 1)) == {}


# --- a flag stays open across the episode ---------------------------------------------------------


def test_a_flag_raised_earlier_in_the_episode_stays_open_whatever_a_reassessment_answers() -> None:
    episode = [
        Screen("initial", NO | {"cancer_history": True}, {}),
        Screen("reassessment", NO, {}),
    ]
    assert [a.flag for a in open_alerts(current_episode(episode))] == ["cancer_history"]


def test_an_adequate_decision_anywhere_in_the_episode_closes_it() -> None:
    episode = [
        Screen("initial", NO | {"cancer_history": True}, {}),
        Screen("reassessment", NO, {"cancer_history": "refer_urgent"}),
    ]
    assert open_alerts(episode) == []


def test_a_decision_too_weak_for_the_tier_reached_keeps_the_flag_open() -> None:
    # Sexual dysfunction alone is urgent; with bilateral leg pain later it escalates to an emergency.
    episode = [
        Screen("initial", NO | {"sexual_dysfunction": True}, {"sexual_dysfunction": "refer_urgent"}),
        Screen("reassessment", NO | {"sexual_dysfunction": True, "bilateral_leg_pain": True}, {}),
    ]
    still = {a.flag: a.urgency for a in open_alerts(episode)}
    assert still == {"sexual_dysfunction": Urgency.EMERGENCY, "bilateral_leg_pain": Urgency.EMERGENCY}


def test_a_new_initial_consultation_starts_a_new_episode() -> None:
    screens = [
        Screen("initial", NO | {"inflammatory": True}, {}),
        Screen("initial", NO, {}),
        Screen("reassessment", NO, {}),
    ]
    assert len(current_episode(screens)) == 2
    assert open_alerts(current_episode(screens)) == []
