"""Propose the appointments of a treatment course.

A course is a number of sessions at a rhythm, e.g. Cherkin et al. 2009 (Arch
Intern Med 169(9):858-866): "twice weekly for 3 weeks, then weekly for 4 weeks",
10 sessions. The engine walks forward day by day from the first allowed day and
books the first day that the rhythm allows and that has a free slot. With a
fixed weekly cap, taking the earliest allowed day never costs a later session
(each rule looks back only at the last session and the current week), so the
walk places as many sessions as any schedule could within the horizon. Callers
who want sessions spread out (Monday/Thursday rather than Monday/Wednesday)
raise `min_gap_days`.

Dates are read from each slot's own start, so slots must be in the clinic's
zone, as `find_slots` returns them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import TypeVar

from acupath.scheduling.domain.calendar import Slot

__all__ = ["CourseProposal", "propose_course", "rebook_remainder"]

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class CourseProposal:
    """Slots to book, in order; `unplaced` and `problems` say what could not be."""

    slots: list[Slot]
    unplaced: int = 0
    problems: list[str] = field(default_factory=list)


def _monday(day: date) -> date:
    # The Monday identifies the ISO week (Mon-Sun) without year-boundary arithmetic.
    return day - timedelta(days=day.weekday())


class _Rhythm:
    """The course rules and sessions so far: answers "may this day be booked?"."""

    def __init__(
        self,
        per_week: int,
        min_gap_days: int,
        phases: Sequence[tuple[int, int]] | None,
        history: Sequence[date],
    ) -> None:
        self._per_week = per_week
        self._min_gap = timedelta(days=min_gap_days)
        self._phases = list(phases or ())
        self._weeks: Counter[date] = Counter(_monday(day) for day in history)
        self._last = max(history, default=None)
        # Phases count weeks from the course's first session, not from the search
        # start: a course that opens after a leave week still gets its full
        # twice-weekly phase.
        self._anchor = _monday(min(history)) if history else None

    def cap(self, day: date) -> int:
        anchor = self._anchor or _monday(day)
        week = (_monday(day) - anchor).days // 7
        for weeks, per_week in self._phases:
            if week < weeks:
                return per_week
            week -= weeks
        return self._per_week  # after the last phase the plain rhythm applies

    def allows(self, day: date) -> bool:
        if self._last is not None and day - self._last < self._min_gap:
            return False
        return self._weeks[_monday(day)] < self.cap(day)

    def record(self, day: date) -> None:
        self._weeks[_monday(day)] += 1
        self._last = day
        self._anchor = self._anchor or _monday(day)


def _walk(
    rhythm: _Rhythm,
    first: date,
    stop: date,
    wanted: int,
    pick: Callable[[date], _T | None],
) -> tuple[list[_T], int]:
    """Book up to `wanted` days in [first, stop); return picks and empty-day count."""
    picked: list[_T] = []
    empty = 0
    day = first
    while day < stop and len(picked) < wanted:
        if rhythm.allows(day):
            # Only allowed days are asked for: each ask may hit the database.
            choice = pick(day)
            if choice is None:
                empty += 1
            else:
                picked.append(choice)
                rhythm.record(day)
        day += timedelta(days=1)
    return picked, empty


def _closest(slots: Sequence[Slot], preferred: time | None) -> Slot:
    if preferred is None:
        return min(slots, key=lambda s: s.start.astimezone(UTC))
    target = preferred.hour * 60 + preferred.minute

    def distance(slot: Slot) -> tuple[int, datetime]:
        local = slot.start.hour * 60 + slot.start.minute
        return abs(local - target), slot.start.astimezone(UTC)  # ties: earlier

    return min(slots, key=distance)


def propose_course(
    *,
    sessions: int,
    per_week: int,
    min_gap_days: int,
    first_day: date,
    find_day_slots: Callable[[date], list[Slot]],
    max_weeks: int = 26,
    preferred_time: time | None = None,
    phases: Sequence[tuple[int, int]] | None = None,
    history: Sequence[Slot] = (),
) -> CourseProposal:
    """Place `sessions` appointments from `first_day` on, within `max_weeks` weeks.

    At most `per_week` sessions fall in one ISO week, overridden week by week by
    `phases` [(weeks, per_week), ...] counted from the course's first session;
    consecutive sessions are at least `min_gap_days` days apart; one per day.
    Each day takes the slot closest to `preferred_time` (or the earliest), with
    the practitioner of the course's first session when they have a slot that
    day, so the patient keeps their practitioner; otherwise anyone free.
    `history` holds sessions already held or kept: they count towards the week
    caps, the gap, the phase weeks and the practitioner, and are not returned.
    Anything that cannot be placed is reported in `unplaced` and `problems`.
    """
    if sessions < 0 or per_week < 1 or min_gap_days < 1 or max_weeks < 1:
        raise ValueError("sessions >= 0, per_week >= 1, min_gap_days >= 1, max_weeks >= 1")
    # A rest week (cap 0) may sit mid-course, but not first: weeks are counted
    # from the first session, which such a phase would never let happen.
    if any(weeks < 1 or cap < 0 for weeks, cap in phases or ()) or (phases and phases[0][1] < 1):
        msg = "each phase needs weeks >= 1 and per_week >= 0 (>= 1 for the first)"
        raise ValueError(msg)
    history_days = [slot.start.date() for slot in history]
    stop = first_day + timedelta(weeks=max_weeks)
    keeper = min(history, key=lambda s: s.start.astimezone(UTC)).practitioner_id if history else None

    def pick(day: date) -> Slot | None:
        nonlocal keeper
        # A slot dated on another day would slip past the rhythm rules: drop it.
        slots = [slot for slot in find_day_slots(day) if slot.start.date() == day]
        if not slots:
            return None
        own = [slot for slot in slots if slot.practitioner_id == keeper]
        choice = _closest(own or slots, preferred_time)
        keeper = keeper or choice.practitioner_id
        return choice

    rhythm = _Rhythm(per_week, min_gap_days, phases, history_days)
    placed, empty_days = _walk(rhythm, first_day, stop, sessions, pick)
    unplaced = sessions - len(placed)
    if not unplaced:
        return CourseProposal(placed)

    last = stop - timedelta(days=1)
    problems = [
        f"Placed {len(placed)} of {sessions} sessions between {first_day} and {last}; {unplaced} could not be placed."
    ]
    if empty_days:
        problems.append(f"{empty_days} day(s) the rhythm allowed had no free slot (holiday, leave or fully booked).")
    # Replaying the rules with every day open tells apart "the diary is full"
    # from "the rhythm itself cannot fit this many sessions in the horizon".
    capacity, _ = _walk(
        _Rhythm(per_week, min_gap_days, phases, history_days),
        first_day,
        stop,
        sessions,
        _every_day_open,
    )
    if len(capacity) < sessions:
        problems.append(
            f"Even with every day free, the rhythm fits only {len(capacity)} "
            f"session(s) in {max_weeks} week(s); extend the horizon or loosen "
            "the rhythm."
        )
    return CourseProposal(placed, unplaced, problems)


def _every_day_open(day: date) -> date:
    return day


def rebook_remainder(
    *,
    booked: Sequence[Slot],
    cancelled_day: date,
    per_week: int,
    min_gap_days: int,
    find_day_slots: Callable[[date], list[Slot]],
    max_weeks: int = 26,
    preferred_time: time | None = None,
    phases: Sequence[tuple[int, int]] | None = None,
    extra_sessions: int = 0,
) -> CourseProposal:
    """Re-plan a course when the session on `cancelled_day` cannot go ahead.

    `booked` is the course as it stands (attended and upcoming). Sessions before
    `cancelled_day` are kept; that one and every later one are proposed afresh,
    because moving one session can break the gap or week cap of those after it.
    The new slots start after the last kept session, never on `cancelled_day`,
    under the same rules; `extra_sessions` adds sessions that were never placed.
    The proposal lists only the new slots: the caller cancels the superseded ones
    and should pass a `find_day_slots` that no longer sees them as busy.
    """
    ordered = sorted(booked, key=lambda s: s.start.astimezone(UTC))
    kept = [slot for slot in ordered if slot.start.date() < cancelled_day]
    remaining = len(ordered) - len(kept) + extra_sessions
    after = kept[-1].start.date() if kept else cancelled_day
    first_day = after + timedelta(days=1)

    def day_slots(day: date) -> list[Slot]:
        return [] if day == cancelled_day else find_day_slots(day)

    return propose_course(
        sessions=remaining,
        per_week=per_week,
        min_gap_days=min_gap_days,
        first_day=first_day,
        find_day_slots=day_slots,
        max_weeks=max_weeks,
        preferred_time=preferred_time,
        phases=phases,
        history=kept,
    )
