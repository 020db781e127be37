"""The visit's status moves, as a table, and the minutes late, early and waiting."""

import datetime as dt

import pytest

from acupath.scheduling.domain.visit import (
    ALLOWED,
    Status,
    minutes_early,
    minutes_late,
    minutes_waiting,
    move_refusal,
    no_show_warning,
)
from acupath.scheduling.enums import AppointmentStatus

S = Status
LEGAL = [
    (S.PENDING, S.BOOKED),
    (S.PENDING, S.CANCELLED),
    (S.BOOKED, S.ARRIVED),
    (S.BOOKED, S.CANCELLED),
    (S.BOOKED, S.NO_SHOW),
    (S.ARRIVED, S.IN_SESSION),
    (S.ARRIVED, S.NO_SHOW),
    (S.IN_SESSION, S.ATTENDED),
]


def test_the_domain_statuses_are_the_stored_statuses():
    assert {s.value for s in Status} == set(AppointmentStatus.values)


@pytest.mark.parametrize(("current", "target"), LEGAL)
def test_a_legal_move_is_allowed(current, target):
    assert move_refusal(current, target) is None


@pytest.mark.parametrize(
    ("current", "target"),
    [(c, t) for c in Status for t in Status if (c, t) not in LEGAL],
)
def test_every_other_move_is_refused_with_a_reason(current, target):
    why = move_refusal(current, target)
    assert why is not None and why.endswith(".") and "_" not in why


def test_the_table_holds_exactly_the_legal_moves():
    assert {(c, t) for c, targets in ALLOWED.items() for t in targets} == set(LEGAL)


@pytest.mark.parametrize(
    ("current", "expected"),
    [
        (S.BOOKED, "cannot be checked in: the patient has not arrived yet."),
        (S.ATTENDED, "cannot be checked in: the visit is over and the patient attended."),
        (S.IN_SESSION, "is already checked in."),
    ],
)
def test_refusals_say_why_in_the_clinics_words(current, expected):
    assert move_refusal(current, S.IN_SESSION).endswith(expected)


@pytest.mark.parametrize(
    ("current", "said"), [(S.IN_SESSION, "has a treatment session"), (S.ATTENDED, "recorded as attended")]
)
def test_did_not_attend_is_refused_once_the_patient_was_seen(current, said):
    assert said in move_refusal(current, S.NO_SHOW)


def test_did_not_attend_warns_only_for_an_arrived_patient():
    at = dt.datetime(2026, 12, 3, 10, 2)
    assert "marked arrived at 10:02" in no_show_warning(S.ARRIVED, at)
    assert no_show_warning(S.BOOKED, None) is None
    assert no_show_warning(S.ARRIVED, None) is None


START = dt.datetime(2026, 12, 3, 10, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("arrived", "late"),
    [(None, 0), (-20, 0), (0, 0), (5, 0), (6, 6), (12.5, 12), (60, 60)],
)
def test_minutes_late_count_after_five_minutes_grace(arrived, late):
    at = None if arrived is None else START + dt.timedelta(minutes=arrived)
    assert minutes_late(START, at) == late


END = START + dt.timedelta(minutes=45)


@pytest.mark.parametrize(("before_end", "early"), [(None, 0), (-10, 0), (0, 0), (5, 0), (6, 6), (30, 30)])
def test_minutes_early_count_before_the_booked_end_after_grace(before_end, early):
    at = None if before_end is None else END - dt.timedelta(minutes=before_end)
    assert minutes_early(END, at) == early


@pytest.mark.parametrize(("seconds", "waited"), [(-30, 0), (0, 0), (59, 0), (60, 1), (17 * 60 + 59, 17)])
def test_minutes_waiting_are_whole_minutes_since_arrival(seconds, waited):
    assert minutes_waiting(START, START + dt.timedelta(seconds=seconds)) == waited
