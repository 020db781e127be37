"""The clinic's booking rules as a pure function: tables of worked cases and their boundaries."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from acupath.scheduling.domain.calendar import Break, Leave, PractitionerCalendar, WorkingHours
from acupath.scheduling.domain.rules import Breach, booking_breaches, initial_consultation_warning

TZ = ZoneInfo("Asia/Kolkata")
MONDAY = dt.date(2026, 12, 7)
# Mondays and Tuesdays 09:00-13:00 and 14:00-18:00 (a split shift), lunch break 11:00-11:30 on Mondays.
CAL = PractitionerCalendar(
    "1",
    hours=(
        WorkingHours(0, dt.time(9), dt.time(13)),
        WorkingHours(0, dt.time(14), dt.time(18)),
        WorkingHours(1, dt.time(9), dt.time(13)),
    ),
    breaks=(Break(0, dt.time(11), dt.time(11, 30)),),
    leave=(Leave(dt.datetime(2026, 12, 8, 12, tzinfo=TZ), dt.datetime(2026, 12, 9, 0, tzinfo=TZ)),),
)


def at(day: dt.date, h: int, m: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(h, m), tzinfo=TZ)


def codes(start, minutes=45, holidays=None, calendar=CAL):
    found = booking_breaches(
        start=start,
        end=start + dt.timedelta(minutes=minutes),
        calendar=calendar,
        holidays=holidays or {},
        tz=TZ,
        who="Dr Mehta",
    )
    return [b.code for b in found]


@pytest.mark.parametrize(
    ("start", "minutes", "expected"),
    [
        (at(MONDAY, 9), 45, []),  # the first slot of the day
        (at(MONDAY, 8, 45), 45, [Breach.OUTSIDE_HOURS]),  # starts before the day
        (at(MONDAY, 12, 15), 45, []),  # ends exactly at 13:00
        (at(MONDAY, 12, 30), 45, [Breach.OUTSIDE_HOURS]),  # runs into the gap between the shifts
        (at(MONDAY, 13, 15), 30, [Breach.OUTSIDE_HOURS]),  # wholly in the gap
        (at(MONDAY, 14), 45, []),  # the afternoon shift
        (at(MONDAY, 17, 15), 45, []),  # ends exactly at 18:00
        (at(MONDAY, 17, 30), 45, [Breach.OUTSIDE_HOURS]),  # past the end of the day
        (at(MONDAY, 22), 45, [Breach.OUTSIDE_HOURS]),  # the 22:00 the desk was allowed to book
        (at(MONDAY, 10, 15), 45, []),  # ends as the break starts
        (at(MONDAY, 10, 30), 45, [Breach.BREAK]),  # overlaps the break
        (at(MONDAY, 11, 30), 45, []),  # starts as the break ends
        (at(MONDAY + dt.timedelta(days=6), 10), 45, [Breach.OUTSIDE_HOURS]),  # a Sunday
        (at(MONDAY + dt.timedelta(days=1), 11, 15), 45, []),  # Tuesday, ends as leave starts
        (at(MONDAY + dt.timedelta(days=1), 11, 30), 45, [Breach.LEAVE]),  # runs into leave from 12:00
        (at(MONDAY + dt.timedelta(days=1), 12, 30), 45, [Breach.LEAVE, Breach.OUTSIDE_HOURS]),
        (at(MONDAY, 23, 30), 60, [Breach.OUTSIDE_HOURS]),  # across midnight
    ],
)
def test_working_hours_breaks_and_leave_decide_whether_a_time_may_be_booked(start, minutes, expected):
    assert codes(start, minutes) == expected


def test_a_clinic_holiday_breaks_the_rules_even_inside_working_hours():
    assert codes(at(MONDAY, 9), holidays={MONDAY: "Christmas"}) == [Breach.HOLIDAY]
    assert codes(at(MONDAY, 9), holidays={MONDAY + dt.timedelta(days=1): "Boxing Day"}) == []


def test_the_holiday_is_the_local_day_not_the_utc_one():
    # 01:00 in Kolkata on Monday is still Sunday in UTC: the clinic's Monday holiday applies.
    early = dt.datetime.combine(MONDAY, dt.time(1), tzinfo=TZ)
    assert Breach.HOLIDAY in codes(early, holidays={MONDAY: "Festival"})


def test_the_messages_name_the_practitioner_the_day_and_the_hours():
    found = booking_breaches(
        start=at(MONDAY, 19), end=at(MONDAY, 19, 45), calendar=CAL, holidays={}, tz=TZ, who="Dr Mehta"
    )
    assert found[0].message == "Dr Mehta works 09:00-13:00, 14:00-18:00 on Mondays"
    sunday = at(MONDAY + dt.timedelta(days=6), 10)
    found = booking_breaches(
        start=sunday, end=sunday + dt.timedelta(minutes=45), calendar=CAL, holidays={}, tz=TZ, who="Dr Mehta"
    )
    assert found[0].message == "Dr Mehta does not work on Sundays"


def test_naive_or_backwards_times_are_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        booking_breaches(
            start=dt.datetime(2026, 12, 7, 9), end=at(MONDAY, 10), calendar=CAL, holidays={}, tz=TZ, who="x"
        )
    with pytest.raises(ValueError, match="end after"):
        booking_breaches(start=at(MONDAY, 10), end=at(MONDAY, 9), calendar=CAL, holidays={}, tz=TZ, who="x")


@pytest.mark.parametrize(
    ("is_initial", "open_episode", "warns"),
    [(True, True, True), (True, False, False), (False, True, False), (False, False, False)],
)
def test_only_an_initial_consultation_during_an_open_episode_warns(is_initial, open_episode, warns):
    warning = initial_consultation_warning(is_initial=is_initial, open_episode=open_episode, patient="Asha Rao")
    assert (warning is not None) == warns
    if warns:
        assert warning is not None and warning.startswith("Asha Rao already has an open episode of care")
