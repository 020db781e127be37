"""The clinic's booking rules: when a practitioner may be booked, and what deserves a warning.

One pure function decides for every way in (the desk's form, the calendar's click and drag,
the API, the online booking page, a waitlist claim), so that no route is more permissive than
another. Staff may book against a rule with a stated reason (the clinic's call, recorded on the
appointment); the online booking never can.

Times of day are wall-clock times in the clinic's zone, as a rota is written; instants are
compared in UTC (see `calendar.py`).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from acupath.scheduling.domain.calendar import PractitionerCalendar, require_aware

__all__ = ["Breach", "RuleBreach", "booking_breaches", "initial_consultation_warning"]


class Breach(enum.StrEnum):
    HOLIDAY = "holiday"
    LEAVE = "leave"
    OUTSIDE_HOURS = "outside_hours"
    BREAK = "break"


@dataclass(frozen=True, slots=True)
class RuleBreach:
    code: Breach
    message: str  # in the clinic's words, naming the practitioner and the day


def _wall_span(start: datetime, end: datetime, tz: ZoneInfo) -> tuple[date, time, time] | None:
    """The local day and wall-clock times of [start, end), or None if it crosses midnight."""
    local_start, local_end = start.astimezone(tz), end.astimezone(tz)
    day = local_start.date()
    if local_end.date() == day:
        return day, local_start.time(), local_end.time()
    if local_end.date() == date.fromordinal(day.toordinal() + 1) and local_end.time() == time.min:
        return day, local_start.time(), time.max
    return None


def booking_breaches(
    *,
    start: datetime,
    end: datetime,
    calendar: PractitionerCalendar,
    holidays: Mapping[date, str],
    tz: ZoneInfo,
    who: str,
) -> list[RuleBreach]:
    """Every rule that booking `who` in [start, end) would break; empty when it may be booked.

    `holidays` maps the clinic's closed local days (for the practitioner's location) to their
    names. The appointment must lie inside one working-hours block of its local weekday, clear
    of that weekday's breaks and of the practitioner's leave. Naive datetimes raise ValueError.
    """
    require_aware(start, "start")
    require_aware(end, "end")
    if end.astimezone(UTC) <= start.astimezone(UTC):
        raise ValueError("an appointment must end after it starts")
    found: list[RuleBreach] = []
    local_day = start.astimezone(tz).date()
    if local_day in holidays:
        name = holidays[local_day]
        found.append(RuleBreach(Breach.HOLIDAY, f"the clinic is closed on {local_day:%a %d %b} ({name})"))
    lo, hi = start.astimezone(UTC), end.astimezone(UTC)
    if any(leave.start.astimezone(UTC) < hi and lo < leave.end.astimezone(UTC) for leave in calendar.leave):
        found.append(RuleBreach(Breach.LEAVE, f"{who} is on leave then"))
    span = _wall_span(start, end, tz)
    if span is None:
        found.append(RuleBreach(Breach.OUTSIDE_HOURS, f"{who} does not work across midnight"))
        return found
    day, wall_start, wall_end = span
    weekday = day.weekday()
    blocks = [b for b in calendar.hours if b.weekday == weekday]
    if not any(b.start <= wall_start and wall_end <= b.end for b in blocks):
        hours = ", ".join(f"{b.start:%H:%M}-{b.end:%H:%M}" for b in sorted(blocks, key=lambda b: b.start))
        said = f"works {hours}" if hours else "does not work"
        found.append(RuleBreach(Breach.OUTSIDE_HOURS, f"{who} {said} on {day:%A}s"))
    pauses = [p for p in calendar.breaks if p.weekday == weekday and p.start < wall_end and wall_start < p.end]
    if pauses:
        found.append(RuleBreach(Breach.BREAK, f"{who} has a break {pauses[0].start:%H:%M}-{pauses[0].end:%H:%M} then"))
    return found


def initial_consultation_warning(*, is_initial: bool, open_episode: bool, patient: str) -> str | None:
    """A warning when an initial consultation is booked for a patient already in a course of care.

    An initial consultation opens a new episode (a new baseline for every measure); while an
    episode is open the patient is usually due a review or a treatment instead.
    """
    if is_initial and open_episode:
        return (
            f"{patient} already has an open episode of care (an approved treatment plan): "
            "a second initial consultation starts a new baseline. Book a review instead unless this is a new problem."
        )
    return None
