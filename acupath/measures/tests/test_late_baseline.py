"""A first score taken after the initial consultation is a late baseline, and says so."""

from __future__ import annotations

import datetime as dt

import pytest

from acupath.measures.domain.instruments import load_instruments
from acupath.measures.domain.scoring import score
from acupath.measures.domain.series import BASELINE_STATUS_TEXT, BaselineStatus, Taken, compare_series

START = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)  # the initial consultation
ODI_30 = [3, 3, 3, 3, 3, 0, 0, 0, 0, 0]  # 30%


def odi_at(hours: float) -> Taken:
    return Taken(START + dt.timedelta(hours=hours), score("odi", ODI_30))


@pytest.mark.parametrize(
    ("hours", "status"),
    [
        (0, BaselineStatus.ON_TIME),  # with the consultation
        (24, BaselineStatus.ON_TIME),  # the window's edge (on_time_within_hours: 24) is on time
        (24.01, BaselineStatus.LATE),
        (24 * 14, BaselineStatus.LATE),  # first taken at a session two weeks on
    ],
)
def test_first_function_score_after_the_window_is_a_late_baseline(hours: float, status: BaselineStatus) -> None:
    first, *_ = compare_series("odi", [odi_at(hours), odi_at(hours + 24 * 30)], [START])
    assert first.is_baseline and first.baseline_status is status


def test_follow_ups_carry_no_baseline_status_and_still_compare_with_the_late_baseline() -> None:
    out = compare_series(
        "odi", [odi_at(24 * 10), Taken(START + dt.timedelta(days=40), score("odi", [1] * 10))], [START]
    )
    assert out[0].baseline_status is BaselineStatus.LATE
    assert out[1].baseline_status is None
    assert out[1].change is not None and out[1].change.baseline == 30.0


def test_without_an_initial_consultation_the_baseline_says_so() -> None:
    (only,) = compare_series("odi", [odi_at(0)], [])
    assert only.baseline_status is BaselineStatus.NO_INITIAL_CONSULTATION


def test_a_new_episode_judges_lateness_against_its_own_consultation() -> None:
    second_start = START + dt.timedelta(days=200)
    out = compare_series(
        "odi", [odi_at(0), Taken(second_start + dt.timedelta(days=9), score("odi", ODI_30))], [START, second_start]
    )
    assert [c.baseline_status for c in out] == [BaselineStatus.ON_TIME, BaselineStatus.LATE]


def test_the_window_is_a_setting_with_a_note_and_every_status_has_display_text() -> None:
    rule = load_instruments().baseline_rule
    assert rule.on_time_within_hours == 24 and rule.unverified and rule.note
    assert set(BASELINE_STATUS_TEXT) == set(BaselineStatus)
    narrow = compare_series("odi", [odi_at(2)], [START], on_time_within=dt.timedelta(hours=1))
    assert narrow[0].baseline_status is BaselineStatus.LATE
