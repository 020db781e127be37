"""Plain value types describing who is available when.

These are the inputs and outputs of the slot and course engines. They carry no
Django model: the selectors build them from the database, the engines reason
over them, and tests build them by hand in a line each.

Times of day (`WorkingHours`, `Break`) are wall-clock times in the clinic's
zone, because that is how a rota is written ("Mondays 09:00-13:00") and it must
stay 09:00 across daylight-saving changes. Instants (`Leave`, `Busy`, `Slot`)
are aware datetimes: a naive one is ambiguous about its zone, so it is refused
at construction rather than guessed at later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

__all__ = [
    "Break",
    "Busy",
    "Holiday",
    "Leave",
    "PractitionerCalendar",
    "RoomCalendar",
    "Slot",
    "WorkingHours",
    "require_aware",
]


_SUNDAY = 6  # weekdays follow date.weekday(): Monday is 0


def require_aware(value: datetime, name: str) -> None:
    """Raise ValueError if `value` is naive (no usable UTC offset)."""
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got naive {value!r}")


def _check_span(start: datetime, end: datetime, kind: str) -> None:
    require_aware(start, f"{kind}.start")
    require_aware(end, f"{kind}.end")
    # Compare instants in UTC: two datetimes sharing a ZoneInfo compare by wall
    # clock, which gets the repeated autumn hour wrong.
    if end.astimezone(UTC) <= start.astimezone(UTC):
        raise ValueError(f"{kind} must end after it starts ({start} .. {end})")


def _check_weekly(weekday: int, start: time, end: time, kind: str) -> None:
    if not 0 <= weekday <= _SUNDAY:
        raise ValueError(f"{kind}.weekday must be 0 (Monday) .. 6 (Sunday), got {weekday}")
    # Wall-clock times only: a tzinfo here would compete with the clinic zone.
    if start.tzinfo is not None or end.tzinfo is not None:
        raise ValueError(f"{kind} times are local wall-clock times; pass them without tzinfo")
    # Blocks never cross midnight: a night shift is two blocks on two weekdays.
    if end <= start:
        raise ValueError(f"{kind} must end after it starts on the same day ({start} .. {end})")


@dataclass(frozen=True, slots=True)
class WorkingHours:
    """One block of a weekly rota; several per weekday allow split shifts."""

    weekday: int
    start: time
    end: time

    def __post_init__(self) -> None:
        _check_weekly(self.weekday, self.start, self.end, "WorkingHours")


@dataclass(frozen=True, slots=True)
class Break:
    """A recurring weekly pause inside working hours, such as lunch."""

    weekday: int
    start: time
    end: time

    def __post_init__(self) -> None:
        _check_weekly(self.weekday, self.start, self.end, "Break")


@dataclass(frozen=True, slots=True)
class Leave:
    """A practitioner's absence between two instants (holiday, course, sickness)."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        _check_span(self.start, self.end, "Leave")


@dataclass(frozen=True, slots=True)
class Holiday:
    """A local calendar day on which the whole clinic is closed."""

    day: date


@dataclass(frozen=True, slots=True)
class Busy:
    """An existing booking of a practitioner, room or patient: [start, end)."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        _check_span(self.start, self.end, "Busy")


@dataclass(frozen=True, slots=True)
class PractitionerCalendar:
    """A practitioner's weekly rota, recurring breaks and one-off leave."""

    practitioner_id: str
    hours: tuple[WorkingHours, ...]
    breaks: tuple[Break, ...] = ()
    leave: tuple[Leave, ...] = ()


@dataclass(frozen=True, slots=True)
class RoomCalendar:
    """A treatment room and the bookings already holding it."""

    room_id: str
    busy: tuple[Busy, ...] = ()


@dataclass(frozen=True, slots=True)
class Slot:
    """A bookable appointment: who, where (None when rooms are not tracked) and when.

    `find_slots` returns start and end in the clinic zone, for display. Do
    arithmetic and ordering through `duration` or `.astimezone(UTC)`: Python
    subtracts and compares datetimes sharing a ZoneInfo by wall clock, which is
    wrong across a DST change.
    """

    start: datetime
    end: datetime
    practitioner_id: str
    room_id: str | None = None

    def __post_init__(self) -> None:
        _check_span(self.start, self.end, "Slot")

    @property
    def duration(self) -> timedelta:
        """Real elapsed time, correct across a DST change."""
        return self.end.astimezone(UTC) - self.start.astimezone(UTC)
