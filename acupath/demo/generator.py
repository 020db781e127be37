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
from functools import cache
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.utils import timezone

from acupath.accounts.models import Role, User
from acupath.clinic.models import AppointmentType, Clinic
from acupath.demo.adverse import adverse_event_rows
from acupath.demo.bulk import BulkWriter
from acupath.demo.clinic import ClinicSpec, clinic_build, user_make
from acupath.demo.details import patient_details
from acupath.demo.rows import PatientRows, Row, Rows, public_id
from acupath.demo.story import Story, draw_story, schedule_visits
from acupath.intake.domain.duration import duration_class
from acupath.intake.domain.red_flags import screening_questions
from acupath.knowledge.services import planning_point_facts, reference_sync
from acupath.patients.consent_models import ConsentKind
from acupath.patients.consent_services import consent_text_current
from acupath.patients.models import Patient
from acupath.planning.domain.facts import BackRegion, Cause, DurationClass, LegPain, PatientFacts, Pattern
from acupath.planning.domain.prescribe import Draft, draft_plan
from acupath.scheduling.enums import AppointmentStatus
from acupath.scheduling.models import Holiday
from acupath.treatment.models import AdverseEvent, AdverseEventAlert

HOURS = (9, 10, 11, 12, 14, 15, 16, 17)  # appointment starts; 13:00-14:00 is lunch


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


class ClinicWriter:
    def __init__(self, *, spec: ClinicSpec, seed: int, today: dt.date, history_days: int):
        self.spec, self.seed, self.today, self.history_days = spec, seed, today, history_days
        self.zone = ZoneInfo(spec.timezone)
        self.now = timezone.now()
        self.diary = Diary()
        self.flags = [q.code for q in screening_questions()]
        self.bulk = BulkWriter()

    def setup(self) -> None:
        years = range(self.today.year - self.history_days // 365 - 1, self.today.year + 2)
        self.clinic, self.practitioners, self.room_of = clinic_build(self.spec, years)
        self.closed = frozenset(Holiday.objects.filter(clinic=self.clinic).values_list("day", flat=True))
        self.types = {t.code: t for t in AppointmentType.objects.filter(clinic=self.clinic)}
        self.consent_text = consent_text_current(clinic=self.clinic, kind=ConsentKind.ACUPUNCTURE)
        self.owner_id = User.objects.filter(role=Role.OWNER).order_by("id").values_list("id", flat=True).first()

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
                reassess_at=self.clinic.reassessment_session,
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
        rows = Rows(self.bulk)
        for story in stories:
            self.rows_for(story, rows)
        return rows.flush()

    def details(self, story: Story) -> Row:
        """Address, contacts, referrer, identifier and consents, from a stream of their own (so the
        history drawn from the story's stream is unchanged by them)."""
        rng = random.Random(f"details:{self.seed}:{story.index}")
        registered = self.at(story.visits[0].day if story.visits else self.today, 9)
        return patient_details(rng, story.sex, story.family_name, story.phone, registered)

    def rows_for(self, story: Story, rows: Rows) -> None:
        rng = random.Random(f"rows:{self.seed}:{story.index}")
        patient = rows.add(Patient, {
            "public_id": public_id(rng), "clinic_id": self.clinic.pk, "given_name": story.given_name,
            "family_name": story.family_name, "birth_date": story.birth_date, "sex": story.sex, "phone": story.phone,
            "email": story.email,
            **self.details(story),
        })  # fmt: skip
        builder = PatientRows(rows, story, patient["id"], rng)
        practitioner = self.practitioners[story.index % len(self.practitioners)]
        room = self.room_of[practitioner.pk]
        preferred = rng.choice(HOURS)
        plan: Row | None = None
        draft: Draft | None = None
        sessions: list[Row] = []
        held = 0  # sessions attended in the course
        for visit in story.visits:
            day, hour = self.diary.book(practitioner.pk, visit.day, preferred, self.closed)
            start = self.at(day, hour)
            appt_type = self.types["initial" if visit.kind == "initial" else "treatment"]
            future = start > self.now
            status = (
                AppointmentStatus.BOOKED
                if future
                else {"attended": AppointmentStatus.ATTENDED, "no_show": AppointmentStatus.NO_SHOW}.get(
                    visit.outcome, AppointmentStatus.CANCELLED
                )
            )
            fields: Row = {
                "practitioner_id": practitioner.pk, "room_id": room.pk, "type_id": appt_type.pk, "start": start,
                "end": start + dt.timedelta(minutes=appt_type.minutes), "status": status,
                "plan_id": plan["id"] if plan else None,
            }  # fmt: skip
            if not future and status == AppointmentStatus.ATTENDED:
                fields["arrived_at"] = start + dt.timedelta(minutes=_arrival_offset(rng))
                if visit.kind == "initial":
                    # Every course starts with the patient's signed consent (so its sessions may run).
                    builder.consent(start - dt.timedelta(minutes=10), self.consent_text.pk, practitioner.user_id)
                    consultation = builder.consultation(practitioner.pk, start, self.flags)
                    if not self.blocked(story):
                        draft = _draft(self.facts(story, day))
                        plan = builder.plan(consultation, draft, practitioner.user_id)
                        fields["plan_id"] = plan["id"]
                else:
                    session = builder.session(visit, start, practitioner.pk, room.pk, plan, draft)
                    fields["session_id"] = session["id"]
                    sessions.append(session)
                    held += 1
                    if plan is not None and held == self.clinic.reassessment_session:
                        builder.reassessment(plan, session, held, practitioner.user_id)
            builder.appointment(fields)
        self.adverse_events(story, rows, patient["id"], sessions, practitioner.user_id)

    def adverse_events(self, story: Story, rows: Rows, patient_id: int, sessions: list[Row], by: int) -> None:
        rng = random.Random(f"adverse:{self.seed}:{story.index}")  # its own stream: nothing else shifts
        event, alert = adverse_event_rows(rng, patient_id, sessions, by, self.owner_id, self.now)
        if event is None:
            return
        row = rows.add(AdverseEvent, {"public_id": public_id(rng), **event})
        if alert is not None:
            rows.add(AdverseEventAlert, {"public_id": public_id(rng), "event_id": row["id"], **alert})


def _arrival_offset(rng: random.Random) -> int:
    """Minutes from the booked start to the arrival: most come a little early, one in ten late."""
    return rng.randint(6, 20) if rng.random() < 0.1 else -rng.randint(0, 10)


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
    writer.bulk.finish()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh planner statistics: the seed changed the data wholesale
    demo_patient_login(writer)
    return writer.clinic
