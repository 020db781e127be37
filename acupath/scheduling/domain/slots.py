"""Find free appointment slots for a set of practitioners and rooms.

Pure and fast: the selectors hand over plain calendars (see `calendar.py`) and
this module answers which start times are bookable. Two rules shape it:

* The rota lives in wall-clock time, the bookings in instants. Candidate starts
  are laid on a grid of local wall-clock times (09:00, 09:15, ...) so that a
  practitioner who starts at 09:00 still starts at 09:00 the day after the
  clocks change; every comparison is then made in UTC, where arithmetic is
  exact (adding 45 minutes to an aware datetime in a ZoneInfo zone is wall-clock
  arithmetic and goes wrong across a transition).
* Busy time is sorted and merged once per resource, so each candidate is tested
  with a binary search instead of a scan of every booking.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from acupath.scheduling.domain.calendar import (
    Busy,
    PractitionerCalendar,
    RoomCalendar,
    Slot,
    require_aware,
)

__all__ = ["find_slots"]

_Span = tuple[datetime, datetime]
_DAY = timedelta(days=1)


class _Timeline:
    """Disjoint, sorted busy intervals of one resource, queried by bisection.

    Intervals are half-open, so a booking ending at 10:00 leaves a 10:00 start free.
    """

    __slots__ = ("_ends", "_starts")

    def __init__(self, spans: Iterable[_Span]) -> None:
        merged: list[list[datetime]] = []
        for start, end in sorted(spans):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        # After merging, both lists are ascending, which is what bisection needs.
        self._starts = [span[0] for span in merged]
        self._ends = [span[1] for span in merged]

    def is_free(self, start: datetime, end: datetime) -> bool:
        # The first interval ending after `start` is the only one that can overlap.
        i = bisect_right(self._ends, start)
        return i == len(self._ends) or self._starts[i] >= end


def _instants(day: date, wall: time, tz: ZoneInfo) -> list[datetime]:
    """The UTC instants at which the local clock shows `wall` on `day`.

    Usually one; two in the repeated hour of an autumn change; none in the
    skipped hour of a spring change (zoneinfo would silently shift those, so the
    round trip back to local time is checked).
    """
    naive = datetime.combine(day, wall)
    return [
        instant
        for instant in sorted(set(_readings(day, wall, tz)))
        if instant.astimezone(tz).replace(tzinfo=None) == naive
    ]


def _readings(day: date, wall: time, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """Earliest and latest UTC reading of a wall-clock time (differ only at DST)."""
    naive = datetime.combine(day, wall)
    first, second = (naive.replace(tzinfo=tz, fold=f).astimezone(UTC) for f in (0, 1))
    return min(first, second), max(first, second)


def _local_span(day: date, start: time, end: time, tz: ZoneInfo, *, widest: bool) -> _Span | None:
    """A wall-clock block on `day` as a UTC span.

    Where a DST change makes its edges ambiguous or skipped, working hours take
    the narrowest reading and breaks the widest, so that neither ever offers
    time the practitioner might not be there.
    """
    start_lo, start_hi = _readings(day, start, tz)
    end_lo, end_hi = _readings(day, end, tz)
    span = (start_lo, end_hi) if widest else (start_hi, end_lo)
    return span if span[0] < span[1] else None


def _to_utc(spans: Iterable[Busy], pad: timedelta, lo: datetime, hi: datetime) -> list[_Span]:
    """Busy spans widened by `pad`, in UTC, keeping only those touching [lo, hi)."""
    out: list[_Span] = []
    for busy in spans:
        start = busy.start.astimezone(UTC) - pad
        end = busy.end.astimezone(UTC) + pad
        if end > lo and start < hi:
            out.append((start, end))
    return out


def _open_days(lo: datetime, hi: datetime, tz: ZoneInfo, shut: Collection[date]) -> list[date]:
    # One day either side: a rota block on a local day can reach across the UTC
    # window boundary, and a padded booking can reach into the window.
    first = lo.astimezone(tz).date() - _DAY
    count = (hi.astimezone(tz).date() - first).days + 2
    return [first + n * _DAY for n in range(count) if first + n * _DAY not in shut]


def find_slots(
    *,
    tz: ZoneInfo,
    practitioners: Sequence[PractitionerCalendar],
    practitioner_busy: Mapping[str, Sequence[Busy]],
    rooms: Sequence[RoomCalendar] | None,
    holidays: Collection[date],
    duration: timedelta,
    window_start: datetime,
    window_end: datetime,
    step: timedelta = timedelta(minutes=15),
    patient_busy: Sequence[Busy] = (),
    not_before: datetime | None = None,
    buffer: timedelta = timedelta(0),
) -> list[Slot]:
    """Every bookable slot of `duration` lying wholly inside [window_start, window_end).

    A slot starts on the `step` grid of local wall-clock time counted from
    midnight (so 09:00, 09:15, ... whatever a block's start) and must fit inside
    one working-hours block, clear of breaks, leave, clinic `holidays` (local
    dates), the practitioner's and the patient's bookings and, when `rooms` is
    given, find a free room: the first free one in the given order is chosen.
    `rooms=None` means rooms are not tracked (room_id is None); an empty
    sequence means no room exists, so nothing is bookable.

    `buffer` is turnover time (notes, changing the couch) kept clear between
    this appointment and existing practitioner and room bookings; it does not
    apply to the patient's own bookings, breaks or leave.

    Slots start no earlier than `not_before` (e.g. now) and are returned in `tz`,
    sorted by start, then by the order of `practitioners`. Naive datetimes raise
    ValueError.
    """
    for name, value in (("window_start", window_start), ("window_end", window_end)):
        require_aware(value, name)
    if not_before is not None:
        require_aware(not_before, "not_before")
    if duration <= timedelta(0) or step < timedelta(seconds=1) or buffer < timedelta(0):
        msg = "duration must be positive, step at least a second, buffer not negative"
        raise ValueError(msg)
    lo = window_start.astimezone(UTC)
    if not_before is not None:
        lo = max(lo, not_before.astimezone(UTC))
    hi = window_end.astimezone(UTC)
    if hi <= lo:
        return []

    days = _open_days(lo, hi, tz, holidays)
    patient = _Timeline(_to_utc(patient_busy, timedelta(0), lo, hi))
    room_lines = None
    if rooms is not None:
        room_lines = [(r.room_id, _Timeline(_to_utc(r.busy, buffer, lo, hi))) for r in rooms]
    search = _Search(tz, lo, hi, duration, patient, room_lines, _GridCache(tz, step))
    found: list[tuple[datetime, int, Slot]] = []
    for order, cal in enumerate(practitioners):
        busy = practitioner_busy.get(cal.practitioner_id, ())
        blocked = _practitioner_timeline(cal, busy, days, tz, buffer, (lo, hi))
        found.extend((slot.start, order, slot) for slot in search.run(cal, blocked, days))
    # Sort on the UTC instant: comparing two datetimes that share a ZoneInfo
    # compares wall-clock time, which misorders the repeated autumn hour.
    found.sort(key=lambda item: (item[0].astimezone(UTC), item[1]))
    return [slot for _, _, slot in found]


@dataclass(frozen=True, slots=True)
class _Search:
    """What every practitioner's candidates are checked against."""

    tz: ZoneInfo
    lo: datetime
    hi: datetime
    duration: timedelta
    patient: _Timeline
    rooms: list[tuple[str, _Timeline]] | None
    grid: _GridCache

    def run(self, cal: PractitionerCalendar, blocked: _Timeline, days: Sequence[date]) -> Iterator[Slot]:
        seen: set[datetime] = set()  # overlapping rota blocks must not yield twins
        for day in days:
            for hours in cal.hours:
                if hours.weekday != day.weekday():
                    continue
                block, starts = self.grid.block(day, hours.start, hours.end)
                for start in starts if block else ():
                    end = start + self.duration
                    fits = block is not None and block[0] <= start and end <= block[1]
                    inside = self.lo <= start and end <= self.hi
                    if not (fits and inside) or start in seen:
                        continue
                    if not (blocked.is_free(start, end) and self.patient.is_free(start, end)):
                        continue
                    room_id = None  # stays None when rooms are not tracked
                    if self.rooms is not None:
                        # First free room in the caller's order: preferred rooms first.
                        free = (r for r, line in self.rooms if line.is_free(start, end))
                        room_id = next(free, None)
                        if room_id is None:
                            continue
                    seen.add(start)
                    yield Slot(
                        start.astimezone(self.tz),
                        end.astimezone(self.tz),
                        cal.practitioner_id,
                        room_id,
                    )


def _practitioner_timeline(
    cal: PractitionerCalendar,
    busy: Sequence[Busy],
    days: Sequence[date],
    tz: ZoneInfo,
    buffer: timedelta,
    window: _Span,
) -> _Timeline:
    """Bookings, leave and breaks of one practitioner, merged into one timeline."""
    spans = _to_utc(busy, buffer, *window)
    spans += [(leave.start.astimezone(UTC), leave.end.astimezone(UTC)) for leave in cal.leave]
    for day in days:
        for pause in cal.breaks:
            if pause.weekday == day.weekday():
                span = _local_span(day, pause.start, pause.end, tz, widest=True)
                if span is not None:
                    spans.append(span)
    return _Timeline(spans)


class _GridCache:
    """Per (day, rota block): its UTC span and grid starts, shared by practitioners.

    Converting wall-clock times to UTC is the costliest step per candidate, and
    most clinics have a handful of distinct blocks, so it is done once per block.
    """

    def __init__(self, tz: ZoneInfo, step: timedelta) -> None:
        self._tz = tz
        self._step = int(step.total_seconds())
        self._cache: dict[tuple[date, time, time], tuple[_Span | None, list[datetime]]]
        self._cache = {}

    def block(self, day: date, start: time, end: time) -> tuple[_Span | None, list[datetime]]:
        key = (day, start, end)
        if key not in self._cache:
            starts: list[datetime] = []
            stop = end.hour * 3600 + end.minute * 60 + end.second
            first = start.hour * 3600 + start.minute * 60 + start.second
            # Round up to the grid so starts line up across practitioners and blocks.
            for second in range(-(-first // self._step) * self._step, stop, self._step):
                wall = time(second // 3600, second // 60 % 60, second % 60)
                starts.extend(_instants(day, wall, self._tz))
            span = _local_span(day, start, end, self._tz, widest=False)
            self._cache[key] = (span, starts)
        return self._cache[key]
