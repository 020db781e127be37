"""Tests for the pure slot finder: rota, breaks, leave, bookings, rooms and DST."""

from __future__ import annotations

import random
import time as clock
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from acupath.scheduling.domain.calendar import (
    Break,
    Busy,
    Leave,
    PractitionerCalendar,
    RoomCalendar,
    Slot,
    WorkingHours,
)
from acupath.scheduling.domain.slots import find_slots

LONDON = ZoneInfo("Europe/London")
KOLKATA = ZoneInfo("Asia/Kolkata")
MONDAY = date(2025, 6, 2)  # a Monday in British Summer Time
TUESDAY = MONDAY + timedelta(days=1)


def at(day: date, hh: int, mm: int = 0, tz: ZoneInfo = LONDON) -> datetime:
    return datetime.combine(day, time(hh, mm), tzinfo=tz)


def busy(day: date, start: tuple[int, int], end: tuple[int, int]) -> Busy:
    return Busy(at(day, *start), at(day, *end))


def weekdays(start: time, end: time) -> tuple[WorkingHours, ...]:
    return tuple(WorkingHours(d, start, end) for d in range(5))


def cal(pid: str = "p1", **kwargs: Any) -> PractitionerCalendar:
    kwargs.setdefault("hours", weekdays(time(9), time(12)))
    return PractitionerCalendar(pid, **kwargs)


def search(
    practitioners: Sequence[PractitionerCalendar] = (),
    day: date = MONDAY,
    days: int = 1,
    **kwargs: Any,
) -> list[Slot]:
    """find_slots over whole local days, 60-minute appointments on an hourly grid."""
    kwargs.setdefault("tz", LONDON)
    tz = kwargs["tz"]
    params: dict[str, Any] = {
        "practitioners": practitioners or [cal()],
        "practitioner_busy": {},
        "rooms": None,
        "holidays": set(),
        "duration": timedelta(minutes=60),
        "step": timedelta(minutes=60),
        "window_start": at(day, 0, tz=tz),
        "window_end": at(day + timedelta(days=days), 0, tz=tz),
    }
    params.update(kwargs)
    return find_slots(**params)


def starts(slots: Sequence[Slot]) -> list[str]:
    return [f"{s.start:%a %H:%M}" for s in slots]


def test_slots_lie_inside_working_hours_on_the_local_grid() -> None:
    slots = search(duration=timedelta(minutes=30), step=timedelta(minutes=30))
    assert starts(slots) == [f"Mon {h:02d}:{m:02d}" for h in (9, 10, 11) for m in (0, 30)]
    assert all(s.duration == timedelta(minutes=30) for s in slots)
    assert all(s.practitioner_id == "p1" and s.room_id is None for s in slots)


def test_appointment_must_end_before_the_end_of_its_block() -> None:
    p = cal(hours=(WorkingHours(0, time(9), time(10)),))
    slots = search([p], duration=timedelta(minutes=45), step=timedelta(minutes=15))
    assert starts(slots) == ["Mon 09:00", "Mon 09:15"]


def test_appointment_cannot_straddle_two_blocks_of_a_split_shift() -> None:
    hours = (
        WorkingHours(0, time(9), time(10, 30)),
        WorkingHours(0, time(10, 30), time(12)),
    )
    slots = search([cal(hours=hours)], step=timedelta(minutes=30))
    assert starts(slots) == ["Mon 09:00", "Mon 09:30", "Mon 10:30", "Mon 11:00"]


def test_grid_is_aligned_to_the_wall_clock_not_the_block_start() -> None:
    p = cal(hours=(WorkingHours(0, time(9, 10), time(10)),))
    slots = search([p], duration=timedelta(minutes=15), step=timedelta(minutes=15))
    assert starts(slots) == ["Mon 09:15", "Mon 09:30", "Mon 09:45"]


def test_overlapping_rota_blocks_do_not_duplicate_slots() -> None:
    hours = (WorkingHours(0, time(9), time(11)), WorkingHours(0, time(10), time(12)))
    assert starts(search([cal(hours=hours)])) == ["Mon 09:00", "Mon 10:00", "Mon 11:00"]


def test_recurring_break_is_excluded() -> None:
    p = cal(hours=weekdays(time(9), time(14)), breaks=(Break(0, time(11), time(12)),))
    assert starts(search([p])) == ["Mon 09:00", "Mon 10:00", "Mon 12:00", "Mon 13:00"]
    # The break is Monday's only: Tuesday keeps its 11:00.
    assert "Tue 11:00" in starts(search([p], day=TUESDAY))


def test_leave_is_excluded_across_midnight() -> None:
    p = cal(leave=(Leave(at(MONDAY, 10), at(TUESDAY, 10)),))
    assert starts(search([p], days=2)) == ["Mon 09:00", "Tue 10:00", "Tue 11:00"]


def test_holiday_closes_the_whole_day() -> None:
    slots = search([cal("p1"), cal("p2")], days=2, holidays={MONDAY})
    assert slots
    assert all(s.start.date() == TUESDAY for s in slots)


def test_practitioner_busy_blocks_only_that_practitioner() -> None:
    # A booking given in UTC: 09:00Z is 10:00 in London summer time.
    booked = Busy(datetime(2025, 6, 2, 9, tzinfo=UTC), datetime(2025, 6, 2, 10, tzinfo=UTC))
    slots = search([cal("p1"), cal("p2")], practitioner_busy={"p1": [booked]})
    by_p1 = [s for s in slots if s.practitioner_id == "p1"]
    by_p2 = [s for s in slots if s.practitioner_id == "p2"]
    assert starts(by_p1) == ["Mon 09:00", "Mon 11:00"]
    assert starts(by_p2) == ["Mon 09:00", "Mon 10:00", "Mon 11:00"]


def test_a_booking_ending_at_the_start_does_not_block_it() -> None:
    slots = search(practitioner_busy={"p1": [busy(MONDAY, (9, 0), (10, 0))]})
    assert starts(slots) == ["Mon 10:00", "Mon 11:00"]


def test_patient_busy_blocks_every_practitioner() -> None:
    slots = search(
        [cal("p1"), cal("p2")],
        patient_busy=[busy(MONDAY, (10, 30), (10, 45))],
        step=timedelta(minutes=30),
    )
    assert starts(slots) == ["Mon 09:00"] * 2 + ["Mon 09:30"] * 2 + ["Mon 11:00"] * 2


def test_buffer_keeps_turnover_time_around_bookings() -> None:
    slots = search(
        [cal(hours=(WorkingHours(0, time(9), time(13)),))],
        practitioner_busy={"p1": [busy(MONDAY, (10, 0), (11, 0))]},
        step=timedelta(minutes=15),
        buffer=timedelta(minutes=15),
    )
    assert starts(slots) == ["Mon 11:15", "Mon 11:30", "Mon 11:45", "Mon 12:00"]


def test_second_room_is_offered_when_the_first_is_busy() -> None:
    rooms = [
        RoomCalendar("r1", (busy(MONDAY, (9, 0), (10, 0)),)),
        RoomCalendar("r2"),
    ]
    slots = search(rooms=rooms)
    assert [(f"{s.start:%H}", s.room_id) for s in slots] == [
        ("09", "r2"),
        ("10", "r1"),
        ("11", "r1"),
    ]


def test_no_slot_when_every_room_is_busy() -> None:
    taken = (busy(MONDAY, (9, 0), (10, 0)),)
    rooms = [RoomCalendar("r1", taken), RoomCalendar("r2", taken)]
    assert starts(search(rooms=rooms)) == ["Mon 10:00", "Mon 11:00"]
    # Rooms tracked but none exists: nothing can be booked.
    assert search(rooms=[]) == []


def test_two_practitioners_share_the_last_free_room_as_alternatives() -> None:
    slots = search([cal("p2"), cal("p1")], rooms=[RoomCalendar("r1")])
    # Sorted by start, then by the given practitioner order (p2 before p1).
    assert [(f"{s.start:%H}", s.practitioner_id) for s in slots[:2]] == [
        ("09", "p2"),
        ("09", "p1"),
    ]


def test_not_before_skips_past_times_and_window_is_respected() -> None:
    now = at(MONDAY, 10, 7)
    slots = search(not_before=now, duration=timedelta(minutes=30), step=timedelta(minutes=15))
    assert starts(slots)[0] == "Mon 10:15"
    clipped = search(window_start=at(MONDAY, 9, 30), window_end=at(MONDAY, 11, 30))
    assert starts(clipped) == ["Mon 10:00"]  # 11:00-12:00 would end after the window


def test_spring_forward_keeps_local_nine_oclock() -> None:
    # Clocks go forward in London on Sunday 30 March 2025.
    friday, monday = date(2025, 3, 28), date(2025, 3, 31)
    p = cal(hours=weekdays(time(9), time(10)))
    slots = search([p], day=friday, days=4)
    assert [s.start.date() for s in slots] == [friday, monday]
    assert all(s.start.time() == time(9) for s in slots)
    assert [s.start.astimezone(UTC).hour for s in slots] == [9, 8]
    assert all(s.start.tzinfo is LONDON for s in slots)


def test_fall_back_keeps_local_nine_oclock() -> None:
    # Clocks go back in London on Sunday 26 October 2025.
    friday, monday = date(2025, 10, 24), date(2025, 10, 27)
    slots = search([cal(hours=weekdays(time(9), time(10)))], day=friday, days=4)
    assert [s.start.date() for s in slots] == [friday, monday]
    assert all(s.start.time() == time(9) for s in slots)
    assert [s.start.astimezone(UTC).hour for s in slots] == [8, 9]


def test_skipped_hour_has_no_slots_and_durations_are_real_time() -> None:
    sunday = date(2025, 3, 30)  # 01:00-02:00 does not exist
    p = cal(hours=(WorkingHours(6, time(0), time(3)),))
    slots = search([p], day=sunday, duration=timedelta(minutes=30), step=timedelta(minutes=30))
    assert [f"{s.start:%H:%M}" for s in slots] == ["00:00", "00:30", "02:00", "02:30"]
    assert [s.duration for s in slots] == [timedelta(minutes=30)] * 4
    assert f"{slots[1].end.astimezone(LONDON):%H:%M}" == "02:00"  # 30 real minutes
    # A grid step that does not divide the hour must not leak shifted wall times
    # (01:30 does not exist; zoneinfo would read it as 02:30 or 00:30).
    odd = search([p], day=sunday, duration=timedelta(minutes=30), step=timedelta(minutes=45))
    assert [f"{s.start:%H:%M}" for s in odd] == ["00:00", "00:45", "02:15"]


def test_repeated_hour_offers_both_instants_in_real_order() -> None:
    sunday = date(2025, 10, 26)  # 01:00-02:00 happens twice
    p = cal(hours=(WorkingHours(6, time(0), time(3)),))
    slots = search([p], day=sunday, duration=timedelta(minutes=30), step=timedelta(minutes=30))
    utc = [s.start.astimezone(UTC) for s in slots]
    assert len(slots) == 8  # four real hours of 30-minute slots
    assert utc == sorted(utc)
    assert all(b - a == timedelta(minutes=30) for a, b in pairwise(utc))


@pytest.mark.parametrize("field", ["window_start", "window_end", "not_before"])
def test_naive_datetime_is_rejected(field: str) -> None:
    naive: dict[str, Any] = {field: datetime(2025, 6, 2, 9)}
    with pytest.raises(ValueError, match="timezone-aware"):
        search(**naive)


@pytest.mark.parametrize("kind", [Busy, Leave])
def test_naive_span_is_rejected(kind: type[Busy] | type[Leave]) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        kind(datetime(2025, 6, 2, 9), at(MONDAY, 10))


def test_span_must_end_after_it_starts_in_real_time() -> None:
    with pytest.raises(ValueError, match="must end after"):
        Busy(at(MONDAY, 10), at(MONDAY, 9))
    # 01:30 BST to the second 01:00 (GMT) is 30 real minutes, though the wall
    # clock goes backwards: valid, and measured in real time.
    first_half_past = datetime(2025, 10, 26, 1, 30, tzinfo=LONDON)
    second_one = datetime(2025, 10, 26, 1, 0, fold=1, tzinfo=LONDON)
    assert Slot(first_half_past, second_one, "p1").duration == timedelta(minutes=30)


def test_naive_slot_is_rejected() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        Slot(at(MONDAY, 9), datetime(2025, 6, 2, 10), "p1")


def test_a_busy_week_for_ten_practitioners_and_eight_rooms_is_fast() -> None:
    rng = random.Random(7)
    hours = weekdays(time(9), time(13)) + weekdays(time(14), time(18))
    team = [cal(f"p{i}", hours=hours, breaks=(Break(2, time(12), time(13)),)) for i in range(10)]

    def bookings(count: int) -> list[Busy]:
        out = []
        for _ in range(count):
            day = MONDAY + timedelta(days=rng.randrange(5))
            start = at(day, rng.randrange(9, 18), rng.choice((0, 15, 30, 45)))
            out.append(Busy(start, start + timedelta(minutes=45)))
        return out

    p_busy = {f"p{i}": bookings(30) for i in range(10)}
    rooms = [RoomCalendar(f"r{i}", tuple(bookings(40))) for i in range(8)]
    kwargs: dict[str, Any] = {
        "practitioners": team,
        "practitioner_busy": p_busy,
        "rooms": rooms,
        "days": 7,
        "duration": timedelta(minutes=45),
        "step": timedelta(minutes=15),
    }
    best = min(_timed(lambda: search(**kwargs)) for _ in range(3))
    assert search(**kwargs)  # the week is busy, not empty
    assert best < 0.2, f"find_slots took {best * 1000:.0f} ms"


def _timed(run: Callable[[], object]) -> float:
    began = clock.perf_counter()
    run()
    return clock.perf_counter() - began


# A brute-force oracle in a zone without DST: every candidate checked against
# every booking, the slow way, so the bisection in find_slots is checked too.
def _oracle(
    team: list[PractitionerCalendar],
    p_busy: dict[str, list[Busy]],
    rooms: list[RoomCalendar],
    day: date,
) -> list[tuple[datetime, str, str]]:
    out = []
    for p in team:
        for wh in p.hours:
            if wh.weekday != day.weekday():
                continue
            t = datetime.combine(day, wh.start, tzinfo=KOLKATA)
            while t + timedelta(minutes=30) <= datetime.combine(day, wh.end, tzinfo=KOLKATA):
                end = t + timedelta(minutes=30)
                clear = all(b.end <= t or b.start >= end for b in p_busy[p.practitioner_id])
                free = [r.room_id for r in rooms if all(b.end <= t or b.start >= end for b in r.busy)]
                if clear and free:
                    out.append((t, p.practitioner_id, free[0]))
                t += timedelta(minutes=30)
    return sorted(out, key=lambda x: (x[0], [p.practitioner_id for p in team].index(x[1])))


_minutes = st.integers(min_value=8 * 2, max_value=19 * 2).map(lambda n: n * 30)


@settings(max_examples=60, deadline=None)
@given(
    p_spans=st.lists(st.tuples(st.integers(0, 2), _minutes, st.integers(1, 6)), max_size=15),
    r_spans=st.lists(st.tuples(st.integers(0, 2), _minutes, st.integers(1, 6)), max_size=15),
)
def test_find_slots_matches_a_brute_force_oracle(
    p_spans: list[tuple[int, int, int]], r_spans: list[tuple[int, int, int]]
) -> None:
    day = MONDAY
    team = [cal(f"p{i}", hours=(WorkingHours(0, time(9), time(18)),)) for i in range(3)]

    def as_busy(minute: int, halves: int) -> Busy:
        start = at(day, 0, tz=KOLKATA) + timedelta(minutes=minute)
        return Busy(start, start + timedelta(minutes=15 * halves))

    p_busy: dict[str, list[Busy]] = {p.practitioner_id: [] for p in team}
    for who, minute, halves in p_spans:
        p_busy[f"p{who}"].append(as_busy(minute, halves))
    rooms = [RoomCalendar(f"r{i}") for i in range(2)]
    for which, minute, halves in r_spans:
        rooms[which % 2] = RoomCalendar(rooms[which % 2].room_id, (*rooms[which % 2].busy, as_busy(minute, halves)))
    got = search(
        team,
        tz=KOLKATA,
        practitioner_busy=p_busy,
        rooms=rooms,
        duration=timedelta(minutes=30),
        step=timedelta(minutes=30),
    )
    assert [(s.start, s.practitioner_id, s.room_id) for s in got] == _oracle(team, p_busy, rooms, day)
