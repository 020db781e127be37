"""Red-flag screening: cauda equina first, combination rules, urgency tiers, unknown codes."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from acupath.intake.domain.red_flags import (
    CES_EMERGENCY_PHRASE,
    Category,
    RedFlagCatalogue,
    Urgency,
    advice_for_patient,
    computed_flags,
    evaluate_red_flags,
    highest_urgency,
    is_cauda_equina,
    load_red_flags,
    screening_questions,
)

CODES = [
    "bladder_dysfunction",
    "saddle_anaesthesia",
    "bowel_dysfunction",
    "bilateral_leg_weakness",
    "sexual_dysfunction",
    "bilateral_leg_pain",
    "unilateral_leg_weakness",
    "cancer_history",
    "weight_loss",
    "night_pain",
    "no_improvement",
    "structural_deformity",
    "fever_unwell",
    "infection_risk",
    "major_trauma",
    "minor_trauma_osteoporosis",
    "inflammatory",
]
CES_SIGNS = [
    "bladder_dysfunction",
    "saddle_anaesthesia",
    "bowel_dysfunction",
    "bilateral_leg_weakness",
]
OTHER_CES_FEATURES = [*CES_SIGNS, "bilateral_leg_pain"]


def test_catalogue_header_and_the_seventeen_questions_in_order() -> None:
    catalogue = load_red_flags()
    assert catalogue.dataset == "red_flags"
    assert isinstance(catalogue.version, int)
    assert catalogue.source
    assert catalogue.licence
    assert [q.code for q in screening_questions()] == CODES
    assert all(q.text.endswith("?") and "{" not in q.text for q in screening_questions())


@pytest.mark.parametrize("code", CES_SIGNS)
def test_every_ces_sign_alone_is_a_same_day_emergency(code: str) -> None:
    alerts = evaluate_red_flags({code: True})
    assert len(alerts) == 1
    assert alerts[0].urgency is Urgency.EMERGENCY
    assert alerts[0].category is Category.CAUDA_EQUINA
    assert CES_EMERGENCY_PHRASE in alerts[0].action.lower()
    assert is_cauda_equina(alerts)


@pytest.mark.parametrize("code", ["sexual_dysfunction", "bilateral_leg_pain"])
def test_ces_warning_alone_is_urgent_not_emergency(code: str) -> None:
    alerts = evaluate_red_flags({code: True})
    assert [a.urgency for a in alerts] == [Urgency.URGENT]
    assert CES_EMERGENCY_PHRASE not in alerts[0].action.lower()
    assert not is_cauda_equina(alerts)


@pytest.mark.parametrize("other", OTHER_CES_FEATURES)
def test_sexual_dysfunction_with_another_ces_feature_is_an_emergency(other: str) -> None:
    alerts = evaluate_red_flags({"sexual_dysfunction": True, other: True})
    sexual = next(a for a in alerts if a.flag == "sexual_dysfunction")
    assert sexual.urgency is Urgency.EMERGENCY
    assert CES_EMERGENCY_PHRASE in sexual.action.lower()
    assert is_cauda_equina(alerts)


@pytest.mark.parametrize("other", ["saddle_anaesthesia", "sexual_dysfunction"])
def test_bilateral_leg_pain_escalates_with_another_ces_feature(other: str) -> None:
    alerts = evaluate_red_flags({"bilateral_leg_pain": True, other: True})
    assert all(a.urgency is Urgency.EMERGENCY for a in alerts)


@pytest.mark.parametrize("other", ["cancer_history", "fever_unwell", "night_pain"])
def test_non_ces_flags_do_not_escalate_sexual_dysfunction(other: str) -> None:
    alerts = evaluate_red_flags({"sexual_dysfunction": True, other: True})
    sexual = next(a for a in alerts if a.flag == "sexual_dysfunction")
    assert sexual.urgency is Urgency.URGENT


@pytest.mark.parametrize(
    ("code", "category", "urgency"),
    [
        ("cancer_history", Category.MALIGNANCY, Urgency.URGENT),
        ("weight_loss", Category.MALIGNANCY, Urgency.URGENT),
        ("night_pain", Category.MALIGNANCY, Urgency.URGENT),
        ("fever_unwell", Category.INFECTION, Urgency.EMERGENCY),
        ("infection_risk", Category.INFECTION, Urgency.URGENT),
        ("trauma_osteoporosis", Category.FRACTURE, Urgency.URGENT),
        ("age_first_episode", Category.MALIGNANCY, Urgency.URGENT),
        ("inflammatory", Category.INFLAMMATORY, Urgency.ROUTINE),
    ],
)
def test_other_flags_category_and_urgency(code: str, category: Category, urgency: Urgency) -> None:
    (alert,) = evaluate_red_flags({code: True})
    assert (alert.flag, alert.category, alert.urgency) == (code, category, urgency)
    assert alert.action
    assert alert.question
    assert not is_cauda_equina([alert])


def test_fever_is_a_same_day_referral() -> None:
    (alert,) = evaluate_red_flags({"fever_unwell": True})
    assert "same day" in alert.action.lower()


def test_alerts_are_sorted_most_urgent_first_then_in_question_order() -> None:
    answers = {
        "inflammatory": True,
        "weight_loss": True,
        "cancer_history": True,
        "fever_unwell": True,
        "bowel_dysfunction": True,
    }
    alerts = evaluate_red_flags(answers)
    assert [a.flag for a in alerts] == [
        "bowel_dysfunction",
        "fever_unwell",
        "cancer_history",
        "weight_loss",
        "inflammatory",
    ]
    assert highest_urgency(alerts) is Urgency.EMERGENCY


@pytest.mark.parametrize("answers", [{}, dict.fromkeys(CODES, False), dict.fromkeys(CODES)])
def test_no_alerts_unless_answered_yes(answers: dict[str, bool | None]) -> None:
    assert evaluate_red_flags(answers) == []
    assert highest_urgency([]) is None


def test_unknown_codes_are_named() -> None:
    with pytest.raises(ValueError, match="unknown red flag code\\(s\\): chest_pain, headache"):
        evaluate_red_flags({"headache": True, "bladder_dysfunction": False, "chest_pain": True})


@pytest.mark.parametrize("value", ["yes", 1, 0, "maybe"])
def test_answers_must_be_booleans(value: object) -> None:
    with pytest.raises(TypeError, match="'cancer_history'"):
        evaluate_red_flags({"cancer_history": value})  # type: ignore[dict-item]


def test_age_thresholds_are_settings_and_the_age_is_not_asked() -> None:
    catalogue = load_red_flags()
    assert catalogue.settings["first_episode_age_over"].unverified is True
    assert catalogue.settings["first_episode_age_over"].value == 50
    assert not {"age_over_threshold", "age_under_threshold", "age_first_episode"} & set(CODES)
    born = dt.date(1970, 6, 1)
    assert "age_over_threshold" in computed_flags(born, dt.date(2026, 6, 1))  # 56
    assert computed_flags(born, dt.date(2026, 6, 1), catalogue.with_settings(first_episode_age_over=56)) == {}


def test_ces_emergency_without_the_referral_phrase_is_rejected_on_load() -> None:
    data = load_red_flags().model_dump()
    data["flags"][0]["action"] = "Refer to the GP."
    with pytest.raises(ValidationError, match=CES_EMERGENCY_PHRASE):
        RedFlagCatalogue.model_validate(data)


# --- what the patient is told after answering yes before a visit -----------------------------------


@pytest.mark.parametrize("code", CES_SIGNS)
def test_a_ces_sign_tells_the_patient_to_seek_emergency_help_today(code: str) -> None:
    advice = advice_for_patient(evaluate_red_flags({code: True}))
    assert advice == load_red_flags().patient_advice.cauda_equina
    assert "today" in advice
    assert "emergency department" in advice


def test_escalated_sexual_dysfunction_uses_the_ces_advice() -> None:
    alerts = evaluate_red_flags({"sexual_dysfunction": True, "bilateral_leg_pain": True})
    assert advice_for_patient(alerts) == load_red_flags().patient_advice.cauda_equina


@pytest.mark.parametrize(
    ("answers", "tier"),
    [
        ({"fever_unwell": True}, "emergency"),  # same day, but not cauda equina
        ({"cancer_history": True}, "urgent"),
        ({"sexual_dysfunction": True}, "urgent"),
        ({"inflammatory": True}, "routine"),
        ({"inflammatory": True, "weight_loss": True}, "urgent"),  # the most urgent answer decides
    ],
)
def test_other_answers_get_the_advice_of_their_most_urgent_tier(answers: dict[str, bool], tier: str) -> None:
    assert advice_for_patient(evaluate_red_flags(answers)) == getattr(load_red_flags().patient_advice, tier)


def test_a_clear_screen_needs_no_advice() -> None:
    assert advice_for_patient(evaluate_red_flags({"cancer_history": False})) is None


def test_patient_advice_is_required_for_every_tier() -> None:
    data = load_red_flags().model_dump()
    del data["patient_advice"]["urgent"]
    with pytest.raises(ValidationError, match="urgent"):
        RedFlagCatalogue.model_validate(data)
