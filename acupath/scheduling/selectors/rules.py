"""Reads for the booking rules: a practitioner's calendar around one appointment, for the pure check."""

import datetime as dt

from acupath.clinic.models import AppointmentKind, Practitioner
from acupath.clinic.selectors import clinic_zone
from acupath.patients.models import Patient
from acupath.planning.enums import PlanStatus
from acupath.planning.models import TreatmentPlan
from acupath.scheduling.domain.calendar import Break, Leave, PractitionerCalendar, WorkingHours
from acupath.scheduling.domain.rules import RuleBreach, booking_breaches, initial_consultation_warning
from acupath.scheduling.models import Break as BreakRow
from acupath.scheduling.models import Holiday
from acupath.scheduling.models import Leave as LeaveRow
from acupath.scheduling.models import WorkingHours as HoursRow


def calendar_breaches(practitioner: Practitioner, start: dt.datetime, end: dt.datetime) -> list[RuleBreach]:
    """The clinic's rules that booking `practitioner` in [start, end) would break (four queries).

    Holidays, leave, working hours and breaks; existing bookings are left to the slot claims,
    which name what is taken.
    """
    zone = clinic_zone()
    day = start.astimezone(zone).date()
    holidays = dict(Holiday.objects.filter(clinic_id=practitioner.clinic_id, day=day).values_list("day", "name"))
    leave = [
        Leave(lv.start, lv.end)
        for lv in LeaveRow.objects.filter(practitioner=practitioner, start__lt=end, end__gt=start).only("start", "end")
    ]
    weekday = day.weekday()
    hours = [
        WorkingHours(h.weekday, h.start, h.end)
        for h in HoursRow.objects.filter(practitioner=practitioner, weekday=weekday)
    ]
    breaks = [
        Break(b.weekday, b.start, b.end) for b in BreakRow.objects.filter(practitioner=practitioner, weekday=weekday)
    ]
    calendar = PractitionerCalendar(str(practitioner.pk), tuple(hours), tuple(breaks), tuple(leave))
    return booking_breaches(start=start, end=end, calendar=calendar, holidays=holidays, tz=zone, who=str(practitioner))


def open_episode(patient: Patient) -> bool:
    """Whether the patient is in a course of care: an approved treatment plan is open."""
    return TreatmentPlan.objects.filter(patient=patient, status=PlanStatus.APPROVED).exists()


def booking_warnings(patient: Patient, kind: str) -> list[str]:
    """What the desk should hear about a booking that the rules allow (one query at most)."""
    if kind != AppointmentKind.INITIAL:
        return []
    warning = initial_consultation_warning(
        is_initial=True, open_episode=open_episode(patient), patient=patient.full_name
    )
    return [warning] if warning else []
