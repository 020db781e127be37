"""The retention timer: how long the needles have been in and how long is left.

Pure arithmetic over stored instants and an explicit `now`, so that every tablet, a reload and a
restarted server compute the same answer from the same database row.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from enum import StrEnum

__all__ = ["Retention", "RoomState", "retention", "room_state"]


@dataclass(frozen=True, slots=True)
class Retention:
    started_at: dt.datetime
    planned_seconds: int
    elapsed_seconds: int
    # Negative once the planned time has passed (how far over).
    remaining_seconds: int
    # The timer stops when the first needle comes out.
    stopped: bool

    @property
    def time_up(self) -> bool:
        return not self.stopped and self.remaining_seconds <= 0

    @property
    def ends_at(self) -> dt.datetime:
        return self.started_at + dt.timedelta(seconds=self.planned_seconds)

    @property
    def over_seconds(self) -> int:
        return max(0, -self.remaining_seconds)


def retention(
    needles_in_at: dt.datetime | None,
    planned_minutes: int,
    now: dt.datetime,
    needles_out_at: dt.datetime | None = None,
) -> Retention | None:
    """The timer of a session, or None before any needle is in. Needs aware datetimes."""
    if needles_in_at is None:
        return None
    if needles_in_at.tzinfo is None or now.tzinfo is None:
        raise ValueError("retention needs aware datetimes")
    end = needles_out_at if needles_out_at is not None else now
    # Whole seconds, rounded so that the remaining time never shows a second more than is left.
    elapsed = max(0, math.floor((end - needles_in_at).total_seconds()))
    planned = planned_minutes * 60
    return Retention(
        started_at=needles_in_at,
        planned_seconds=planned,
        elapsed_seconds=elapsed,
        remaining_seconds=planned - elapsed,
        stopped=needles_out_at is not None,
    )


class RoomState(StrEnum):
    """What a room on the board needs from whoever looks at it, most urgent last."""

    FREE = "free"
    CHECKED_IN = "checked_in"  # patient in, no needles yet
    NEEDLES_IN = "needles_in"  # timer running
    TIME_UP = "time_up"  # timer over: remove the needles
    NEEDLES_OUT = "needles_out"  # every needle accounted for; the session is to be closed
    NEEDLE_ALERT = "needle_alert"  # removal began and the count does not match


def room_state(
    *,
    has_session: bool,
    needles_inserted: int,
    needles_outstanding: int,
    removal_started: bool,
    timer: Retention | None,
) -> RoomState:
    if not has_session:
        return RoomState.FREE
    if removal_started:
        return RoomState.NEEDLE_ALERT if needles_outstanding > 0 else RoomState.NEEDLES_OUT
    if needles_inserted == 0 or timer is None:
        return RoomState.CHECKED_IN
    return RoomState.TIME_UP if timer.time_up else RoomState.NEEDLES_IN
