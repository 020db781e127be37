"""The desk's calendar of one location: a column per practitioner (or room), its bookings and shading.

Shaped for EventCalendar's resource views: resources, events and background events, with times as
wall-clock strings in the clinic's zone (the calendar shows what the clinic's clocks show). Seven
queries whatever the number of practitioners, rooms or appointments; tests pin the count.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.urls import reverse

from acupath.clinic.models import AppointmentType, Location, Practitioner, Room
from acupath.clinic.selectors import clinic_zone
from acupath.scheduling.enums import AppointmentStatus
from acupath.scheduling.models import Appointment, Break, Holiday, Leave, WorkingHours
from acupath.scheduling.selectors.availability import LONGEST

PRACTITIONERS, ROOMS = "practitioners", "rooms"
MOVABLE = (AppointmentStatus.BOOKED, AppointmentStatus.PENDING)
# One colour per appointment type, in the clinic's order of types; legible with dark text.
TYPE_COLOURS = ("#cfe3f7", "#d5ecd4", "#f6e0bf", "#e5d7f2", "#f5d0d6", "#cdeceb", "#ece6c4", "#dcdcdc")
DEFAULT_DAY = (dt.time(8), dt.time(19))


@dataclass
class DeskCalendar:
    location: Location
    view: str
    resources: list[dict[str, Any]]
    events: list[dict[str, Any]]
    background: list[dict[str, Any]]
    legend: list[tuple[str, str]]  # (type name, colour)
    first_minute: int  # of the visible day, after local midnight (whole hours)
    last_minute: int
    practitioners: list[Practitioner] = field(default_factory=list)
    rooms: list[Room] = field(default_factory=list)

    def feed(self) -> dict[str, Any]:
        return {
            "resources": self.resources,
            "events": self.events + self.background,
            "slotMinTime": f"{self.first_minute // 60:02d}:00",
            "slotMaxTime": f"{self.last_minute // 60:02d}:00",
        }


def _wall(moment: dt.datetime, zone: dt.tzinfo) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%dT%H:%M:%S")


def _days(start: dt.date, end: dt.date) -> Iterator[dt.date]:
    day = start
    while day < end:
        yield day
        day += dt.timedelta(days=1)


def practitioners_at(location: Location) -> list[Practitioner]:
    """Active practitioners of the location, and those who work across the whole clinic."""
    return list(
        Practitioner.objects.filter(Q(location=location) | Q(location__isnull=True), clinic_id=location.clinic_id)
        .filter(active=True)
        .order_by("display_name", "id")
    )


def _off_spans(blocks: list[tuple[dt.time, dt.time]]) -> list[tuple[dt.time, dt.time]]:
    """The parts of a day outside its working blocks (the whole day when there are none)."""
    spans, cursor = [], dt.time.min
    for lo, hi in sorted(blocks):
        if lo > cursor:
            spans.append((cursor, lo))
        cursor = max(cursor, hi)
    if cursor < dt.time.max:
        spans.append((cursor, dt.time.max))
    return spans


def _minutes(t: dt.time) -> int:
    return t.hour * 60 + t.minute


def _at(day: dt.date, t: dt.time) -> str:
    if t == dt.time.max:
        return f"{day + dt.timedelta(days=1):%Y-%m-%d}T00:00:00"
    return f"{day:%Y-%m-%d}T{t:%H:%M:%S}"


def desk_calendar(*, location: Location, first_day: dt.date, days: int, view: str = PRACTITIONERS) -> DeskCalendar:
    """The location's calendar for `days` local days from `first_day`."""
    zone = clinic_zone()
    start = dt.datetime.combine(first_day, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(first_day + dt.timedelta(days=days), dt.time.min, tzinfo=zone)
    people = practitioners_at(location)
    rooms = list(Room.objects.filter(location=location, active=True).order_by("position", "name"))
    ids = [p.pk for p in people]
    hours: dict[tuple[int, int], list[tuple[dt.time, dt.time]]] = defaultdict(list)
    for pid, weekday, lo, hi in WorkingHours.objects.filter(practitioner_id__in=ids).values_list(
        "practitioner_id", "weekday", "start", "end"
    ):
        hours[(pid, weekday)].append((lo, hi))
    breaks = list(
        Break.objects.filter(practitioner_id__in=ids).values_list("practitioner_id", "weekday", "start", "end")
    )
    leave = list(
        Leave.objects.filter(practitioner_id__in=ids, start__lt=end, end__gt=start).values_list(
            "practitioner_id", "start", "end", "reason"
        )
    )
    holidays = dict(
        Holiday.objects.filter(
            clinic_id=location.clinic_id, day__gte=first_day, day__lt=first_day + dt.timedelta(days=days)
        ).values_list("day", "name")
    )
    type_order = list(
        AppointmentType.objects.filter(clinic_id=location.clinic_id)
        .order_by("minutes", "name")
        .values_list("pk", "name")
    )
    colours = {pk: TYPE_COLOURS[n % len(TYPE_COLOURS)] for n, (pk, _) in enumerate(type_order)}
    by_rooms = view == ROOMS
    scope = Q(room__in=[r.pk for r in rooms]) if by_rooms else Q(practitioner_id__in=ids)
    appointments = list(
        # The lower bound on start (no appointment is longer than LONGEST) lets the database range-scan
        # its (practitioner, start) or (room, start) index instead of every past appointment.
        Appointment.objects.filter(scope, start__gt=start - LONGEST, start__lt=end, end__gt=start)
        .exclude(status=AppointmentStatus.CANCELLED)
        .select_related("patient", "practitioner", "room", "type")
        .only(
            "public_id", "start", "end", "status", "override_reason",
            "patient__public_id", "patient__given_name", "patient__family_name",
            "practitioner__public_id", "practitioner__display_name",
            "room__public_id", "room__name", "type__name",
        )
        .order_by("start", "id")
    )  # fmt: skip

    events = [_event(a, zone, colours, by_rooms) for a in appointments]
    background: list[dict[str, Any]] = []
    resources: list[dict[str, Any]]
    if by_rooms:
        resources = [{"id": str(r.public_id), "title": r.name} for r in rooms]
    else:
        resources = [{"id": str(p.public_id), "title": p.display_name} for p in people]
        background = _shading(people, hours, breaks, leave, first_day, days, zone)
    every = [r["id"] for r in resources]
    for day, name in sorted(holidays.items()):
        background.append(_shade(every, _at(day, dt.time.min), _at(day, dt.time.max), "holiday", f"Closed: {name}"))

    # The visible day spans every rota and every booking shown, in whole hours.
    blocks = [b for spans in hours.values() for b in spans]
    local = [(a.start.astimezone(zone), a.end.astimezone(zone)) for a in appointments]
    firsts = [_minutes(lo) for lo, _ in blocks] + [_minutes(s.time()) for s, _ in local]
    lasts = [_minutes(hi) for _, hi in blocks] + [
        _minutes(e.time()) if e.date() == s.date() else 1440 for s, e in local
    ]
    first_minute = min(firsts, default=_minutes(DEFAULT_DAY[0])) // 60 * 60
    last_minute = -(-max(lasts, default=_minutes(DEFAULT_DAY[1])) // 60) * 60
    legend = [(name, colours[pk]) for pk, name in type_order]
    return DeskCalendar(location, view, resources, events, background, legend, first_minute, last_minute, people, rooms)


def _shade(resource_ids: list[str], start: str, end: str, kind: str, title: str = "") -> dict[str, Any]:
    return {
        "resourceIds": resource_ids,
        "start": start,
        "end": end,
        "display": "background",
        "classNames": [f"shade-{kind}"],
        "title": title,
        "extendedProps": {"kind": kind},
    }


def _shading(
    people: list[Practitioner],
    hours: dict[tuple[int, int], list[tuple[dt.time, dt.time]]],
    breaks: list[tuple[int, int, dt.time, dt.time]],
    leave: list[tuple[int, dt.datetime, dt.datetime, str]],
    first_day: dt.date,
    days: int,
    zone: dt.tzinfo,
) -> list[dict[str, Any]]:
    """Off-duty time, breaks and leave of each practitioner as background events."""
    out: list[dict[str, Any]] = []
    public = {p.pk: str(p.public_id) for p in people}
    for p in people:
        for day in _days(first_day, first_day + dt.timedelta(days=days)):
            for lo, hi in _off_spans(hours.get((p.pk, day.weekday()), [])):
                out.append(_shade([public[p.pk]], _at(day, lo), _at(day, hi), "off"))
    for pid, weekday, lo, hi in breaks:
        for day in _days(first_day, first_day + dt.timedelta(days=days)):
            if day.weekday() == weekday:
                out.append(_shade([public[pid]], _at(day, lo), _at(day, hi), "break", "Break"))
    for pid, lo_at, hi_at, reason in leave:
        out.append(_shade([public[pid]], _wall(lo_at, zone), _wall(hi_at, zone), "leave", reason or "Leave"))
    return out


def _event(a: Appointment, zone: dt.tzinfo, colours: dict[int, str], by_rooms: bool) -> dict[str, Any]:
    resource = (str(a.room.public_id) if a.room else "") if by_rooms else str(a.practitioner.public_id)
    status = AppointmentStatus(a.status) if a.status in AppointmentStatus.values else None
    return {
        "id": str(a.public_id),
        "resourceIds": [resource],
        "start": _wall(a.start, zone),
        "end": _wall(a.end, zone),
        "title": f"{a.patient.given_name} {a.patient.family_name}",
        "backgroundColor": colours.get(a.type_id, TYPE_COLOURS[-1]),
        "textColor": "#1d2a33",
        "classNames": [f"status-{a.status}"] + (["override"] if a.override_reason else []),
        "editable": a.status in MOVABLE,
        "extendedProps": {
            "type": a.type.name,
            "status": a.status,
            "status_label": status.label if status else a.status,
            "practitioner": a.practitioner.display_name,
            "room": a.room.name if a.room else "",
            "override_reason": a.override_reason,
            "chart": reverse("chart:patient_chart", kwargs={"patient_id": a.patient.public_id}),
        },
    }
