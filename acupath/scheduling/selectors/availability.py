"""Reads for booking: who is free when, built from the database for the pure slot engine."""

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils import timezone

from acupath.clinic.models import AppointmentType, Practitioner, Room
from acupath.clinic.selectors import clinic_zone
from acupath.patients.models import Patient
from acupath.scheduling.domain.calendar import (
    Break,
    Busy,
    Leave,
    PractitionerCalendar,
    RoomCalendar,
    Slot,
    WorkingHours,
)
from acupath.scheduling.domain.slots import find_slots
from acupath.scheduling.enums import HOLDING
from acupath.scheduling.models import Appointment, Holiday
from acupath.scheduling.models import Break as BreakRow
from acupath.scheduling.models import Leave as LeaveRow
from acupath.scheduling.models import WorkingHours as HoursRow

# The longest appointment an AppointmentType allows (its check constraint caps minutes at 240).
LONGEST = dt.timedelta(minutes=240)


def _busy_by(
    field: str, ids: Sequence[int], start: dt.datetime, end: dt.datetime, ignoring: Sequence[int] = ()
) -> dict[int, list[Busy]]:
    """Holding appointments overlapping [start, end) for each of `ids` (one query).

    The lower bound on `start` (no appointment is longer than LONGEST) lets the database range-scan
    its (resource, start) index instead of reading every past appointment of the resource.
    """
    rows = (
        Appointment.objects.filter(
            **{f"{field}__in": ids}, status__in=HOLDING, start__gt=start - LONGEST, start__lt=end, end__gt=start
        )
        .exclude(pk__in=ignoring)
        .values_list(field, "start", "end")
    )
    busy: dict[int, list[Busy]] = defaultdict(list)
    for owner, s, e in rows:
        busy[owner].append(Busy(s, e))
    return busy


DailyBusy = dict[dt.date, list[Busy]]


def _by_day(spans: Sequence[Busy], zone: dt.tzinfo) -> DailyBusy:
    """Busy spans filed under every local day they touch, so a one-day search reads only its own."""
    days: DailyBusy = defaultdict(list)
    for span in spans:
        day, last = span.start.astimezone(zone).date(), span.end.astimezone(zone).date()
        while day <= last:
            days[day].append(span)
            day += dt.timedelta(days=1)
    return days


@dataclass
class Diary:
    """Everything a slot search reads for a window, loaded once and searched by range or by day.

    A course proposal asks day after day for the days its rhythm reaches (often a few weeks of
    a twelve-week horizon); each day's search sees only that day's bookings.
    """

    zone: ZoneInfo
    calendars: list[PractitionerCalendar]
    practitioner_busy: dict[str, list[Busy]]
    room_ids: list[str] | None
    room_busy: dict[str, list[Busy]]
    patient_busy: list[Busy]
    holidays: set[dt.date]
    duration: dt.timedelta
    start: dt.datetime
    end: dt.datetime
    now: dt.datetime = field(default_factory=timezone.now)
    _found: dict[dt.date, list[Slot]] = field(default_factory=dict, init=False, repr=False)

    def slots(self) -> list[Slot]:
        """Every free slot of the loaded window."""
        return self._search(self.start, self.end, self.practitioner_busy, self.room_busy, self.patient_busy)

    @cached_property
    def _daily(self) -> tuple[dict[str, DailyBusy], dict[str, DailyBusy], DailyBusy]:
        """The practitioners', rooms' and patient's bookings by local day."""
        return (
            {k: _by_day(v, self.zone) for k, v in self.practitioner_busy.items()},
            {k: _by_day(v, self.zone) for k, v in self.room_busy.items()},
            _by_day(self.patient_busy, self.zone),
        )

    def day(self, day: dt.date) -> list[Slot]:
        """Free slots starting on one local day (remembered: the course engine asks again)."""
        if day not in self._found:
            practitioners, rooms, patient = self._daily
            lo = dt.datetime.combine(day, dt.time.min, tzinfo=self.zone)
            hi = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=self.zone)
            found = self._search(
                max(lo, self.start),
                min(hi, self.end),
                {k: v.get(day, []) for k, v in practitioners.items()},
                {k: v.get(day, []) for k, v in rooms.items()},
                patient.get(day, []),
            )
            self._found[day] = [s for s in found if s.start.date() == day]
        return self._found[day]

    def _search(
        self,
        lo: dt.datetime,
        hi: dt.datetime,
        practitioner_busy: dict[str, list[Busy]],
        room_busy: dict[str, list[Busy]],
        patient_busy: list[Busy],
    ) -> list[Slot]:
        if hi <= lo:
            return []
        rooms = None
        if self.room_ids is not None:
            rooms = [RoomCalendar(r, tuple(room_busy.get(r, ()))) for r in self.room_ids]
        return find_slots(
            tz=self.zone,
            practitioners=self.calendars,
            practitioner_busy=practitioner_busy,
            rooms=rooms,
            holidays=self.holidays,
            duration=self.duration,
            window_start=lo,
            window_end=hi,
            patient_busy=patient_busy,
            not_before=self.now,
        )


def diary_load(
    *,
    practitioners: Sequence[Practitioner],
    appointment_type: AppointmentType,
    start: dt.datetime,
    end: dt.datetime,
    patient: Patient | None = None,
    rooms: Sequence[Room] | None = None,
    ignoring: Sequence[int] = (),
) -> Diary:
    """Read what a slot search of [start, end) needs: seven queries whatever the size of the diary.

    Hours, breaks, leave, holidays, practitioner bookings, room bookings and the patient's
    bookings. `ignoring` lists appointment ids to treat as free (the sessions a rebooking is
    about to replace). `rooms=None` means rooms are not tracked.
    """
    ids = [p.pk for p in practitioners]
    hours: dict[int, list[WorkingHours]] = defaultdict(list)
    for row in HoursRow.objects.filter(practitioner_id__in=ids):
        hours[row.practitioner_id].append(WorkingHours(row.weekday, row.start, row.end))
    breaks: dict[int, list[Break]] = defaultdict(list)
    for b in BreakRow.objects.filter(practitioner_id__in=ids):
        breaks[b.practitioner_id].append(Break(b.weekday, b.start, b.end))
    leave: dict[int, list[Leave]] = defaultdict(list)
    for lv in LeaveRow.objects.filter(practitioner_id__in=ids, start__lt=end, end__gt=start):
        leave[lv.practitioner_id].append(Leave(lv.start, lv.end))
    calendars = [PractitionerCalendar(str(pk), tuple(hours[pk]), tuple(breaks[pk]), tuple(leave[pk])) for pk in ids]
    clinic_ids = {p.clinic_id for p in practitioners}
    holidays = set(
        Holiday.objects.filter(
            clinic_id__in=clinic_ids, day__gte=start.date() - dt.timedelta(days=1), day__lte=end.date()
        ).values_list("day", flat=True)
    )
    practitioner_busy = _busy_by("practitioner_id", ids, start, end, ignoring)
    room_busy = _busy_by("room_id", [r.pk for r in rooms], start, end, ignoring) if rooms is not None else {}
    patient_busy = _busy_by("patient_id", [patient.pk], start, end, ignoring)[patient.pk] if patient else []
    return Diary(
        zone=clinic_zone(),
        calendars=calendars,
        practitioner_busy={str(k): v for k, v in practitioner_busy.items()},
        room_ids=[str(r.pk) for r in rooms] if rooms is not None else None,
        room_busy={str(k): v for k, v in room_busy.items()},
        patient_busy=patient_busy,
        holidays=holidays,
        duration=dt.timedelta(minutes=appointment_type.minutes),
        start=start,
        end=end,
    )


def rooms_for(practitioners: Sequence[Practitioner]) -> list[Room]:
    """Active rooms these practitioners can treat in, in the board's order.

    A practitioner with a location takes that location's rooms; one without takes any room of
    their clinic. In a network of clinics this keeps a slot search to a handful of room diaries.
    """
    sites = Q()
    for p in practitioners:
        sites |= Q(location_id=p.location_id) if p.location_id else Q(location__clinic_id=p.clinic_id)
    if not sites:
        return []
    return list(Room.objects.filter(sites, active=True).order_by("location_id", "position", "name"))
