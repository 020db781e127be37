"""Reads for booking: who is free when, built from the database for the pure slot engine."""

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

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


def _busy_by(field: str, ids: Sequence[int], start: dt.datetime, end: dt.datetime) -> dict[int, list[Busy]]:
    """Holding appointments overlapping [start, end) for each of `ids` (one query)."""
    rows = Appointment.objects.filter(
        **{f"{field}__in": ids}, status__in=HOLDING, start__lt=end, end__gt=start
    ).values_list(field, "start", "end")
    busy: dict[int, list[Busy]] = defaultdict(list)
    for owner, s, e in rows:
        busy[owner].append(Busy(s, e))
    return busy


def availability(
    *,
    practitioners: Sequence[Practitioner],
    appointment_type: AppointmentType,
    start: dt.datetime,
    end: dt.datetime,
    patient: Patient | None = None,
    rooms: Sequence[Room] | None = None,
) -> list[Slot]:
    """Free slots of `appointment_type` for any of `practitioners` in [start, end).

    A fixed number of queries whatever the size of the diary: hours, breaks, leave,
    holidays, practitioner bookings, room bookings and the patient's bookings.
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
    practitioner_busy = _busy_by("practitioner_id", ids, start, end)
    room_calendars = None
    if rooms is not None:
        room_busy = _busy_by("room_id", [r.pk for r in rooms], start, end)
        room_calendars = [RoomCalendar(str(r.pk), tuple(room_busy[r.pk])) for r in rooms]
    patient_busy = _busy_by("patient_id", [patient.pk], start, end)[patient.pk] if patient else []
    return find_slots(
        tz=clinic_zone(),
        practitioners=calendars,
        practitioner_busy={str(k): v for k, v in practitioner_busy.items()},
        rooms=room_calendars,
        holidays=holidays,
        duration=dt.timedelta(minutes=appointment_type.minutes),
        window_start=start,
        window_end=end,
        patient_busy=patient_busy,
        not_before=timezone.now(),
    )


def rooms_for(practitioners: Sequence[Practitioner]) -> list[Room]:
    """Active rooms of the clinics these practitioners work in, in the board's order."""
    return list(
        Room.objects.filter(active=True, location__clinic_id__in={p.clinic_id for p in practitioners}).order_by(
            "location_id", "position", "name"
        )
    )
