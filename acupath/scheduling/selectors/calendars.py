"""Reads for the calendar pages: rotas, leave, holidays and appointment types."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone

from acupath.clinic.models import AppointmentType, Clinic, Practitioner
from acupath.clinic.selectors import clinic_zone
from acupath.scheduling.models import Break, Holiday, Leave, WorkingHours

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class LeaveView:
    pk: int
    label: str
    reason: str


@dataclass
class RotaDay:
    weekday: int
    name: str
    hours: list[WorkingHours] = field(default_factory=list)
    breaks: list[Break] = field(default_factory=list)


@dataclass
class PractitionerCalendarView:
    practitioner: Practitioner
    days: list[RotaDay]
    leave: list[LeaveView]


def leave_label(start: dt.datetime, end: dt.datetime) -> str:
    """Leave in words: whole days as "Wed 2 Dec – Thu 3 Dec", otherwise with times."""
    zone = clinic_zone()
    lo, hi = start.astimezone(zone), end.astimezone(zone)
    if lo.time() == dt.time.min and hi.time() == dt.time.min:
        last = hi.date() - dt.timedelta(days=1)
        first_text = f"{lo:%a} {lo.day} {lo:%b}"
        return first_text if last == lo.date() else f"{first_text} – {last:%a} {last.day} {last:%b}"
    return f"{lo:%a} {lo.day} {lo:%b} {lo:%H:%M} – {hi:%a} {hi.day} {hi:%b} {hi:%H:%M}"


def _leave_views(rows: list[Leave]) -> list[LeaveView]:
    return [LeaveView(lv.pk, leave_label(lv.start, lv.end), lv.reason) for lv in rows]


def rota_summary(hours: list[WorkingHours]) -> str:
    """ "Mon–Sat 09:00–18:00" style, per distinct block, for the overview table."""
    by_block: dict[tuple[dt.time, dt.time], list[int]] = {}
    for h in hours:
        by_block.setdefault((h.start, h.end), []).append(h.weekday)
    parts = []
    for (start, end), weekdays in by_block.items():
        weekdays.sort()
        run = weekdays == list(range(weekdays[0], weekdays[-1] + 1)) and len(weekdays) > 2
        names = f"{DAYS[weekdays[0]]}–{DAYS[weekdays[-1]]}" if run else ", ".join(DAYS[d] for d in weekdays)
        parts.append(f"{names} {start:%H:%M}–{end:%H:%M}")
    return "; ".join(parts) or "no working hours"


def calendars_overview(clinic: Clinic) -> dict[str, object]:
    """Everything the calendars index shows, in four queries."""
    now = timezone.now()
    practitioners = list(
        Practitioner.objects.filter(clinic=clinic, active=True)
        .prefetch_related(
            Prefetch("working_hours", queryset=WorkingHours.objects.order_by("weekday", "start")),
            Prefetch("leave", queryset=Leave.objects.filter(end__gt=now).order_by("start"), to_attr="leave_ahead"),
        )
        .order_by("display_name")
    )
    rows = [
        {"practitioner": p, "rota": rota_summary(list(p.working_hours.all())), "leave": _leave_views(p.leave_ahead)}
        for p in practitioners
    ]
    today = now.astimezone(clinic_zone()).date()
    holidays = list(Holiday.objects.filter(clinic=clinic, day__gte=today).order_by("day")[:20])
    types = list(AppointmentType.objects.filter(clinic=clinic).order_by("minutes", "name"))
    return {"rows": rows, "holidays": holidays, "types": types}


def practitioner_calendar(practitioner: Practitioner) -> PractitionerCalendarView:
    """A practitioner's weekly rota by day and their leave from today on (three queries)."""
    days = [RotaDay(weekday=i, name=name) for i, name in enumerate(DAYS)]
    for h in WorkingHours.objects.filter(practitioner=practitioner).order_by("weekday", "start"):
        days[h.weekday].hours.append(h)
    for b in Break.objects.filter(practitioner=practitioner).order_by("weekday", "start"):
        days[b.weekday].breaks.append(b)
    leave = list(Leave.objects.filter(practitioner=practitioner, end__gt=timezone.now()).order_by("start"))
    return PractitionerCalendarView(practitioner, days, _leave_views(leave))
