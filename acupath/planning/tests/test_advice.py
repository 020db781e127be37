"""Self-care advice by cause, general items last, never repeated."""

from __future__ import annotations

from typing import Any

import pytest

from acupath.planning.domain.advice import AdviceRules, advice_for, load_advice_rules
from acupath.planning.domain.facts import Cause, PatientFacts

GENERAL = ["stay_active", "posture_changes", "after_treatment"]


def facts(causes: set[Cause]) -> PatientFacts:
    values: dict[str, Any] = {"region": "lumbar", "leg_pain": "none", "duration_class": "chronic", "pain_now": 5}
    return PatientFacts(causes=frozenset(causes), **values)


@pytest.mark.parametrize(
    ("cause", "expected"),
    [
        (Cause.POSTURE, {"workstation_setup", "sitting_breaks"}),
        (Cause.STRAIN_INJURY, {"graded_activity", "heat"}),
        (Cause.DISC_SPINAL, {"walking", "sitting_breaks", "when_to_seek_help"}),
        (Cause.SCIATICA, {"walking", "sitting_breaks", "when_to_seek_help"}),
        (Cause.ARTHRITIS, {"gentle_movement", "heat", "walking"}),
        (Cause.STRESS_TENSION, {"relaxation_breathing", "sleep"}),
    ],
)
def test_advice_per_cause_with_general_items_last(cause: Cause, expected: set[str]) -> None:
    codes = [item.code for item in advice_for(facts({cause}))]
    assert set(codes) - set(GENERAL) == expected
    assert codes[-len(GENERAL) :] == GENERAL


def test_shared_items_appear_once() -> None:
    codes = [item.code for item in advice_for(facts({Cause.DISC_SPINAL, Cause.SCIATICA, Cause.POSTURE}))]
    assert len(codes) == len(set(codes))
    assert codes.count("sitting_breaks") == 1


def test_no_cause_gets_general_advice_only() -> None:
    assert [item.code for item in advice_for(facts(set()))] == GENERAL


def test_every_cause_has_specific_advice() -> None:
    for cause in Cause:
        assert len(advice_for(facts({cause}))) > len(GENERAL), cause


def test_duplicate_codes_in_hand_built_rules_are_not_repeated() -> None:
    rules = load_advice_rules()
    doubled = AdviceRules.model_construct(**(dict(rules) | {"items": rules.items + rules.items}))
    codes = [item.code for item in advice_for(facts({Cause.POSTURE}), doubled)]
    assert len(codes) == len(set(codes))


def test_advice_file_rejects_duplicate_codes() -> None:
    rules = load_advice_rules()
    data = rules.model_dump() | {"items": [i.model_dump() for i in rules.items * 2]}
    with pytest.raises(ValueError, match="duplicate advice item"):
        AdviceRules.model_validate(data)


def test_advice_is_short_and_cites_a_source() -> None:
    for item in load_advice_rules().items:
        assert len(item.text) <= 400 and item.source
