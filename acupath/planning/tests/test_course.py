"""Course length and rhythm from duration and severity, as the trials ran them (reference §3.6)."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from acupath.planning.domain.course import CourseRules, Phase, is_severe, load_course_rules, plan_course
from acupath.planning.domain.facts import Cause, DurationClass
from acupath.planning.domain.rules import DATA_DIR
from acupath.planning.tests import facts


@pytest.mark.parametrize(
    ("overrides", "code", "sessions", "phases", "weeks"),
    [
        ({}, "chronic_cherkin", 10, ((3, 2), (4, 1)), 7),
        ({"pain_now": 6, "odi_percent": 40.0}, "chronic_cherkin", 10, ((3, 2), (4, 1)), 7),  # edges: not severe
        ({"pain_now": 7}, "chronic_severe_art", 12, ((4, 2), (4, 1)), 8),
        ({"pain_now": 3, "odi_percent": 40.5}, "chronic_severe_art", 12, ((4, 2), (4, 1)), 8),
        ({"duration_class": "subacute"}, "subacute_default", 8, ((3, 2), (2, 1)), 5),
        ({"duration_class": "acute", "pain_now": 9}, "acute_default", 6, ((3, 2),), 3),
        ({"causes": {Cause.SCIATICA}}, "sciatica_delphi", 12, ((4, 3),), 4),
        ({"causes": {Cause.SCIATICA}, "duration_class": "acute"}, "sciatica_delphi", 12, ((4, 3),), 4),
    ],
)
def test_course_by_duration_severity_and_sciatica(
    overrides: dict[str, Any], code: str, sessions: int, phases: tuple[tuple[int, int], ...], weeks: int
) -> None:
    course = plan_course(facts(**overrides))
    assert (course.code, course.sessions, course.phases, course.weeks) == (code, sessions, phases, weeks)
    assert course.per_week == phases[0][1]
    assert course.source and course.rationale


def test_unverified_schedules_are_flagged() -> None:
    acute = plan_course(facts(duration_class="acute"))
    assert acute.unverified and "UNVERIFIED" in acute.source
    cherkin = plan_course(facts())
    assert not cherkin.unverified and "UNVERIFIED" not in cherkin.source
    assert cherkin.maintenance_unverified  # no trial tested maintenance sessions


def test_reassessment_after_session_five_and_at_the_end() -> None:
    course = plan_course(facts())
    assert course.reassess_after == (5, 10)
    assert course.reassess_instruments == ("odi", "rmdq")
    assert course.every_session_instruments == ("nrs",)


def test_reassessment_and_maintenance_are_configurable() -> None:
    rules = load_course_rules()
    custom = rules.model_copy(
        update={
            "reassessment": rules.reassessment.model_copy(update={"after_sessions": (3, 6), "at_end": False}),
            "maintenance": rules.maintenance.model_copy(update={"interval_weeks": (3, 6, 12)}),
        }
    )
    course = plan_course(facts(), custom)
    assert course.reassess_after == (3, 6)
    assert course.maintenance_interval_weeks == (3, 6, 12)


def test_maintenance_tapers() -> None:
    intervals = plan_course(facts()).maintenance_interval_weeks
    assert intervals == (2, 4, 6)
    assert list(intervals) == sorted(intervals)


def test_course_is_capped_at_twelve_sessions_in_ninety_days() -> None:
    rules = load_course_rules()
    greedy = tuple(
        c.model_copy(update={"phases": (Phase(weeks=6, per_week=3), Phase(weeks=2, per_week=2))})
        if c.code == "sciatica_delphi"
        else c
        for c in rules.courses
    )
    course = plan_course(facts(causes={Cause.SCIATICA}), rules.model_copy(update={"courses": greedy}))
    assert course.sessions == 12 and course.phases == ((4, 3),)
    assert "Trimmed to 12" in course.rationale and "NCD 30.3.3" in course.source
    assert course.reassess_after == (5, 12)


def test_cap_keeps_a_partial_last_week() -> None:
    rules = load_course_rules()
    odd = tuple(c.model_copy(update={"phases": (Phase(weeks=4, per_week=5),)}) for c in rules.courses)
    course = plan_course(facts(), rules.model_copy(update={"courses": odd}))
    assert course.phases == ((2, 5), (1, 2)) and course.sessions == 12


@pytest.mark.parametrize(
    ("pain", "odi", "severe"),
    [(7, None, True), (6, None, False), (0, 41.0, True), (0, 40.0, False), (10, 0.0, True)],
)
def test_severity(pain: int, odi: float | None, severe: bool) -> None:
    assert is_severe(facts(pain_now=pain, odi_percent=odi), load_course_rules().severe) is severe


@given(
    duration=st.sampled_from(DurationClass),
    pain=st.integers(0, 10),
    odi=st.none() | st.floats(0, 100),
    causes=st.frozensets(st.sampled_from(Cause)),
)
def test_every_patient_gets_a_course_within_the_cap(
    duration: DurationClass, pain: int, odi: float | None, causes: frozenset[Cause]
) -> None:
    course = plan_course(facts(duration_class=duration, pain_now=pain, odi_percent=odi, causes=causes))
    assert 1 <= course.sessions <= 12
    assert course.sessions == sum(w * p for w, p in course.phases)
    assert course.reassess_after[-1] == course.sessions


def test_rules_must_cover_every_duration() -> None:
    data = yaml.safe_load((DATA_DIR / "course_rules.yaml").read_text(encoding="utf-8"))
    data["courses"] = [c for c in data["courses"] if c["code"] != "acute_default"]
    with pytest.raises(ValidationError, match="acute"):
        CourseRules.model_validate(data)
