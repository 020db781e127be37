"""Shared set-up for scheduling tests: a rota'd practitioner, an approved plan, local times."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

from acupath.planning.models import TreatmentPlan
from acupath.scheduling.models import Break, WorkingHours

KOLKATA = ZoneInfo("Asia/Kolkata")  # the test clinic's zone (tests/factories.ClinicFactory)


def local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=KOLKATA)


def monday_after(weeks: int = 1) -> dt.date:
    """A Monday `weeks` weeks ahead of this one, in the clinic's zone."""
    today = timezone.now().astimezone(KOLKATA).date()
    return today - dt.timedelta(days=today.weekday()) + dt.timedelta(weeks=weeks)


def give_rota(practitioner, days=range(6), start=dt.time(9), end=dt.time(18), lunch=(dt.time(13), dt.time(14))):
    WorkingHours.objects.bulk_create(
        WorkingHours(practitioner=practitioner, weekday=d, start=start, end=end) for d in days
    )
    if lunch:
        Break.objects.bulk_create(
            Break(practitioner=practitioner, weekday=d, start=lunch[0], end=lunch[1]) for d in days
        )
    return practitioner


def approved_plan(patient, sessions=10, per_week=2, course=None) -> TreatmentPlan:
    return TreatmentPlan.objects.create(
        patient=patient,
        approved_at=timezone.now(),
        sessions=sessions,
        per_week=per_week,
        course=course if course is not None else {"weeks": 5, "phases": [[5, 2]]},
    )
