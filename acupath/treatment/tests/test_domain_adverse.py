"""The adverse-event consistency rules (R1-R5 of treatment/domain/adverse.py), case by case."""

import pytest

from acupath.treatment.domain.adverse import (
    ACTION_MAX,
    DESCRIPTION_MAX,
    FOLLOW_UP_MAX,
    AdverseFacts,
    adverse_event_problems,
    is_serious,
)


def facts(**kw):
    base = {
        "kind": "bleeding_haematoma",
        "severity": "mild",
        "seriousness": frozenset(),
        "outcome": "recovered",
        "description": "",
        "action_taken": "pressed 2 minutes",
    }
    return AdverseFacts(**(base | kw))


@pytest.mark.parametrize(
    ("case", "fields"),
    [
        # R1: other must be described
        (facts(kind="other"), {"description"}),
        (facts(kind="other", description="   "), {"description"}),
        (facts(kind="other", description="x"), set()),
        (facts(kind="syncope"), set()),  # a named kind needs no description
        # R2: death and fatal go together
        (facts(seriousness=frozenset({"death"}), outcome="fatal", severity="severe"), set()),
        (facts(seriousness=frozenset({"death"}), outcome="recovered", severity="severe"), {"outcome"}),
        (facts(seriousness=frozenset({"death"}), outcome="unknown", severity="severe"), {"outcome"}),
        (facts(outcome="fatal", severity="severe"), {"seriousness"}),
        (facts(seriousness=frozenset({"hospitalisation"}), outcome="fatal", severity="severe"), {"seriousness"}),
        # R3: fatal or life-threatening is severe
        (facts(seriousness=frozenset({"life_threatening"}), severity="moderate", outcome="recovering"), {"severity"}),
        (facts(seriousness=frozenset({"life_threatening"}), severity="severe", outcome="recovering"), set()),
        (facts(seriousness=frozenset({"death"}), outcome="fatal", severity="mild"), {"severity"}),
        (facts(seriousness=frozenset({"hospitalisation"}), severity="moderate", outcome="recovered"), set()),
        # R4: persistent disability is not "recovered"
        (facts(seriousness=frozenset({"disability"}), severity="severe", outcome="recovered"), {"outcome"}),
        (facts(seriousness=frozenset({"disability"}), severity="severe", outcome="recovered_with_sequelae"), set()),
        (facts(seriousness=frozenset({"disability"}), severity="moderate", outcome="not_recovered"), set()),
        # R5: the action taken is required
        (facts(action_taken=""), {"action_taken"}),
        (facts(action_taken=" \n "), {"action_taken"}),
    ],
)
def test_each_consistency_rule(case, fields):
    assert set(adverse_event_problems(case)) == fields


@pytest.mark.parametrize(
    ("field", "limit"),
    [("description", DESCRIPTION_MAX), ("action_taken", ACTION_MAX), ("follow_up", FOLLOW_UP_MAX)],
)
def test_free_text_is_accepted_up_to_its_limit_and_refused_one_past_it(field, limit):
    assert adverse_event_problems(facts(**{field: "a" * limit})) == {}
    problems = adverse_event_problems(facts(**{field: "a" * (limit + 1)}))
    assert set(problems) == {field}
    assert f"{limit + 1} characters" in problems[field] and f"{limit} or fewer" in problems[field]


def test_an_event_is_serious_when_any_criterion_is_met():
    assert not is_serious(frozenset())
    assert all(
        is_serious(frozenset({c}))
        for c in ("death", "life_threatening", "hospitalisation", "disability", "congenital_anomaly")
    )


def test_messages_say_what_to_do_in_the_clinic_words():
    problems = adverse_event_problems(facts(seriousness=frozenset({"death"}), outcome="recovered"))
    assert "'Fatal'" in problems["outcome"] and "'Severe'" in problems["severity"]
