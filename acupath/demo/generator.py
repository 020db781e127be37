"""Write a synthetic clinic to the database, in bulk, deterministically.

Used by `acupath demo` (200 patients, one year) and `acupath seed` (any size). Every
patient's story is drawn from its own seeded stream (see story.py); this module turns
stories into rows with bulk inserts, one chunk of patients at a time.
"""

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from acupath.accounts.models import Role
from acupath.clinic.models import AppointmentType, Clinic, Practitioner, Room
from acupath.demo.clinic import ClinicSpec, clinic_build, user_make
from acupath.demo.story import Story, Visit, draw_story, schedule_visits
from acupath.intake.domain.duration import duration_class
from acupath.intake.domain.red_flags import load_red_flags
from acupath.intake.models import Consultation, RedFlagReview
from acupath.knowledge.domain.codes import normalise_code
from acupath.knowledge.services import planning_point_facts, reference_sync
from acupath.measures.domain.scoring import score
from acupath.measures.models import Assessment
from acupath.patients.models import Patient
from acupath.planning.domain.facts import BackRegion, Cause, DurationClass, LegPain, PatientFacts, Pattern
from acupath.planning.domain.prescribe import Draft, draft_plan
from acupath.planning.enums import PlanStatus
from acupath.planning.models import PlanPoint, TreatmentPlan
from acupath.scheduling.enums import AppointmentStatus
from acupath.scheduling.models import Appointment, Holiday, SlotClaim
from acupath.scheduling.services import claims_for
from acupath.treatment.enums import SessionStatus
from acupath.treatment.models import SessionPoint, TreatmentSession

# Rows to insert, by table, for one chunk of patients.
Rows = dict[str, list[Any]]

HOURS = (9, 10, 11, 12, 14, 15, 16, 17)  # appointment starts; 13:00-14:00 is lunch
ODI_SECTIONS = 10


@dataclass
class Diary:
    """Which practitioner hours are taken, so generated visits never overlap."""

    taken: dict[tuple[int, dt.date], set[int]] = field(default_factory=lambda: defaultdict(set))

    def book(
        self, practitioner_id: int, day: dt.date, preferred: int, closed: frozenset[dt.date]
    ) -> tuple[dt.date, int]:
        while True:
            if day.weekday() != 6 and day not in closed:
                used = self.taken[(practitioner_id, day)]
                free = [h for h in HOURS if h not in used]
                if free:
                    hour = min(free, key=lambda h: abs(h - preferred))
                    used.add(hour)
                    return day, hour
            day += dt.timedelta(days=1)


@cache
def _draft(facts: PatientFacts) -> Draft:
    return draft_plan(facts, planning_point_facts())


def odi_answers(percent: float, rng: random.Random) -> list[int]:
    """Ten ODI section scores (0-5) whose total gives about `percent`."""
    total = round(percent / 2)
    answers = [0] * ODI_SECTIONS
    for _ in range(min(total, 5 * ODI_SECTIONS)):
        open_sections = [i for i, v in enumerate(answers) if v < 5]
        answers[rng.choice(open_sections)] += 1
    return answers


def startback_answers(story: Story, rng: random.Random) -> list[bool | str]:
    distress = story.baseline_pain >= 7 and rng.random() < 0.5
    items: list[bool | str] = [
        story.leg_pain != "none",
        rng.random() < 0.3,
        story.baseline_pain >= 6,
        story.baseline_pain >= 6 and rng.random() < 0.6,
    ]
    items += [distress or rng.random() < 0.2 for _ in range(4)]
    items.append(rng.choice(("very_much", "extremely") if distress else ("slightly", "moderately", "very_much")))
    return items


class ClinicWriter:
    def __init__(self, *, spec: ClinicSpec, seed: int, today: dt.date, history_days: int):
        self.spec, self.seed, self.today, self.history_days = spec, seed, today, history_days
        self.zone = ZoneInfo(spec.timezone)
        self.now = timezone.now()
        self.diary = Diary()
        self.flags = [f.code for f in load_red_flags().flags]

    def setup(self) -> None:
        years = range(self.today.year - self.history_days // 365 - 1, self.today.year + 2)
        self.clinic, self.practitioners, self.room_of = clinic_build(self.spec, years)
        self.closed = frozenset(Holiday.objects.filter(clinic=self.clinic).values_list("day", flat=True))
        self.types = {t.code: t for t in AppointmentType.objects.filter(clinic=self.clinic)}

    def at(self, day: dt.date, hour: int) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(hour), tzinfo=self.zone)

    def stories(self, start: int, stop: int) -> Iterator[Story]:
        for index in range(start, stop):
            rng = random.Random(f"first:{self.seed}:{index}")
            first = self.today - dt.timedelta(days=rng.randrange(self.history_days))
            story = draw_story(self.seed, index, self.today, first)
            facts = self.facts(story, first)
            course = _draft(facts).course if not self.blocked(story) else None
            story.visits = schedule_visits(
                story,
                first_visit=first,
                sessions=course.sessions if course else 0,
                phases=course.phases if course else (),
                maintenance_weeks=course.maintenance_interval_weeks if course else (),
                today=self.today,
                horizon=self.today + dt.timedelta(days=21),
                closed=self.closed,
            )
            yield story

    @staticmethod
    def blocked(story: Story) -> bool:
        return story.red_flag is not None and not story.red_flag_decided

    def facts(self, story: Story, first: dt.date, first_treatment: bool = True) -> PatientFacts:
        return PatientFacts(
            causes=frozenset(Cause(c) for c in story.causes),
            region=BackRegion(story.region),
            leg_pain=LegPain(story.leg_pain),
            duration_class=DurationClass(duration_class(story.onset, first).value),
            pain_now=story.baseline_pain,
            pattern=Pattern(story.pattern),
            odi_percent=story.baseline_odi,
            first_treatment=first_treatment,
            needle_fear=story.needle_fear,
            pregnant=story.pregnant_weeks is not None,
            pregnancy_weeks=story.pregnant_weeks,
            anticoagulant=story.anticoagulant,
            pacemaker=story.pacemaker,
        )

    @transaction.atomic
    def write(self, stories: list[Story]) -> int:
        """Insert a chunk of patients with all their history. Returns the number of sessions."""
        patients = Patient.objects.bulk_create(
            Patient(
                clinic=self.clinic,
                given_name=s.given_name,
                family_name=s.family_name,
                birth_date=s.birth_date,
                sex=s.sex,
                phone=s.phone,
                email=s.email,
            )
            for s in stories
        )
        rows: Rows = defaultdict(list)
        for story, patient in zip(stories, patients, strict=True):
            self.rows_for(story, patient, rows)
        Consultation.objects.bulk_create(rows["consultation"])
        RedFlagReview.objects.bulk_create(rows["review"])
        Assessment.objects.bulk_create(rows["assessment"])
        TreatmentPlan.objects.bulk_create(rows["plan"])
        PlanPoint.objects.bulk_create(rows["plan_point"])
        TreatmentSession.objects.bulk_create(rows["session"])
        SessionPoint.objects.bulk_create(rows["session_point"])
        Appointment.objects.bulk_create(rows["appointment"])
        SlotClaim.objects.bulk_create(
            claim for a in rows["appointment"] if a.status == AppointmentStatus.BOOKED for claim in claims_for(a)
        )
        return len(rows["session"])

    def rows_for(self, story: Story, patient: Patient, rows: Rows) -> None:
        rng = random.Random(f"rows:{self.seed}:{story.index}")
        practitioner = self.practitioners[story.index % len(self.practitioners)]
        room = self.room_of[practitioner.pk]
        preferred = rng.choice(HOURS)
        plan: TreatmentPlan | None = None
        draft: Draft | None = None
        for visit in story.visits:
            day, hour = self.diary.book(practitioner.pk, visit.day, preferred, self.closed)
            start = self.at(day, hour)
            kind = "initial" if visit.kind == "initial" else "treatment"
            appt_type = self.types[kind]
            future = start > self.now
            status = (
                AppointmentStatus.BOOKED
                if future
                else {"attended": AppointmentStatus.ATTENDED, "no_show": AppointmentStatus.NO_SHOW}.get(
                    visit.outcome, AppointmentStatus.CANCELLED
                )
            )
            appointment = Appointment(
                patient=patient,
                practitioner=practitioner,
                room=room,
                type=appt_type,
                start=start,
                end=start + dt.timedelta(minutes=appt_type.minutes),
                status=status,
            )
            rows["appointment"].append(appointment)
            if future or status != AppointmentStatus.ATTENDED:
                continue
            if visit.kind == "initial":
                consultation = self.consultation(story, patient, practitioner, start, rows)
                self.assessments(story, patient, start, ("odi", "startback"), rows, rng)
                if not self.blocked(story):
                    draft = _draft(self.facts(story, day))
                    plan = self.plan(patient, consultation, draft, rows)
                    appointment.plan = plan
                continue
            session = self.session(story, patient, practitioner, room, plan, draft, start, visit, rows, rng)
            appointment.session = session
            appointment.plan = plan
            self.assessments(story, patient, start, tuple(i for i in visit.assess if i != "nrs"), rows, rng, visit)

    def consultation(
        self, story: Story, patient: Patient, practitioner: Practitioner, at: dt.datetime, rows: Rows
    ) -> Consultation:
        answers = {code: code == story.red_flag for code in self.flags}
        consultation = Consultation(
            patient=patient,
            practitioner=practitioner,
            kind="initial",
            consulted_at=at,
            causes=list(story.causes),
            onset_date=story.onset,
            duration_class=duration_class(story.onset, at.date()).value,
            region=story.region,
            leg_pain=story.leg_pain,
            pain_now=story.baseline_pain,
            anticoagulant=story.anticoagulant,
            medications="Apixaban 5 mg twice daily" if story.anticoagulant else "",
            pregnant=story.pregnant_weeks is not None,
            pregnancy_weeks=story.pregnant_weeks,
            pacemaker=story.pacemaker,
            diabetes=story.diabetes,
            needle_fear=story.needle_fear,
            work_posture=f"{story.occupation[0]}: {story.occupation[1]}",
            red_flags=answers,
            pattern=story.pattern,
            worse_with="sitting long, bending" if "posture" in story.causes else "lifting, getting up from bed",
            better_with="walking, warmth",
        )
        rows["consultation"].append(consultation)
        rows["assessment"].append(self.assessment(patient, "nrs", story.baseline_pain, at, "consultation"))
        if story.red_flag and story.red_flag_decided:
            rows["review"].append(
                RedFlagReview(
                    consultation=consultation,
                    flag=story.red_flag,
                    decision="not_relevant",
                    reason="Asked in detail: explained by known history; no other features. Reviewed with the patient.",
                )
            )
        return consultation

    @staticmethod
    def assessment(patient: Patient, instrument: str, answers: object, at: dt.datetime, context: str) -> Assessment:
        result = score(instrument, answers)
        return Assessment(
            patient=patient,
            instrument=instrument,
            taken_at=at,
            answers=answers,
            score=result.value,
            scorable=result.scorable,
            band=result.band or "",
            risk=result.risk or "",
            distress_subscale=result.distress_subscale,
            context=context,
        )

    def assessments(
        self,
        story: Story,
        patient: Patient,
        at: dt.datetime,
        instruments: tuple[str, ...],
        rows: Rows,
        rng: random.Random,
        visit: Visit | None = None,
    ) -> None:
        for instrument in instruments:
            if instrument == "odi":
                ratio = (
                    1.0
                    if visit is None or visit.pain_before is None
                    else visit.pain_before / max(story.baseline_pain, 1)
                )
                answers: object = odi_answers(story.baseline_odi * ratio, rng)
            else:
                answers = startback_answers(story, rng)
            rows["assessment"].append(self.assessment(patient, instrument, answers, at, "review"))

    def plan(self, patient: Patient, consultation: Consultation, draft: Draft, rows: Rows) -> TreatmentPlan:
        plan = TreatmentPlan(
            patient=patient,
            consultation=consultation,
            approved_at=consultation.consulted_at,
            version=1,
            status=PlanStatus.APPROVED,
            retention_minutes=draft.retention_minutes,
            electroacupuncture=draft.electroacupuncture,
            sessions=draft.course.sessions,
            per_week=draft.course.per_week,
            course={
                "weeks": draft.course.weeks,
                "phases": [list(p) for p in draft.course.phases],
                "reassess_after": list(draft.course.reassess_after),
                "maintenance_interval_weeks": list(draft.course.maintenance_interval_weeks),
            },
            advice=[{"code": a.code, "title": a.title, "text": a.text} for a in draft.advice],
        )
        rows["plan"].append(plan)
        rows["plan_point"] += [
            PlanPoint(
                plan=plan,
                point_id=normalise_code(p.code),
                side=p.side,
                role=p.role,
                rationale=p.rationale[:400],
                position=i,
                location_note=(p.level or "") if p.role == "ashi" else "",
            )
            for i, p in enumerate(draft.points)
        ]
        return plan

    def session(
        self,
        story: Story,
        patient: Patient,
        practitioner: Practitioner,
        room: Room,
        plan: TreatmentPlan | None,
        draft: Draft | None,
        start: dt.datetime,
        visit: Visit,
        rows: Rows,
        rng: random.Random,
    ) -> TreatmentSession:
        points = list(draft.points) if draft else []
        needles = sum(2 if p.side == "both" else 1 for p in points)
        minutes = draft.retention_minutes if draft else 25
        session = TreatmentSession(
            patient=patient,
            plan=plan,
            practitioner=practitioner,
            room=room,
            status=SessionStatus.CLOSED,
            checked_in_at=start,
            needles_in_at=start + dt.timedelta(minutes=8),
            planned_minutes=minutes,
            closed_at=start + dt.timedelta(minutes=minutes + 15),
            pain_before=visit.pain_before,
            pain_after=visit.pain_after,
            needles_inserted=needles,
            needles_removed=needles,
            needle_gauge_mm=Decimal("0.20") if story.anticoagulant else Decimal("0.25"),
            needle_length_mm=40,
            needle_lot=f"HW{start:%y%m}-{rng.randrange(1000, 9999)}",
            contact_minutes=rng.choice((15, 20, 25, 30)),
            plan_note="Tolerated well."
            if visit.pain_after is not None and visit.pain_after < (visit.pain_before or 0)
            else "No change today.",
        )
        rows["session"].append(session)
        rows["session_point"] += [
            SessionPoint(
                session=session,
                point_id=normalise_code(p.code),
                side=p.side,
                needles=2 if p.side == "both" else 1,
                from_plan=True,
            )
            for p in points
        ]
        if "nrs" in visit.assess and visit.pain_before is not None:
            rows["assessment"].append(self.assessment(patient, "nrs", visit.pain_before, start, "session"))
        return session


def demo_patient_login(writer: ClinicWriter) -> None:
    """Give the demo `patient` login to a seeded patient who is mid-course with visits ahead."""
    candidate = (
        Patient.objects.filter(
            appointments__status=AppointmentStatus.BOOKED,
            treatment_sessions__isnull=False,
            user__isnull=True,
        )
        .order_by("id")
        .first()
    )
    if candidate is None:
        candidate = Patient.objects.order_by("id").first()
    if candidate is None:
        return
    user = user_make("patient", Role.PATIENT, candidate.given_name, candidate.family_name, demo_login=True)
    candidate.user = user
    candidate.save(update_fields=["user"])


def clinic_generate(
    *,
    spec: ClinicSpec,
    patients: int,
    seed: int,
    history_days: int,
    chunk: int = 500,
    progress: Callable[[int, int], None] | None = None,
    today: dt.date | None = None,
) -> Clinic:
    reference_sync()
    writer = ClinicWriter(
        spec=spec,
        seed=seed,
        today=today or timezone.localdate(timezone.now(), ZoneInfo(spec.timezone)),
        history_days=history_days,
    )
    with transaction.atomic():
        writer.setup()
    sessions = 0
    for start in range(0, patients, chunk):
        stop = min(patients, start + chunk)
        sessions += writer.write(list(writer.stories(start, stop)))
        if progress:
            progress(stop, sessions)
    demo_patient_login(writer)
    return writer.clinic
