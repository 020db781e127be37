"""A practitioner's week as a grid of quarter hours: rota, breaks, leave, holidays, appointments.

Five queries whatever the number of appointments. Positions are computed here so the
template only places boxes.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from acupath.clinic.models import Practitioner
from acupath.clinic.selectors import clinic_zone
from acupath.scheduling.enums import GRID_MINUTES, AppointmentStatus
from acupath.scheduling.models import Appointment, Break, Holiday, Leave, WorkingHours


@dataclass
class Block:
    kind: str  # appointment, break, leave, off, holiday
    row: int  # first grid row (1 = the day's first quarter hour)
    span: int
    label: str = ""
    detail: str = ""
    status: str = ""
    appointment: Appointment | None = None


@dataclass
class DayColumn:
    day: dt.date
    blocks: list[Block] = field(default_factory=list)
    holiday: str = ""
    count: int = 0


@dataclass
class WeekView:
    practitioner: Practitioner
    monday: dt.date
    first_minute: int  # minutes after midnight of the grid's first row
    rows: int
    days: list[DayColumn]
    hour_marks: list[tuple[int, str]]  # (row, "09:00")

    @property
    def booked(self) -> int:
        return sum(d.count for d in self.days)


def _minutes(t: dt.time) -> int:
    return t.hour * 60 + t.minute


def _round_down_hour(m: int) -> int:
    return m // 60 * 60


def _round_up_hour(m: int) -> int:
    return -(-m // 60) * 60


def week_schedule(practitioner: Practitioner, monday: dt.date) -> WeekView:
    zone = clinic_zone()
    days = [monday + dt.timedelta(days=i) for i in range(7)]
    start = dt.datetime.combine(monday, dt.time.min, tzinfo=zone)
    end = start + dt.timedelta(days=7)
    hours: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for h in WorkingHours.objects.filter(practitioner=practitioner):
        hours[h.weekday].append((_minutes(h.start), _minutes(h.end)))
    breaks: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for b in Break.objects.filter(practitioner=practitioner):
        breaks[b.weekday].append((_minutes(b.start), _minutes(b.end)))
    leave = list(Leave.objects.filter(practitioner=practitioner, start__lt=end, end__gt=start))
    holidays = dict(
        Holiday.objects.filter(clinic_id=practitioner.clinic_id, day__gte=monday, day__lte=days[-1]).values_list(
            "day", "name"
        )
    )
    appointments = list(
        Appointment.objects.filter(practitioner=practitioner, start__lt=end, end__gt=start)
        .exclude(status=AppointmentStatus.CANCELLED)
        .select_related("patient", "type", "room")
        .only(
            "public_id",
            "start",
            "end",
            "status",
            "patient__public_id",
            "patient__given_name",
            "patient__family_name",
            "type__name",
            "room__name",
        )
        .order_by("start")
    )
    local = [(a, a.start.astimezone(zone), a.end.astimezone(zone)) for a in appointments]

    # The grid spans the working day, widened to whole hours and to any booking outside it.
    spans = [m for blocks in hours.values() for pair in blocks for m in pair]
    spans += [_minutes(s.time()) for _, s, _ in local] + [_minutes(e.time()) or 24 * 60 for _, _, e in local]
    first = _round_down_hour(min(spans, default=8 * 60))
    last = _round_up_hour(max(spans, default=18 * 60))
    rows = max(1, (last - first) // GRID_MINUTES)

    def place(
        kind: str,
        lo: int,
        hi: int,
        *,
        label: str = "",
        detail: str = "",
        status: str = "",
        appointment: Appointment | None = None,
    ) -> Block | None:
        lo, hi = max(lo, first), min(hi, last)
        if hi <= lo:
            return None
        row = (lo - first) // GRID_MINUTES + 1
        return Block(
            kind=kind,
            row=row,
            span=max(1, -(-(hi - lo) // GRID_MINUTES)),
            label=label,
            detail=detail,
            status=status,
            appointment=appointment,
        )

    columns = []
    for day in days:
        column = DayColumn(day=day, holiday=holidays.get(day, ""))
        blocks: list[Block | None] = []
        if column.holiday:
            blocks.append(place("holiday", first, last, label=column.holiday))
        else:
            # Off-duty time: the complement of the day's working blocks.
            cursor = first
            for lo, hi in sorted(hours.get(day.weekday(), [])):
                blocks.append(place("off", cursor, lo))
                cursor = max(cursor, hi)
            blocks.append(place("off", cursor, last))
            blocks += [place("break", lo, hi, label="Break") for lo, hi in breaks.get(day.weekday(), [])]
            day_start = dt.datetime.combine(day, dt.time.min, tzinfo=zone)
            for lv in leave:
                lo_at = max(lv.start.astimezone(zone), day_start)
                hi_at = min(lv.end.astimezone(zone), day_start + dt.timedelta(days=1))
                if hi_at > lo_at:
                    lo_m = _minutes(lo_at.time())
                    hi_m = (hi_at - day_start).total_seconds() // 60
                    blocks.append(place("leave", lo_m, int(hi_m), label=lv.reason or "Leave"))
        for a, s, e in local:
            if s.date() != day:
                continue
            end_m = _minutes(e.time()) if e.date() == day else 24 * 60
            blocks.append(
                place(
                    "appointment",
                    _minutes(s.time()),
                    end_m,
                    label=f"{a.patient.given_name} {a.patient.family_name}",
                    detail=f"{s:%H:%M} {a.type.name}{' · ' + a.room.name if a.room else ''}",
                    status=a.status,
                    appointment=a,
                )
            )
            column.count += 1
        column.blocks = [b for b in blocks if b is not None]
        columns.append(column)
    marks = [((m - first) // GRID_MINUTES + 1, f"{m // 60:02d}:00") for m in range(first, last, 60)]
    return WeekView(practitioner, monday, first, rows, columns, marks)


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def today_local() -> dt.date:
    return timezone.now().astimezone(clinic_zone()).date()


def this_monday() -> dt.date:
    return monday_of(today_local())
