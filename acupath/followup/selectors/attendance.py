"""Attendance reads: the day's appointments with no-show counts, and the no-show report."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db.models import Case, Count, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from acupath.clinic.models import Practitioner
from acupath.clinic.selectors import clinic_zone
from acupath.patients.models import Patient
from acupath.scheduling.enums import AppointmentStatus
from acupath.scheduling.models import Appointment


def _count(qs: Any) -> Subquery:
    return Subquery(
        qs.order_by().values("patient").annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()
    )


def attendance_day(
    day: dt.date, *, practitioner: Practitioner | None = None, offset: int = 0, limit: int = 100
) -> tuple[list[Appointment], int]:
    """One page of a day's held and missed appointments, each patient with their no-show count.

    Two queries (the page, the count): a large clinic's day runs to thousands of appointments.
    """
    zone = clinic_zone()
    start = dt.datetime.combine(day, dt.time(0), tzinfo=zone)
    no_shows = Appointment.objects.filter(patient=OuterRef("patient_id"), status=AppointmentStatus.NO_SHOW)
    day_qs = Appointment.objects.filter(
        start__gte=start,
        start__lt=start + dt.timedelta(days=1),
        status__in=(AppointmentStatus.BOOKED, AppointmentStatus.ATTENDED, AppointmentStatus.NO_SHOW),
    )
    if practitioner is not None:
        day_qs = day_qs.filter(practitioner=practitioner)
    page: list[Appointment] = list(
        day_qs.select_related("patient", "practitioner", "room", "type")
        .annotate(patient_no_shows=Coalesce(_count(no_shows), Value(0)))
        .order_by("start", "practitioner__display_name", "id")[offset : offset + limit]
    )
    return page, day_qs.count()


@dataclass(frozen=True)
class MonthRow:
    month: dt.date
    cells: list[tuple[int, int]]  # per practitioner, in the header's order: (no-shows, appointments due)
    no_shows: int
    due: int

    @property
    def rate(self) -> float | None:
        return round(100 * self.no_shows / self.due, 1) if self.due else None


@dataclass(frozen=True)
class NoShowReport:
    practitioners: list[Practitioner]
    months: list[MonthRow]  # most recent first
    frequent: list[dict[str, Any]]  # patients with the most no-shows in the period

    def by_practitioner(self) -> list[tuple[Practitioner, list[tuple[int, int]], tuple[int, int]]]:
        """Rows for a table with practitioners down the side and the months across, as in `months`."""
        out = []
        for i, practitioner in enumerate(self.practitioners):
            cells = [m.cells[i] for m in self.months]
            out.append((practitioner, cells, (sum(c[0] for c in cells), sum(c[1] for c in cells))))
        return out


def _month_starts(now: dt.datetime, months: int) -> list[dt.datetime]:
    """The first instants of the last `months` local months, oldest first, then the next month's."""
    zone = clinic_zone()
    first = timezone.localtime(now, zone).date().replace(day=1)
    days = [first]
    for _ in range(months - 1):
        days.insert(0, (days[0] - dt.timedelta(days=1)).replace(day=1))
    days.append((first + dt.timedelta(days=32)).replace(day=1))
    return [dt.datetime.combine(day, dt.time(0), tzinfo=zone) for day in days]


def no_show_report(*, months: int = 6, now: dt.datetime | None = None) -> NoShowReport:
    """No-shows per month and practitioner over the last `months` months, and who misses most (4 queries).

    Months are counted in the clinic's zone by comparing with each month's first instant (an
    indexed range per month), not by truncating every row's date in the database.
    """
    now = now or timezone.now()
    bounds = _month_starts(now, months)
    # Appointments whose time has come: the patient either came or did not.
    due = Appointment.objects.filter(
        start__gte=bounds[0],
        start__lt=now,
        status__in=(AppointmentStatus.ATTENDED, AppointmentStatus.NO_SHOW),
    )
    # Each row's month index, by comparing with the month starts (one CASE, no date function per row).
    month = Case(
        *[When(start__lt=hi, then=Value(i)) for i, hi in enumerate(bounds[1:])],
        default=Value(months),
        output_field=IntegerField(),
    )
    cells: dict[tuple[int, int], tuple[int, int]] = {}  # (practitioner id, month index): (no-shows, due)
    ids: set[int] = set()
    grid = (
        due.order_by()
        .annotate(month=month)
        .values("practitioner_id", "month")
        .annotate(n=Count("pk"), missed=Count("pk", filter=Q(status=AppointmentStatus.NO_SHOW)))
    )
    for row in grid:
        cells[(row["practitioner_id"], row["month"])] = (row["missed"], row["n"])
        ids.add(row["practitioner_id"])
    practitioners = list(Practitioner.objects.filter(pk__in=ids).order_by("display_name"))
    rows = []
    for i in reversed(range(months)):
        per = [cells.get((p.pk, i), (0, 0)) for p in practitioners]
        if any(n for _, n in per):
            rows.append(MonthRow(bounds[i].date(), per, sum(c[0] for c in per), sum(c[1] for c in per)))
    # Who misses most: count by patient id first (no join over every row), then name the top few.
    top = list(
        due.filter(status=AppointmentStatus.NO_SHOW)
        .order_by()
        .values("patient_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=2)
        .order_by("-n", "patient_id")
        .values_list("patient_id", "n")[:20]
    )
    names = {
        p["id"]: p
        for p in Patient.objects.filter(pk__in=[pk for pk, _ in top]).values(
            "id", "public_id", "given_name", "family_name"
        )
    }
    frequent = [
        {
            "patient__public_id": names[pk]["public_id"],
            "patient__given_name": names[pk]["given_name"],
            "patient__family_name": names[pk]["family_name"],
            "n": n,
        }
        for pk, n in top
        if pk in names
    ]
    return NoShowReport(practitioners, rows, frequent)


REPORT_MONTHS = (6, 12)  # the periods the report page offers


def _report_key(months: int) -> str:
    return f"followup:no-show-report:v2:{months}"  # v2: kept with the time it was counted


def _report_seconds() -> int:
    return int(getattr(settings, "FOLLOWUP_REPORT_CACHE_SECONDS", 600))


def no_show_report_refresh(*, months: int = 6) -> NoShowReport:
    """Count the report now and keep it, with when it was counted, in the shared cache."""
    report = no_show_report(months=months)
    caches["shared"].set(_report_key(months), (timezone.now(), report), _report_seconds())
    return report


def no_show_report_cached(*, months: int = 6) -> NoShowReport:
    """The report, kept for FOLLOWUP_REPORT_CACHE_SECONDS (default 600) in the shared cache.

    Counting a large clinic's months reads every appointment in them (about a second at 100,000
    patients); a monthly overview a few minutes old is fine, and recording a no-show clears it.
    The worker counts it again before it expires (`no_show_report_keep_fresh`), so a page
    counts only when no worker runs or just after a no-show was recorded.
    """
    kept: tuple[dt.datetime, NoShowReport] | None = caches["shared"].get(_report_key(months))
    return kept[1] if kept is not None else no_show_report_refresh(months=months)


def no_show_report_keep_fresh(now: dt.datetime | None = None) -> int:
    """Count again each report that is missing or past half its keeping time; how many were counted."""
    now = now or timezone.now()
    counted = 0
    for months in REPORT_MONTHS:
        kept = caches["shared"].get(_report_key(months))
        if kept is None or now - kept[0] > dt.timedelta(seconds=_report_seconds() / 2):
            no_show_report_refresh(months=months)
            counted += 1
    return counted


def no_show_report_forget() -> None:
    caches["shared"].delete_many([_report_key(months) for months in REPORT_MONTHS])
