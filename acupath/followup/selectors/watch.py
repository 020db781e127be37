"""The recurrence watch: maintained backs that got worse, or are overdue a maintenance visit.

`recurrence_watch` computes the list from the clinical records in a fixed number of queries,
whatever the number of patients: the per-patient facts (sessions attended, last visit, best and
latest scores, next booking) are correlated subqueries of one statement, and only the comparison
against the MCID runs in Python, through the measures app's own rule (`change_from_baseline`).

At a network's scale (100,000 patients) that still takes seconds, so pages and the API read a
snapshot of it (`WatchFlag` rows, see services.recurrence_watch_refresh) with `watch_page`: one
indexed, paginated read. The snapshot is refreshed when older than a few minutes, and at once
for a patient the work list books.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    F,
    FloatField,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.fields.json import KeyTransform
from django.db.models.functions import Coalesce
from django.utils import timezone

from acupath.clinic.models import AppointmentKind, Practitioner
from acupath.clinic.selectors import clinic_zone
from acupath.followup.models import WatchFlag, WatchRun
from acupath.measures.domain.change import change_from_baseline
from acupath.measures.domain.instruments import Direction, instrument
from acupath.measures.domain.scoring import Score
from acupath.measures.models import Assessment
from acupath.patients.models import PatientStatus
from acupath.planning.domain.course import load_course_rules
from acupath.planning.enums import PlanStatus
from acupath.planning.models import TreatmentPlan
from acupath.scheduling.enums import AppointmentStatus
from acupath.scheduling.models import Appointment

# Pain (NRS) and function (ODI): the scores the watch compares with the patient's best.
WATCHED = ("nrs", "odi")
WORSE = "worse"
OVERDUE = "overdue"
_EPSILON = 0.01  # the SQL pre-filter is a little generous; the MCID rule decides exactly


@dataclass(frozen=True)
class ScoreChange:
    instrument: str
    name: str
    best: float
    latest: float
    mcid: float


@dataclass(frozen=True)
class WatchItem:
    patient_pk: int
    patient_id: Any  # the patient's public UUID
    given_name: str
    family_name: str
    phone: str
    reasons: tuple[str, ...]  # "worse" first when both apply
    worse: tuple[ScoreChange, ...]
    last_visit: dt.date | None
    due: dt.date | None  # the next maintenance visit was due on this day
    next_booking: dt.datetime | None
    practitioner: Practitioner | None
    interval_weeks: int | None
    deterioration: float = 0.0  # the largest worsening, in MCIDs (0 when not worse)

    @property
    def sort_key(self) -> tuple[Any, ...]:
        # Worse first (the most worse first), then the most recently overdue: likeliest to come back.
        return (
            0 if self.worse else 1,
            -self.deterioration,
            -(self.due.toordinal() if self.due else 0),
            self.family_name,
        )

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def reason(self) -> str:
        return self.reasons[0]

    def detail(self, clinical: bool) -> str:
        """One line saying why the patient is on the list; scores only for clinical readers."""
        parts = []
        if self.worse:
            if clinical:
                parts += [
                    f"{c.name} {c.latest:g}, best {c.best:g} (worse by {c.latest - c.best:g}; MCID {c.mcid:g})"
                    if c.latest >= c.best
                    else f"{c.name} {c.latest:g}, best {c.best:g} (MCID {c.mcid:g})"
                    for c in self.worse
                ]
            else:
                parts.append("Latest pain or function score is clinically worse than their best")
        if OVERDUE in self.reasons and self.due is not None:
            parts.append(
                f"Maintenance visit due {self.due:%d %b %Y} (every {self.interval_weeks} weeks), nothing booked"
            )
        return "; ".join(parts)


def _count(qs: QuerySet[Any]) -> Subquery:
    return Subquery(
        qs.order_by().values("patient").annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()
    )


def _aggregate(qs: QuerySet[Any], func: type[Min] | type[Max], column: str, output: Any) -> Subquery:
    return Subquery(qs.order_by().values("patient").annotate(v=func(column)).values("v")[:1], output_field=output)


def _scores(code: str) -> QuerySet[Assessment]:
    return Assessment.objects.filter(
        patient=OuterRef("patient_id"),
        instrument=code,
        scorable=True,
        score__isnull=False,
        taken_at__gte=OuterRef("course_start"),
    )


def lapsed_after() -> dt.timedelta | None:
    """FOLLOWUP_LAPSED_AFTER_WEEKS (default 26): patients not seen for longer have left maintenance.

    They are no longer on the work list (the clinic discharges or recalls them some other way); it
    keeps the list to people it is still worth calling, and its query short. 0 watches everyone.
    """
    weeks = int(getattr(settings, "FOLLOWUP_LAPSED_AFTER_WEEKS", 26))
    return dt.timedelta(weeks=weeks) if weeks > 0 else None


def _maintenance_rows(now: dt.datetime) -> QuerySet[TreatmentPlan]:
    """Active plans of active patients whose course is done, with the facts the watch needs (one query)."""
    attended = Appointment.objects.filter(
        patient=OuterRef("patient_id"), status=AppointmentStatus.ATTENDED, start__gte=OuterRef("course_start")
    )
    recent = Q()
    if (lapse := lapsed_after()) is not None:
        # Cheapest test first: one index probe drops everyone not seen for a long time.
        recent = Q(Exists(attended.filter(start__gte=now - lapse)))
    upcoming = Appointment.objects.filter(
        patient=OuterRef("patient_id"),
        status__in=(AppointmentStatus.BOOKED, AppointmentStatus.PENDING),
        start__gt=now,
    )
    scores: dict[str, Any] = {}
    candidates = Q(next_booking__isnull=True)
    for code in WATCHED:
        spec = instrument(code)
        lower_is_better = spec.direction is Direction.HIGHER_IS_WORSE
        scores[f"best_{code}"] = _aggregate(_scores(code), Min if lower_is_better else Max, "score", FloatField())
        scores[f"latest_{code}"] = Subquery(
            _scores(code).order_by("-taken_at", "-id").values("score")[:1], output_field=FloatField()
        )
        if spec.mcid is not None and spec.mcid.absolute is not None:
            gap = (
                F(f"latest_{code}") - F(f"best_{code}") if lower_is_better else F(f"best_{code}") - F(f"latest_{code}")
            )
            scores[f"gap_{code}"] = gap
            candidates |= Q(**{f"gap_{code}__gte": float(spec.mcid.absolute) - _EPSILON})
    return (
        TreatmentPlan.objects.filter(status=PlanStatus.APPROVED, patient__status=PatientStatus.ACTIVE)
        .annotate(course_start=Coalesce("consultation__consulted_at", "approved_at", output_field=DateTimeField()))
        .filter(recent)
        .annotate(
            gaps=KeyTransform("maintenance_interval_weeks", "course"),
            sessions_done=Coalesce(_count(attended.filter(type__kind=AppointmentKind.TREATMENT)), Value(0)),
            last_visit=_aggregate(attended, Max, "start", DateTimeField()),
            last_practitioner=Subquery(attended.order_by("-start").values("practitioner_id")[:1]),
            next_booking=Subquery(upcoming.order_by("start").values("start")[:1]),
            **scores,
        )
        .filter(Q(sessions_done__gte=F("sessions")), sessions__gt=0)
        .filter(candidates)
    )


def _score(value: float, spec_max: float) -> Score:
    return Score(
        value=value,
        scorable=True,
        reason=None,
        band=None,
        risk=None,
        distress_subscale=None,
        answered=1,
        max_value=spec_max,
    )


def _worse(row: dict[str, Any]) -> tuple[ScoreChange, ...]:
    found = []
    for code in WATCHED:
        best, latest = row.get(f"best_{code}"), row.get(f"latest_{code}")
        if best is None or latest is None:
            continue
        spec = instrument(code)
        if spec.mcid is None or spec.mcid.absolute is None:
            continue
        worsening = latest - best if spec.direction is Direction.HIGHER_IS_WORSE else best - latest
        if worsening < spec.mcid.absolute - _EPSILON:
            continue  # clearly not worse: spare the exact rule
        change = change_from_baseline(code, _score(best, 100.0), _score(latest, 100.0), definition=spec)
        if change is not None and change.worsened_by_mcid and spec.mcid is not None and spec.mcid.absolute is not None:
            found.append(ScoreChange(code, spec.short_name, best, latest, float(spec.mcid.absolute)))
    return tuple(found)


def _interval_weeks(gaps: Any, sessions_done: int, sessions: int, default: tuple[int, ...]) -> int:
    """The current maintenance interval: the taper's step for the number of maintenance visits so far."""
    steps = [int(g) for g in gaps if int(g) > 0] if isinstance(gaps, list) and gaps else list(default)
    if not steps:
        steps = [4]
    done = max(0, sessions_done - sessions)
    return steps[min(done, len(steps) - 1)]


def recurrence_watch(*, now: dt.datetime | None = None, patient_ids: Iterable[int] | None = None) -> list[WatchItem]:
    """Patients in maintenance who are worse than their best by the MCID, or overdue a maintenance visit.

    In maintenance: the active plan's course sessions have all been attended (treatment visits since
    the plan's consultation). Worse: the latest NRS or ODI since then is at least the instrument's
    MCID worse than the best. Overdue: last attended visit + current maintenance interval is before
    today and nothing is booked. Two queries, whatever the number of patients; `patient_ids`
    narrows it to a few (to refresh their rows of the snapshot).
    """
    now = now or timezone.now()
    zone = clinic_zone()
    today = timezone.localdate(now, zone)
    default_gaps = load_course_rules().maintenance.interval_weeks
    columns = ["patient_id", "patient__public_id", "patient__given_name", "patient__family_name", "patient__phone"]
    columns += ["sessions", "gaps", "sessions_done", "last_visit", "last_practitioner", "next_booking"]
    columns += [f"{kind}_{code}" for code in WATCHED for kind in ("best", "latest")]
    found: list[tuple[dict[str, Any], int | None]] = []
    rows = _maintenance_rows(now)
    if patient_ids is not None:
        rows = rows.filter(patient_id__in=list(patient_ids))
    for row in rows.values(*columns):
        worse = _worse(row)
        last = row["last_visit"]
        interval = _interval_weeks(row["gaps"], row["sessions_done"], row["sessions"], default_gaps)
        due = timezone.localdate(last, zone) + dt.timedelta(weeks=interval) if last else None
        overdue = row["next_booking"] is None and due is not None and due < today
        reasons = tuple(r for r, hit in ((WORSE, bool(worse)), (OVERDUE, overdue)) if hit)
        if not reasons:
            continue
        deterioration = max((c.latest - c.best) / c.mcid for c in worse) if worse else 0.0
        item = {
            "patient_pk": row["patient_id"],
            "patient_id": row["patient__public_id"],
            "given_name": row["patient__given_name"],
            "family_name": row["patient__family_name"],
            "phone": row["patient__phone"],
            "reasons": reasons,
            "worse": worse,
            "last_visit": timezone.localdate(last, zone) if last else None,
            "due": due,
            "next_booking": row["next_booking"],
            "interval_weeks": interval,
            "deterioration": deterioration,
        }
        found.append((item, row["last_practitioner"]))
    ids = {pk for _, pk in found if pk}
    practitioners = Practitioner.objects.in_bulk(ids) if ids else {}
    items = [WatchItem(**item, practitioner=practitioners.get(pk) if pk else None) for item, pk in found]
    items.sort(key=lambda item: item.sort_key)
    return items


def snapshot_max_age() -> dt.timedelta:
    """FOLLOWUP_WATCH_MAX_AGE_MINUTES (default 10): how old the work list's snapshot may grow."""
    return dt.timedelta(minutes=int(getattr(settings, "FOLLOWUP_WATCH_MAX_AGE_MINUTES", 10)))


def watch_last_run() -> WatchRun | None:
    return WatchRun.objects.order_by("-ran_at").first()


def snapshot_is_stale(run: WatchRun | None, now: dt.datetime, max_age: dt.timedelta | None = None) -> bool:
    """No snapshot yet, older than `max_age` (default: the setting), or taken on an earlier
    clinic day (overdue counts in days)."""
    if run is None:
        return True
    zone = clinic_zone()
    too_old = now - run.ran_at > (max_age or snapshot_max_age())
    return too_old or timezone.localdate(run.ran_at, zone) != timezone.localdate(now, zone)


def _item(flag: WatchFlag) -> WatchItem:
    patient = flag.patient
    return WatchItem(
        patient_pk=patient.pk,
        patient_id=patient.public_id,
        given_name=patient.given_name,
        family_name=patient.family_name,
        phone=patient.phone,
        reasons=tuple(r for r, hit in ((WORSE, flag.worse), (OVERDUE, flag.overdue)) if hit),
        worse=tuple(ScoreChange(**score) for score in flag.scores),
        last_visit=flag.last_visit,
        due=flag.due,
        next_booking=flag.next_booking,
        practitioner=flag.practitioner,
        interval_weeks=flag.interval_weeks,
        deterioration=flag.deterioration,
    )


def watch_page(*, offset: int, limit: int, practitioner_id: int | None = None) -> tuple[list[WatchItem], int]:
    """One page of the work list from the snapshot (one practitioner's patients, or everyone's),
    and how many are on it (three queries).

    The page's ids come first, walked from the work list's order index; then their rows with
    patient and practitioner. Joining before paging let SQLite's planner scan every patient and
    sort the whole list whenever its statistics predated the snapshot.
    """
    listed = WatchFlag.objects.filter(practitioner_id=practitioner_id) if practitioner_id else WatchFlag.objects.all()
    page = list(listed.values_list("pk", flat=True)[offset : offset + limit])
    flags = WatchFlag.objects.select_related("patient", "practitioner").only(
        *[f.name for f in WatchFlag._meta.concrete_fields if f.name not in ("created_by", "updated_by")],
        "patient__public_id",
        "patient__given_name",
        "patient__family_name",
        "patient__phone",
        "practitioner__public_id",
        "practitioner__display_name",
    )
    rows = flags.in_bulk(page)
    return [_item(rows[pk]) for pk in page if pk in rows], listed.count()
