"""A patient's assessments of one instrument over time: which one is the baseline, and the change.

The baseline of an assessment is the first *scorable* assessment of the same instrument in the same
episode of care. An episode starts at each initial consultation (its pain score is marked
``starts_episode``); assessments before the first marked start belong to one opening episode. So a
patient who returns a year later with a new episode is judged against the new baseline, not the old
one. The change itself is computed only by ``change.change_from_baseline``.

The initial consultation records the baseline set (the NRS, the clinic's function measure and
STarT Back). An instrument whose first score in the episode comes later than the consultation
(``baseline_rule.on_time_within_hours`` in instruments.yaml) still serves as the reference for
later change, but it is a *late baseline* and says so: the patient may already have improved.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from acupath.measures.domain.change import Change, change_from_baseline
from acupath.measures.domain.instruments import Direction, instrument, load_instruments
from acupath.measures.domain.scoring import Score


class BaselineStatus(StrEnum):
    """How a baseline came about (display text: ``BASELINE_STATUS_TEXT``)."""

    ON_TIME = "on_time"  # taken with the initial consultation
    LATE = "late"  # first taken later in the episode
    NO_INITIAL_CONSULTATION = "no_initial_consultation"  # no initial consultation opens the episode


BASELINE_STATUS_TEXT = {
    BaselineStatus.ON_TIME: "Baseline",
    BaselineStatus.LATE: "Late baseline",
    BaselineStatus.NO_INITIAL_CONSULTATION: "Baseline (no initial consultation)",
}


@dataclass(frozen=True, slots=True)
class Taken:
    """One stored assessment, as the series rule needs it."""

    at: dt.datetime
    score: Score


@dataclass(frozen=True, slots=True)
class Compared:
    at: dt.datetime
    score: Score
    is_baseline: bool
    baseline_at: dt.datetime | None  # None when the episode has no scorable assessment yet
    change: Change | None  # None for the baseline itself, before a baseline, or when not scorable
    episode: int  # 0 = before the first marked start; n = from the n-th start on
    baseline_status: BaselineStatus | None = None  # for the baseline itself; None for the others


def episode_of(at: dt.datetime, starts: Sequence[dt.datetime]) -> int:
    """Which episode an instant belongs to; ``starts`` must be sorted. An instant equal to a start
    belongs to the episode that start opens."""
    return bisect_right(starts, at)


def baseline_status(
    at: dt.datetime, episode: int, starts: Sequence[dt.datetime], within: dt.timedelta
) -> BaselineStatus:
    """Whether a baseline taken at ``at`` belongs to its episode's initial consultation."""
    if episode == 0:
        return BaselineStatus.NO_INITIAL_CONSULTATION
    return BaselineStatus.ON_TIME if at - starts[episode - 1] <= within else BaselineStatus.LATE


def compare_series(
    instrument_code: str,
    taken: Sequence[Taken],
    episode_starts: Sequence[dt.datetime],
    *,
    on_time_within: dt.timedelta | None = None,
) -> list[Compared]:
    """Each assessment (in time order) with its baseline and change from it.

    ``on_time_within`` overrides the file's window for an on-time baseline.
    """
    within = on_time_within
    if within is None:
        within = dt.timedelta(hours=load_instruments().baseline_rule.on_time_within_hours)
    starts = sorted(episode_starts)
    ordered = sorted(taken, key=lambda t: t.at)
    baselines: dict[int, Taken] = {}
    out: list[Compared] = []
    for item in ordered:
        episode = episode_of(item.at, starts)
        baseline = baselines.get(episode)
        if baseline is None and item.score.scorable:
            baselines[episode] = item
            status = baseline_status(item.at, episode, starts, within)
            out.append(Compared(item.at, item.score, True, item.at, None, episode, status))
            continue
        change = None if baseline is None else change_from_baseline(instrument_code, baseline.score, item.score)
        out.append(Compared(item.at, item.score, False, None if baseline is None else baseline.at, change, episode))
    return out


def important_level(instrument_code: str, baseline: float) -> float | None:
    """The score a follow-up must reach for its improvement on ``baseline`` to meet the absolute
    MCID (the same test ``change_from_baseline`` applies). None when the instrument has no
    absolute MCID (STarT Back) or when the target lies outside the scale (a baseline of 1 on the
    NRS cannot fall by 2), so no chart draws a target nobody can reach."""
    spec = instrument(instrument_code)
    if spec.mcid is None or spec.mcid.absolute is None:
        return None
    if spec.direction is Direction.HIGHER_IS_WORSE:
        target = baseline - spec.mcid.absolute
    else:
        target = baseline + spec.mcid.absolute
    return target if spec.range.min <= target <= spec.range.max else None


__all__ = [
    "BASELINE_STATUS_TEXT",
    "BaselineStatus",
    "Compared",
    "Taken",
    "baseline_status",
    "compare_series",
    "episode_of",
    "important_level",
]
