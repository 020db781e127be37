"""Course length and rhythm from duration and severity, as the trials ran them (reference §3.6)."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from acupath.planning.domain.course import (
    CourseRules,
    Phase,
    Severity,
    is_severe,
    load_course_rules,
    plan_course,
    severity_of,
)
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
        ({"duration_class": "subacute"}, "subacute_moderate", 8, ((3, 2), (2, 1)), 5),
        ({"duration_class": "acute", "pain_now": 9}, "acute_severe", 7, ((1, 3), (2, 2)), 3),
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


def test_reassessment_after_session_six_and_at_the_end() -> None:
    course = plan_course(facts())
    assert course.reassess_after == (6, 10)
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
    assert course.reassess_after == (6, 12)


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
    data["courses"] = [c for c in data["courses"] if c["code"] != "acute_mild"]
    with pytest.raises(ValidationError, match="no course for a mild acute patient"):
        CourseRules.model_validate(data)


# --- acute and subacute frequency by severity (NRS bands, ODI bands beside them) ----------------


@pytest.mark.parametrize(
    ("pain", "odi", "severity"),
    [
        (0, None, Severity.MILD),
        (3, None, Severity.MILD),  # top of the mild NRS band
        (4, None, Severity.MODERATE),  # bottom of the moderate band
        (6, None, Severity.MODERATE),
        (7, None, Severity.SEVERE),
        (10, None, Severity.SEVERE),
        (2, 20.0, Severity.MILD),  # ODI 20% is still minimal disability
        (2, 20.01, Severity.MODERATE),
        (2, 40.0, Severity.MODERATE),
        (2, 40.01, Severity.SEVERE),
        (5, 41.0, Severity.SEVERE),  # either measure moves the band up
    ],
)
def test_severity_bands_at_each_edge(pain: int, odi: float | None, severity: Severity) -> None:
    assert severity_of(facts(pain_now=pain, odi_percent=odi), load_course_rules()) is severity


@pytest.mark.parametrize(
    ("duration", "pain", "code", "phases"),
    [
        ("acute", 3, "acute_mild", ((4, 1),)),
        ("acute", 4, "acute_moderate", ((3, 2),)),
        ("acute", 6, "acute_moderate", ((3, 2),)),
        ("acute", 7, "acute_severe", ((1, 3), (2, 2))),
        ("subacute", 3, "subacute_mild", ((1, 2), (4, 1))),
        ("subacute", 4, "subacute_moderate", ((3, 2), (2, 1))),
        ("subacute", 6, "subacute_moderate", ((3, 2), (2, 1))),
        ("subacute", 7, "subacute_severe", ((1, 3), (3, 2), (1, 1))),
    ],
)
def test_acute_and_subacute_frequency_depends_on_severity(
    duration: str, pain: int, code: str, phases: tuple[tuple[int, int], ...]
) -> None:
    course = plan_course(facts(duration_class=duration, pain_now=pain))
    assert (course.code, course.phases) == (code, phases)
    assert course.severity.value in code
    assert course.unverified and "UNVERIFIED" in course.source


def _first_three_weeks(phases: tuple[tuple[int, int], ...]) -> int:
    sessions, left = 0, 3
    for weeks, per_week in phases:
        used = min(weeks, left)
        sessions, left = sessions + used * per_week, left - used
    return sessions


def test_more_severe_acute_pain_is_seen_more_often_early() -> None:
    by_band = [plan_course(facts(duration_class=d, pain_now=p)) for d in ("acute", "subacute") for p in (2, 5, 8)]
    for mild, moderate, severe in (by_band[:3], by_band[3:]):
        early = [_first_three_weeks(c.phases) for c in (mild, moderate, severe)]
        assert early == sorted(set(early)), early  # strictly more sessions in the first 3 weeks
        assert mild.sessions <= moderate.sessions <= severe.sessions <= 10  # NICE CG88 ceiling


def test_clinic_reassessment_session_replaces_the_file_default() -> None:
    assert plan_course(facts(), reassess_at=5).reassess_after == (5, 10)
    assert plan_course(facts(), reassess_at=7).reassess_after == (7, 10)
    # A setting past the end of the course leaves only the end-of-course re-assessment.
    assert plan_course(facts(duration_class="acute", pain_now=2), reassess_at=6).reassess_after == (4,)


def test_moderate_band_must_sit_below_severe() -> None:
    data = yaml.safe_load((DATA_DIR / "course_rules.yaml").read_text(encoding="utf-8"))
    data["moderate"]["pain_now_at_least"] = 7
    with pytest.raises(ValidationError, match="moderate band"):
        CourseRules.model_validate(data)
