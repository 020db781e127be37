"""Tests for course proposals: rhythm, gaps, days off, tapering phases, rebooking."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Sequence
from datetime import date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from acupath.scheduling.domain.calendar import (
    Leave,
    PractitionerCalendar,
    Slot,
    WorkingHours,
)
from acupath.scheduling.domain.course import (
    CourseProposal,
    propose_course,
    rebook_remainder,
)
from acupath.scheduling.domain.slots import find_slots

KOLKATA = ZoneInfo("Asia/Kolkata")
MONDAY = date(2025, 1, 6)
MON_TO_SAT = tuple(
    WorkingHours(d, start, end) for d in range(6) for start, end in ((time(9), time(13)), (time(14), time(18)))
)
DayFinder = Callable[[date], list[Slot]]


def local(day: date, hh: int = 0) -> datetime:
    return datetime.combine(day, time(hh), tzinfo=KOLKATA)


def on_leave(first: date, days: int) -> Leave:
    """Leave covering whole local days [first, first + days)."""
    return Leave(local(first), local(first + timedelta(days=days)))


def clinic(team: Sequence[PractitionerCalendar], holidays: Collection[date] = ()) -> DayFinder:
    """The real slot finder for one local day, as the scheduling service calls it."""

    def day_slots(day: date) -> list[Slot]:
        return find_slots(
            tz=KOLKATA,
            practitioners=team,
            practitioner_busy={},
            rooms=None,
            holidays=set(holidays),
            duration=timedelta(minutes=45),
            window_start=local(day),
            window_end=local(day + timedelta(days=1)),
        )

    return day_slots


def days_of(proposal: CourseProposal) -> list[date]:
    return [s.start.date() for s in proposal.slots]


def iso_weeks(days: Sequence[date]) -> Counter[tuple[int, int]]:
    return Counter(day.isocalendar()[:2] for day in days)


def assert_rhythm(days: Sequence[date], per_week: int, min_gap_days: int) -> None:
    assert all(count <= per_week for count in iso_weeks(days).values()), days
    for earlier, later in pairwise(days):
        assert (later - earlier).days >= min_gap_days, (earlier, later)


def test_twice_weekly_course_skips_leave_week_and_holiday() -> None:
    holiday = date(2025, 1, 8)  # Wednesday: the greedy second session would land here
    leave_week = [date(2025, 1, 13) + timedelta(days=n) for n in range(7)]
    p1 = PractitionerCalendar("p1", MON_TO_SAT, leave=(on_leave(leave_week[0], 7),))

    proposal = propose_course(
        sessions=10,
        per_week=2,
        min_gap_days=2,
        first_day=MONDAY,
        find_day_slots=clinic([p1], holidays={holiday}),
        preferred_time=time(17),
    )

    days = days_of(proposal)
    assert proposal.unplaced == 0
    assert proposal.problems == []
    assert len(days) == 10
    assert holiday not in days
    assert not set(days) & set(leave_week)
    assert_rhythm(days, per_week=2, min_gap_days=2)
    assert days[:3] == [MONDAY, date(2025, 1, 9), date(2025, 1, 20)]
    # 17:00 is the closest start to the patient's preferred time (45 minutes must fit).
    assert {f"{s.start:%H:%M}" for s in proposal.slots} == {"17:00"}


def test_course_keeps_the_first_practitioner_and_covers_their_leave() -> None:
    # p2 is listed first, but p1 took the first session (p2 was away that day).
    p2 = PractitionerCalendar("p2", MON_TO_SAT, leave=(on_leave(MONDAY, 1),))
    p1 = PractitionerCalendar("p1", MON_TO_SAT, leave=(on_leave(date(2025, 1, 13), 7),))
    proposal = propose_course(
        sessions=6,
        per_week=2,
        min_gap_days=3,
        first_day=MONDAY,
        find_day_slots=clinic([p2, p1]),
    )
    by_week = [(s.start.isocalendar()[1], s.practitioner_id) for s in proposal.slots]
    assert by_week == [(2, "p1"), (2, "p1"), (3, "p2"), (3, "p2"), (4, "p1"), (4, "p1")]


def test_cherkin_taper_two_a_week_for_three_weeks_then_weekly_for_four() -> None:
    proposal = propose_course(
        sessions=10,
        per_week=1,
        min_gap_days=2,
        first_day=MONDAY,
        find_day_slots=clinic([PractitionerCalendar("p1", MON_TO_SAT)]),
        phases=[(3, 2), (4, 1)],
    )
    per_week = [count for _, count in sorted(iso_weeks(days_of(proposal)).items())]
    assert per_week == [2, 2, 2, 1, 1, 1, 1]
    assert proposal.unplaced == 0


def test_after_the_last_phase_the_plain_rhythm_applies() -> None:
    proposal = propose_course(
        sessions=12,
        per_week=2,
        min_gap_days=2,
        first_day=MONDAY,
        find_day_slots=clinic([PractitionerCalendar("p1", MON_TO_SAT)]),
        phases=[(3, 2), (4, 1)],
    )
    per_week = [count for _, count in sorted(iso_weeks(days_of(proposal)).items())]
    assert per_week == [2, 2, 2, 1, 1, 1, 1, 2]


def test_phases_count_from_the_first_session_not_the_search_start() -> None:
    away = PractitionerCalendar("p1", MON_TO_SAT, leave=(on_leave(MONDAY, 7),))
    proposal = propose_course(
        sessions=10,
        per_week=1,
        min_gap_days=2,
        first_day=MONDAY,
        find_day_slots=clinic([away]),
        phases=[(3, 2), (4, 1)],
    )
    weeks = sorted(iso_weeks(days_of(proposal)).items())
    assert weeks[0][0] == (2025, 3)  # starts after the leave week...
    assert [count for _, count in weeks] == [
        2,
        2,
        2,
        1,
        1,
        1,
        1,
    ]  # ...with the full taper


def test_unplaceable_course_reports_what_is_missing() -> None:
    proposal = propose_course(
        sessions=6,
        per_week=2,
        min_gap_days=2,
        first_day=MONDAY,
        find_day_slots=clinic([PractitionerCalendar("p1", MON_TO_SAT)]),
        max_weeks=2,
    )
    assert len(proposal.slots) == 4
    assert proposal.unplaced == 2
    assert "Placed 4 of 6 sessions" in proposal.problems[0]
    assert any("fits only 4 session(s)" in p for p in proposal.problems)


def test_fully_booked_diary_reports_days_without_slots() -> None:
    proposal = propose_course(
        sessions=3,
        per_week=2,
        min_gap_days=2,
        first_day=MONDAY,
        find_day_slots=lambda day: [],
        max_weeks=2,
    )
    assert proposal.slots == []
    assert proposal.unplaced == 3
    assert any("14 day(s)" in p and "no free slot" in p for p in proposal.problems)
    assert not any("fits only" in p for p in proposal.problems)


def test_slots_dated_on_another_day_are_ignored() -> None:
    def next_day_only(day: date) -> list[Slot]:
        later = day + timedelta(days=1)
        return [Slot(local(later, 9), local(later, 10), "p1")]

    proposal = propose_course(
        sessions=1,
        per_week=1,
        min_gap_days=1,
        first_day=MONDAY,
        find_day_slots=next_day_only,
        max_weeks=1,
    )
    assert proposal.slots == []
    assert proposal.unplaced == 1


@pytest.mark.parametrize(
    ("sessions", "per_week", "min_gap_days", "phases"),
    [
        (-1, 1, 1, None),
        (1, 0, 1, None),
        (1, 1, 0, None),
        (1, 1, 1, [(0, 2)]),
        (1, 1, 1, [(1, 0), (2, 2)]),
    ],
)
def test_invalid_rhythm_is_rejected(
    sessions: int,
    per_week: int,
    min_gap_days: int,
    phases: list[tuple[int, int]] | None,
) -> None:
    with pytest.raises(ValueError, match=">="):
        propose_course(
            sessions=sessions,
            per_week=per_week,
            min_gap_days=min_gap_days,
            first_day=MONDAY,
            find_day_slots=lambda day: [],
            phases=phases,
        )


def test_rebook_remainder_after_a_cancelled_day_keeps_rules_and_practitioner() -> None:
    p2 = PractitionerCalendar("p2", MON_TO_SAT)
    p1 = PractitionerCalendar("p1", MON_TO_SAT)
    find = clinic([p2, p1])
    course = propose_course(sessions=10, per_week=2, min_gap_days=3, first_day=MONDAY, find_day_slots=find)
    # The course was booked with p1 (say, by the patient's choice).
    booked = [Slot(s.start, s.end, "p1") for s in course.slots]
    cancelled = booked[4].start.date()  # Monday of the third week

    proposal = rebook_remainder(
        booked=booked,
        cancelled_day=cancelled,
        per_week=2,
        min_gap_days=3,
        find_day_slots=find,
    )

    kept = days_of(CourseProposal(booked[:4]))
    new = days_of(proposal)
    assert proposal.unplaced == 0
    assert len(new) == 6
    assert cancelled not in new
    assert new[0] == cancelled + timedelta(days=1)  # the week's other day, Tuesday
    assert_rhythm(kept + new, per_week=2, min_gap_days=3)
    assert {s.practitioner_id for s in proposal.slots} == {"p1"}


_offsets = st.integers(min_value=0, max_value=60)


@settings(max_examples=40, deadline=None)
@given(
    per_week=st.integers(1, 3),
    min_gap=st.integers(1, 3),
    sessions=st.integers(1, 14),
    start_offset=st.integers(0, 6),
    holiday_offsets=st.sets(_offsets, max_size=12),
    leave=st.lists(st.tuples(_offsets, st.integers(1, 14)), max_size=3),
    max_weeks=st.integers(1, 10),
    phases=st.none() | st.lists(st.tuples(st.integers(1, 3), st.integers(0, 3)), max_size=3),
)
def test_every_proposal_respects_rhythm_and_days_off(
    per_week: int,
    min_gap: int,
    sessions: int,
    start_offset: int,
    holiday_offsets: set[int],
    leave: list[tuple[int, int]],
    max_weeks: int,
    phases: list[tuple[int, int]] | None,
) -> None:
    if phases:
        phases[0] = (phases[0][0], max(1, phases[0][1]))  # a course cannot open resting
    first_day = MONDAY + timedelta(days=start_offset)
    holidays = {first_day + timedelta(days=n) for n in holiday_offsets}
    away = {first_day + timedelta(days=s + n) for s, length in leave for n in range(length)}
    leaves = tuple(on_leave(first_day + timedelta(days=s), n) for s, n in leave)
    team = [PractitionerCalendar("p1", MON_TO_SAT, leave=leaves)]

    proposal = propose_course(
        sessions=sessions,
        per_week=per_week,
        min_gap_days=min_gap,
        first_day=first_day,
        find_day_slots=clinic(team, holidays),
        max_weeks=max_weeks,
        phases=phases,
    )

    days = days_of(proposal)
    assert len(days) + proposal.unplaced == sessions
    assert bool(proposal.problems) == (proposal.unplaced > 0)
    assert not set(days) & (holidays | away)
    assert all(day.weekday() != 6 for day in days)  # the clinic is closed on Sundays
    assert all(first_day <= day < first_day + timedelta(weeks=max_weeks) for day in days)
    caps = [n for weeks, n in phases or () for _ in range(weeks)]
    assert_rhythm(days, max([per_week, *caps]), min_gap)
    # Week by week, the cap the phases set, counting weeks from the first session.
    if days:
        opening = days[0] - timedelta(days=days[0].weekday())
        for monday, count in Counter(d - timedelta(d.weekday()) for d in days).items():
            index = (monday - opening).days // 7
            assert count <= (caps[index] if index < len(caps) else per_week), days


def test_rebook_continues_the_taper_counted_from_the_original_first_session() -> None:
    find = clinic([PractitionerCalendar("p1", MON_TO_SAT)])
    taper = [(3, 2), (4, 1)]
    course = propose_course(
        sessions=10,
        per_week=1,
        min_gap_days=2,
        first_day=MONDAY,
        find_day_slots=find,
        phases=taper,
    )
    cancelled = course.slots[4].start.date()  # first session of the third week

    proposal = rebook_remainder(
        booked=course.slots,
        cancelled_day=cancelled,
        per_week=1,
        min_gap_days=2,
        find_day_slots=find,
        phases=taper,
    )

    days = days_of(CourseProposal(course.slots[:4])) + days_of(proposal)
    assert cancelled not in days
    assert [n for _, n in sorted(iso_weeks(days).items())] == [2, 2, 2, 1, 1, 1, 1]
