"""Which assessment is the baseline, episode by episode, and the MCID target a chart draws."""

from __future__ import annotations

import datetime as dt

import pytest

from acupath.measures.domain.scoring import score
from acupath.measures.domain.series import Taken, compare_series, episode_of, important_level

T0 = dt.datetime(2026, 1, 5, 10, tzinfo=dt.UTC)


def day(n: int) -> dt.datetime:
    return T0 + dt.timedelta(days=n)


def nrs(n: int, value: int) -> Taken:
    return Taken(day(n), score("nrs", value))


ODI_TOO_FEW = [1, 1, 1, None, None, None, None, None, None, None]


def test_the_first_scorable_assessment_is_the_baseline() -> None:
    out = compare_series("nrs", [nrs(0, 8), nrs(7, 6), nrs(14, 3)], [])
    assert [c.is_baseline for c in out] == [True, False, False]
    assert out[0].change is None
    assert [c.change.from_baseline for c in out[1:] if c.change] == [-2.0, -5.0]
    assert [c.change.mcid_met for c in out[1:] if c.change] == [True, True]
    assert all(c.baseline_at == day(0) for c in out)


def test_input_order_does_not_matter() -> None:
    out = compare_series("nrs", [nrs(14, 3), nrs(0, 8), nrs(7, 6)], [])
    assert [c.at for c in out] == [day(0), day(7), day(14)]
    assert out[0].is_baseline


def test_a_not_scorable_first_form_is_not_the_baseline() -> None:
    taken = [
        Taken(day(0), score("odi", ODI_TOO_FEW)),
        Taken(day(1), score("odi", [3] * 10)),
        Taken(day(30), score("odi", [2] * 10)),
    ]
    out = compare_series("odi", taken, [])
    assert [c.is_baseline for c in out] == [False, True, False]
    assert out[0].change is None and out[0].baseline_at is None
    assert out[2].change is not None
    assert (out[2].change.baseline, out[2].change.from_baseline, out[2].change.mcid_met) == (60.0, -20.0, True)


def test_a_not_scorable_follow_up_has_no_change() -> None:
    out = compare_series("odi", [Taken(day(0), score("odi", [3] * 10)), Taken(day(9), score("odi", ODI_TOO_FEW))], [])
    assert out[1].change is None
    assert out[1].baseline_at == day(0)


def test_a_new_episode_starts_a_new_baseline() -> None:
    # First episode from day 0, a flare-up and new initial consultation on day 100.
    out = compare_series("nrs", [nrs(0, 8), nrs(30, 3), nrs(100, 7), nrs(120, 4)], [day(0), day(100)])
    assert [c.is_baseline for c in out] == [True, False, True, False]
    assert [c.episode for c in out] == [1, 1, 2, 2]
    assert out[3].change is not None
    assert (out[3].change.baseline, out[3].change.from_baseline) == (7.0, -3.0)


def test_assessments_before_the_first_marked_start_form_their_own_episode() -> None:
    # e.g. records from before episodes were marked: they keep comparing among themselves.
    out = compare_series("nrs", [nrs(0, 6), nrs(5, 5), nrs(50, 9), nrs(60, 6)], [day(50)])
    assert [c.episode for c in out] == [0, 0, 1, 1]
    assert [c.is_baseline for c in out] == [True, False, True, False]


def test_an_instrument_first_taken_later_in_an_episode_has_its_own_baseline() -> None:
    # The ODI is first taken two days after the initial consultation that opened the episode.
    taken = [Taken(day(2), score("odi", [3] * 10)), Taken(day(40), score("odi", [1] * 10))]
    out = compare_series("odi", taken, [day(0)])
    assert out[0].is_baseline
    assert out[1].change is not None and out[1].change.responder is True


@pytest.mark.parametrize(
    ("at", "starts", "episode"),
    [(day(0), [day(0)], 1), (day(-1), [day(0)], 0), (day(5), [day(0), day(5)], 2), (day(4), [day(0), day(5)], 1)],
)
def test_an_instant_at_a_start_belongs_to_the_episode_it_opens(at, starts, episode) -> None:
    assert episode_of(at, starts) == episode


@pytest.mark.parametrize(
    ("code", "baseline", "level"),
    [
        ("nrs", 7, 5),
        ("nrs", 2, 0),  # exactly reachable
        ("nrs", 1, None),  # a fall of 2 from 1 is off the scale: no target to draw
        ("odi", 60, 50),
        ("odi", 8, None),
        ("rmdq", 12, 7),
        ("psfs", 3, 5),  # higher is better: the target is above
        ("psfs", 9, None),
        ("startback", 6, None),  # no MCID: the risk group is reported instead
    ],
)
def test_important_level_matches_the_absolute_mcid(code: str, baseline: float, level: float | None) -> None:
    assert important_level(code, baseline) == level
