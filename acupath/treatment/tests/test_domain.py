"""The pure parts: the retention timer, the board's room states, deviations from the plan."""

import datetime as dt

import pytest

from acupath.treatment.domain.deviations import deviations
from acupath.treatment.domain.timer import RoomState, retention, room_state

UTC = dt.UTC
IN = dt.datetime(2026, 11, 25, 10, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("now_offset_s", "planned", "elapsed", "remaining", "time_up"),
    [
        (0, 25, 0, 1500, False),
        (59.9, 25, 59, 1441, False),  # never shows a second more than is left
        (1499, 25, 1499, 1, False),
        (1500, 25, 1500, 0, True),  # exactly at the planned end: time is up
        (1500 + 125, 25, 1625, -125, True),
        (-5, 25, 0, 1500, False),  # a tablet whose clock runs behind never shows negative elapsed
    ],
)
def test_retention_is_computed_from_the_stored_start(now_offset_s, planned, elapsed, remaining, time_up):
    t = retention(IN, planned, IN + dt.timedelta(seconds=now_offset_s))
    assert (t.elapsed_seconds, t.remaining_seconds, t.time_up) == (elapsed, remaining, time_up)
    assert t.ends_at == IN + dt.timedelta(minutes=planned)


def test_the_same_stored_start_gives_the_same_answer_in_any_zone_and_after_a_restart():
    kolkata = dt.timezone(dt.timedelta(hours=5, minutes=30))
    now = IN + dt.timedelta(minutes=7, seconds=30)
    a = retention(IN, 25, now)
    b = retention(IN.astimezone(kolkata), 25, now.astimezone(kolkata))  # another tablet, another process
    assert a == retention(IN, 25, now) and a.remaining_seconds == b.remaining_seconds == 1050


def test_the_timer_stops_when_the_first_needle_comes_out():
    t = retention(IN, 20, IN + dt.timedelta(hours=2), needles_out_at=IN + dt.timedelta(minutes=22))
    assert (t.stopped, t.elapsed_seconds, t.time_up) == (True, 22 * 60, False)


def test_no_timer_before_needles_and_naive_times_are_refused():
    assert retention(None, 25, IN) is None
    with pytest.raises(ValueError, match="aware"):
        retention(IN.replace(tzinfo=None), 25, IN)


@pytest.mark.parametrize(
    ("kw", "state"),
    [
        ({"has_session": False}, RoomState.FREE),
        ({"needles_inserted": 0}, RoomState.CHECKED_IN),
        ({"needles_inserted": 6, "needles_outstanding": 6}, RoomState.NEEDLES_IN),
        ({"needles_inserted": 6, "needles_outstanding": 6, "late": True}, RoomState.TIME_UP),
        ({"needles_inserted": 6, "needles_outstanding": 1, "removal_started": True}, RoomState.NEEDLE_ALERT),
        ({"needles_inserted": 6, "needles_outstanding": 0, "removal_started": True}, RoomState.NEEDLES_OUT),
    ],
)
def test_room_states(kw, state):
    late = kw.pop("late", False)
    timer = retention(IN, 25, IN + dt.timedelta(minutes=30 if late else 5)) if kw.get("needles_inserted") else None
    args = {"has_session": True, "needles_inserted": 0, "needles_outstanding": 0, "removal_started": False} | kw
    assert room_state(**args, timer=timer) is state


def test_deviations_name_points_added_and_plan_points_skipped():
    planned = [("BL23", "both"), ("BL40", "left"), ("GV4", "midline")]
    needled = [("BL23", "both"), ("BL40", "both"), ("BL25", "both")]
    d = deviations(planned, needled)
    assert d.added == (("BL25", "both"),)
    assert d.skipped == (("GV4", "midline"),)  # BL40 on both sides covers the plan's left
    assert d.any


def test_needling_one_side_of_a_bilateral_plan_point_is_a_deviation():
    d = deviations([("BL23", "both")], [("BL23", "left")])
    assert (d.added, d.skipped) == ((), (("BL23", "both"),))


def test_as_planned_has_no_deviation():
    assert not deviations([("BL23", "both")], [("BL23", "both")]).any
