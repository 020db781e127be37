"""Course proposals: a plan's rhythm laid over the diary, read in a fixed number of queries.

The whole horizon's diary is read once (`diary_load`, seven queries) and the pure course
engine then searches it day by day, only the days its rhythm reaches, so a proposal's
queries do not grow with its length and its work grows only with the days it looks at.
"""

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from acupath.clinic.models import AppointmentKind, AppointmentType, Practitioner, Room
from acupath.clinic.selectors import clinic_zone
from acupath.planning.models import TreatmentPlan
from acupath.scheduling import conf
from acupath.scheduling.domain.calendar import Slot
from acupath.scheduling.domain.course import CourseProposal, propose_course, rebook_remainder
from acupath.scheduling.enums import HOLDING, AppointmentStatus
from acupath.scheduling.models import Appointment
from acupath.scheduling.selectors.availability import Diary, diary_load, rooms_for

DEFAULT_MIN_GAP_DAYS = 2


@dataclass(frozen=True)
class Rhythm:
    """How often a plan's sessions fall: the weekly cap after the phases, the phases, the gap."""

    per_week: int
    phases: tuple[tuple[int, int], ...]
    min_gap_days: int


@dataclass
class CourseOffer:
    """A proposal plus what a page needs to show and adjust it."""

    plan: TreatmentPlan
    appointment_type: AppointmentType
    rhythm: Rhythm
    wanted: int  # sessions to place now
    history: list[Appointment]  # sessions kept (held or booked), oldest first
    proposal: CourseProposal
    # The free slots of a local day of the horizon, for the "pick another time" lists.
    options: Callable[[dt.date], list[Slot]]
    practitioners: dict[str, Practitioner] = field(default_factory=dict)
    rooms: dict[str, Room] = field(default_factory=dict)
    superseded: list[Appointment] = field(default_factory=list)  # rebooking: sessions to replace


def plan_rhythm(plan: TreatmentPlan, min_gap_days: int | None = None) -> Rhythm:
    """The plan's rhythm; a malformed `course` JSON falls back to the plain weekly count."""
    course = plan.course if isinstance(plan.course, dict) else {}
    phases: tuple[tuple[int, int], ...] = ()
    try:
        phases = tuple((int(w), int(n)) for w, n in course.get("phases") or ())
    except (TypeError, ValueError):
        phases = ()
    if any(w < 1 or n < 0 for w, n in phases) or (phases and phases[0][1] < 1):
        phases = ()
    # After the last phase the course goes on at that phase's pace (a rest week excepted).
    tail = next((n for _, n in reversed(phases) if n > 0), 0)
    per_week = max(1, tail or plan.per_week)
    gap = min_gap_days or course.get("min_gap_days") or DEFAULT_MIN_GAP_DAYS
    try:
        gap = max(1, int(gap))
    except (TypeError, ValueError):
        gap = DEFAULT_MIN_GAP_DAYS
    return Rhythm(per_week=per_week, phases=phases, min_gap_days=gap)


def treatment_type(clinic_id: int) -> AppointmentType | None:
    """The clinic's treatment appointment type, which courses are booked as by default."""
    types = AppointmentType.objects.filter(clinic_id=clinic_id)
    return types.filter(kind=AppointmentKind.TREATMENT).first() or types.first()


def course_history(plan: TreatmentPlan) -> list[Appointment]:
    """The plan's sessions that stand: held or booked (not cancelled), oldest first."""
    return list(
        Appointment.objects.filter(plan=plan, status__in=HOLDING)
        .select_related("practitioner", "room", "type")
        .order_by("start", "id")
    )


def _as_slot(appointment: Appointment) -> Slot:
    zone = clinic_zone()
    return Slot(
        appointment.start.astimezone(zone),
        appointment.end.astimezone(zone),
        str(appointment.practitioner_id),
        str(appointment.room_id) if appointment.room_id else None,
    )


def _diary(
    *,
    plan: TreatmentPlan,
    appointment_type: AppointmentType,
    practitioners: Sequence[Practitioner],
    first_day: dt.date,
    weeks: int,
    ignoring: Sequence[int] = (),
) -> tuple[Diary, dict[str, Room]]:
    zone = clinic_zone()
    rooms = rooms_for(practitioners)
    diary = diary_load(
        practitioners=practitioners,
        appointment_type=appointment_type,
        start=dt.datetime.combine(first_day, dt.time.min, tzinfo=zone),
        end=dt.datetime.combine(first_day + dt.timedelta(weeks=weeks), dt.time.min, tzinfo=zone),
        patient=plan.patient,
        rooms=rooms or None,
        ignoring=ignoring,
    )
    return diary, {str(r.pk): r for r in rooms}


def course_propose(
    *,
    plan: TreatmentPlan,
    appointment_type: AppointmentType,
    practitioners: Sequence[Practitioner],
    first_day: dt.date,
    preferred_time: dt.time | None = None,
    min_gap_days: int | None = None,
) -> CourseOffer:
    """Propose the plan's sessions not yet booked, from `first_day`, honouring its rhythm.

    Sessions already held or booked for the plan count towards the weekly caps, the
    gap and the phases. Nine queries whatever the horizon.
    """
    rhythm = plan_rhythm(plan, min_gap_days)
    history = course_history(plan)
    wanted = max(0, plan.sessions - len(history))
    weeks = conf.course_horizon_weeks()
    diary, rooms = _diary(
        plan=plan, appointment_type=appointment_type, practitioners=practitioners, first_day=first_day, weeks=weeks
    )
    proposal = propose_course(
        sessions=wanted,
        per_week=rhythm.per_week,
        min_gap_days=rhythm.min_gap_days,
        first_day=first_day,
        find_day_slots=diary.day,
        max_weeks=weeks,
        preferred_time=preferred_time,
        phases=rhythm.phases or None,
        history=[_as_slot(a) for a in history],
    )
    return CourseOffer(
        plan=plan,
        appointment_type=appointment_type,
        rhythm=rhythm,
        wanted=wanted,
        history=history,
        proposal=proposal,
        options=diary.day,
        practitioners={str(p.pk): p for p in practitioners},
        rooms=rooms,
    )


def course_rebook_propose(
    *,
    plan: TreatmentPlan,
    cancelled: Appointment,
    appointment_type: AppointmentType,
    practitioners: Sequence[Practitioner],
    preferred_time: dt.time | None = None,
    min_gap_days: int | None = None,
) -> CourseOffer:
    """Re-plan the course from a cancelled session on: it and every later session are proposed afresh.

    Later sessions still booked are `superseded`: booking the new proposal cancels them,
    so the slot search treats them as free.
    """
    zone = clinic_zone()
    rhythm = plan_rhythm(plan, min_gap_days)
    standing = course_history(plan)
    cancelled_day = cancelled.start.astimezone(zone).date()
    kept = [a for a in standing if a.start.astimezone(zone).date() < cancelled_day]
    superseded = [
        a
        for a in standing
        if a.start.astimezone(zone).date() >= cancelled_day
        and a.status in (AppointmentStatus.BOOKED, AppointmentStatus.PENDING)
    ]
    # The course as it stood: kept sessions, the cancelled one, and the later ones to move.
    booked = [_as_slot(a) for a in [*kept, cancelled, *superseded]]
    extra = max(0, plan.sessions - len(booked))
    first_day = (kept[-1].start.astimezone(zone).date() if kept else cancelled_day) + dt.timedelta(days=1)
    weeks = conf.course_horizon_weeks()
    diary, rooms = _diary(
        plan=plan,
        appointment_type=appointment_type,
        practitioners=practitioners,
        first_day=first_day,
        weeks=weeks,
        ignoring=[a.pk for a in superseded],
    )
    proposal = rebook_remainder(
        booked=booked,
        cancelled_day=cancelled_day,
        per_week=rhythm.per_week,
        min_gap_days=rhythm.min_gap_days,
        find_day_slots=diary.day,
        max_weeks=weeks,
        preferred_time=preferred_time,
        phases=rhythm.phases or None,
        extra_sessions=extra,
    )
    return CourseOffer(
        plan=plan,
        appointment_type=appointment_type,
        rhythm=rhythm,
        wanted=len(booked) - len(kept) + extra,
        history=kept,
        proposal=proposal,
        options=lambda day: [] if day == cancelled_day else diary.day(day),
        practitioners={str(p.pk): p for p in practitioners},
        rooms=rooms,
        superseded=superseded,
    )
