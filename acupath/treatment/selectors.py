"""Reads of treatment sessions: the room board, a session page, a patient's treatment summary,
the clinic's adverse-event report, and the safety check a session runs before needling.

Each read has a fixed number of queries whatever the number of rooms, sessions or events.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from acupath.clinic.models import Clinic, Location, Room
from acupath.core.errors import ServiceError
from acupath.intake.selectors import TreatmentGate, consultation_latest, flag_title, treatment_gate
from acupath.knowledge.services import planning_point_facts
from acupath.patients.models import Patient
from acupath.planning.domain.facts import BodyRegion, PatientFacts, ProposedPoint
from acupath.planning.domain.facts import Side as RuleSide
from acupath.planning.domain.safety import PlanBlocked, SafetyResult, Severity, check_points
from acupath.planning.models import PlanPoint
from acupath.planning.selectors import patient_facts
from acupath.treatment.domain.deviations import Deviations, deviations
from acupath.treatment.domain.timer import Retention, RoomState, retention, room_state
from acupath.treatment.enums import AdverseEventKind, AdverseEventSeverity, SessionStatus
from acupath.treatment.models import AdverseEvent, SessionPoint, TreatmentSession

# ---------------------------------------------------------------------------------------------
# Safety at the start of needling


def _facts_today(patient: Patient, gate: TreatmentGate | None = None) -> PatientFacts | None:
    """The rules' view of the patient from the latest consultation (re-assessments included).

    `first_treatment` is about closed sessions: the session being run now does not make the
    patient's first treatment a follow-up.
    """
    facts = patient_facts(patient, consultation_latest(patient), gate)
    if facts is None:
        return None
    treated = patient.treatment_sessions.filter(status=SessionStatus.CLOSED).exists()
    return replace(facts, first_treatment=not treated)


NO_CONSULTATION = (
    "No consultation is recorded for this patient, so the safety rules cannot be checked: "
    "record a consultation (or a re-assessment) before needling."
)


def _rules(facts: PatientFacts | None, proposed: Sequence[ProposedPoint]) -> SafetyResult:
    if facts is None:
        raise ServiceError({"points": NO_CONSULTATION})
    try:
        return check_points(facts, proposed, planning_point_facts())
    except PlanBlocked as exc:
        flags = ", ".join(flag_title(code) for code in exc.flags)
        raise ServiceError({"points": f"No needling while red flags or a referral are unresolved: {flags}."}) from None


def session_safety_check(patient: Patient, proposed: Sequence[ProposedPoint]) -> SafetyResult:
    """Run the plan's safety rules on today's record. Refuses (ServiceError) when they cannot run, and
    answers 409 while the treatment gate is closed (a session opened before a flag was raised)."""
    gate = treatment_gate(patient)
    gate.ensure_open("Needling")
    return _rules(_facts_today(patient, gate), proposed)


def plan_point_level(level: str, location_note: str) -> str:
    """Where a multi-level plan point is needled (older rows kept it in the location note)."""
    regions = {r.value for r in BodyRegion}
    return level if level in regions else (location_note if location_note in regions else "")


@dataclass
class PointSafety:
    code: str
    contraindications: list[str] = field(default_factory=list)
    cautions: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        return bool(self.contraindications)

    @property
    def needs_reason(self) -> bool:
        return bool(self.cautions) and not self.refused


@dataclass
class SafetyPreview:
    """What the rules say today about each point the plan would needle, before anyone needles."""

    problem: str = ""  # why the rules cannot run at all (no consultation, red flags)
    general: list[str] = field(default_factory=list)
    points: dict[tuple[str, str], PointSafety] = field(default_factory=dict)  # by (code, level)
    electro_allowed: bool = True

    def for_point(self, code: str, level: str = "") -> PointSafety | None:
        return self.points.get((code, level))


def session_safety_preview(patient: Patient, points: Iterable[tuple[str, str]]) -> SafetyPreview:
    """Check each (code, level) as if added by hand without a reason, to show which need one.

    Points needled at a level (Ashi, Jiaji) are checked one by one, since the rules' answer
    names only the code; the others in one pass.
    """
    wanted = list(dict.fromkeys(points))
    facts = _facts_today(patient)
    plain = [code for code, level in wanted if not level]
    groups: list[tuple[str, list[ProposedPoint]]] = [
        ("", [ProposedPoint(c, RuleSide.BOTH, added_by_hand=True) for c in plain])
    ]
    groups += [
        (level, [ProposedPoint(code, RuleSide.BOTH, added_by_hand=True, region=BodyRegion(level))])
        for code, level in wanted
        if level
    ]
    preview = SafetyPreview()
    for level, proposed in groups:
        try:
            result = _rules(facts, proposed)
        except ServiceError as exc:
            return SafetyPreview(problem=exc.errors.get("points", str(exc)))
        preview.electro_allowed = result.electroacupuncture_allowed
        for p in proposed:
            preview.points[(p.code, level)] = PointSafety(p.code)
        for e in result.excluded:
            target = preview.points.setdefault((e.code, level), PointSafety(e.code))
            line = f"{e.title}: {e.reason}"
            (target.contraindications if e.severity is Severity.CONTRAINDICATION else target.cautions).append(line)
        for w in result.warnings:
            line = f"{w.title}: {w.message}"
            if w.code is None:
                if line not in preview.general:
                    preview.general.append(line)
            else:
                preview.points.setdefault((w.code, level), PointSafety(w.code)).warnings.append(line)
    return preview


# ---------------------------------------------------------------------------------------------
# The treatment-room board


@dataclass(frozen=True)
class BoardRoom:
    room: Room
    session: TreatmentSession | None
    state: RoomState
    timer: Retention | None

    @property
    def occupied(self) -> bool:
        """A session is open in the room, so no other patient can be checked in to it."""
        return self.session is not None

    @property
    def needles_in(self) -> int | None:
        return self.session.needles_in if self.session else None

    @property
    def outstanding(self) -> int:
        """Needles not accounted for once removal has begun (the alert count)."""
        if self.session is None or not self.session.removal_started:
            return 0
        return self.session.needles_in

    @property
    def patient_name(self) -> str:
        return self.session.patient.full_name if self.session else ""

    @property
    def practitioner_name(self) -> str:
        return self.session.practitioner.display_name if self.session else ""


@dataclass(frozen=True)
class BoardPage:
    rooms: list[BoardRoom]
    total: int
    offset: int
    limit: int

    @property
    def next_offset(self) -> int | None:
        return self.offset + self.limit if self.offset + self.limit < self.total else None


def _board(
    rooms: QuerySet[Room], now: dt.datetime | None, offset: int = 0, limit: int | None = None
) -> list[BoardRoom]:
    now = now or timezone.now()
    # The patient and practitioner are fetched apart, not joined: joined, SQLite's planner drives the
    # query from the patients table (every session it has seen is closed, so `status` looks useless to
    # it) and reads 100,000 patients to find the few open sessions (33 ms against 3 ms).
    open_sessions = TreatmentSession.objects.filter(status=SessionStatus.OPEN).prefetch_related(
        "patient", "practitioner"
    )
    ordered = (
        rooms.filter(active=True)
        .select_related("location")
        .prefetch_related(Prefetch("treatment_sessions", queryset=open_sessions, to_attr="open_sessions"))
        .order_by("location_id", "position", "name")
    )
    rows = list(ordered[offset : offset + limit] if limit is not None else ordered[offset:])
    board = []
    for room in rows:
        session = room.open_sessions[0] if room.open_sessions else None
        timer = (
            retention(session.needles_in_at, session.planned_minutes, now, session.needles_out_at) if session else None
        )
        state = room_state(
            has_session=session is not None,
            needles_inserted=session.needles_inserted if session else 0,
            needles_outstanding=session.needles_in if session else 0,
            removal_started=session.removal_started if session else False,
            timer=timer,
        )
        board.append(BoardRoom(room=room, session=session, state=state, timer=timer))
    return board


def board_for_location(location: Location, now: dt.datetime | None = None) -> list[BoardRoom]:
    """Every active room of one location with its open session and timer: two queries, four when a
    session is open."""
    return _board(Room.objects.filter(location=location), now)


def board_for_locations(location_ids: Sequence[int], now: dt.datetime | None = None) -> list[BoardRoom]:
    """Every active room of these locations, in location order: two queries however many."""
    return _board(Room.objects.filter(location_id__in=location_ids), now)


def board_for_clinic(clinic: Clinic | None, now: dt.datetime | None = None) -> list[BoardRoom]:
    """Every active room of every location of the clinic: two queries."""
    return _board(Room.objects.filter(location__clinic=clinic), now)


def board_page(clinic: Clinic | None, offset: int, limit: int, now: dt.datetime | None = None) -> BoardPage:
    """One page of the whole network's board, in location order: three queries whatever its size."""
    total = Room.objects.filter(location__clinic=clinic, active=True).count()
    rooms = _board(Room.objects.filter(location__clinic=clinic), now, offset, limit) if offset < total else []
    return BoardPage(rooms=rooms, total=total, offset=offset, limit=limit)


def locations_of(clinic: Clinic | None) -> list[Location]:
    return list(Location.objects.filter(clinic=clinic).order_by("id"))


# ---------------------------------------------------------------------------------------------
# One session


@dataclass
class SessionView:
    session: TreatmentSession
    plan_points: list[PlanPoint]
    needled: list[SessionPoint]
    deviations: Deviations
    timer: Retention | None
    state: RoomState
    adverse_events: list[AdverseEvent]

    @property
    def outstanding(self) -> int:
        return self.session.needles_in if self.session.removal_started else 0


def session_detail(session: TreatmentSession, now: dt.datetime | None = None) -> SessionView:
    """A session page's data: the plan's points, what was needled, events. Four queries."""
    now = now or timezone.now()
    plan_points = (
        list(PlanPoint.objects.filter(plan=session.plan).select_related("point").order_by("position", "id"))
        if session.plan_id
        else []
    )
    needled = list(session.points.select_related("point").order_by("id"))
    events = list(session.adverse_events.select_related("recorded_by").order_by("-occurred_at", "-id"))
    timer = retention(session.needles_in_at, session.planned_minutes, now, session.needles_out_at)
    devs = (
        deviations([(pp.point_id, pp.side) for pp in plan_points], [(sp.point_id, sp.side) for sp in needled])
        if needled
        else Deviations((), ())
    )
    state = room_state(
        has_session=session.status == SessionStatus.OPEN,
        needles_inserted=session.needles_inserted,
        needles_outstanding=session.needles_in,
        removal_started=session.removal_started,
        timer=timer,
    )
    return SessionView(session, plan_points, needled, devs, timer, state, events)


# ---------------------------------------------------------------------------------------------
# A patient's treatment record (for the patient page)

RECENT_EVENTS = 10


@dataclass
class PatientTreatment:
    open_session: TreatmentSession | None
    timer: Retention | None
    state: RoomState
    adverse_events: list[AdverseEvent]


def patient_treatment_summary(patient: Patient, now: dt.datetime | None = None) -> PatientTreatment:
    """The patient's session in progress (if any) and latest adverse events: two queries."""
    now = now or timezone.now()
    open_session = (
        TreatmentSession.objects.filter(patient=patient, status=SessionStatus.OPEN)
        .select_related("room", "practitioner")
        .first()
    )
    events = list(
        AdverseEvent.objects.filter(patient=patient)
        .select_related("session__practitioner")
        .order_by("-occurred_at", "-id")[:RECENT_EVENTS]
    )
    timer = (
        retention(open_session.needles_in_at, open_session.planned_minutes, now, open_session.needles_out_at)
        if open_session
        else None
    )
    state = room_state(
        has_session=open_session is not None,
        needles_inserted=open_session.needles_inserted if open_session else 0,
        needles_outstanding=open_session.needles_in if open_session else 0,
        removal_started=open_session.removal_started if open_session else False,
        timer=timer,
    )
    return PatientTreatment(open_session, timer, state, events)


# ---------------------------------------------------------------------------------------------
# The clinic's adverse-event report


@dataclass(frozen=True)
class AdverseFilters:
    kind: str = ""
    severity: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


@dataclass
class AdverseReport:
    events: list[AdverseEvent]
    total: int
    by_kind: list[tuple[str, str, int]]  # (kind, label, count) for every kind, zeros included
    by_severity: list[tuple[str, str, int]]
    limit: int


def adverse_event_report(filters: AdverseFilters, limit: int = 200) -> AdverseReport:
    """Events matching the filters (newest first, capped) and counts per type: three queries."""
    qs = AdverseEvent.objects.all()
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.severity:
        qs = qs.filter(severity=filters.severity)
    zone = timezone.get_current_timezone()
    if filters.date_from:
        qs = qs.filter(occurred_at__gte=dt.datetime.combine(filters.date_from, dt.time.min, zone))
    if filters.date_to:
        qs = qs.filter(occurred_at__lt=dt.datetime.combine(filters.date_to + dt.timedelta(days=1), dt.time.min, zone))
    events = list(
        qs.select_related("patient", "session__practitioner", "recorded_by").order_by("-occurred_at", "-id")[:limit]
    )
    kinds = dict(qs.order_by().values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))
    severities = dict(qs.order_by().values_list("severity").annotate(n=Count("id")).values_list("severity", "n"))
    return AdverseReport(
        events=events,
        total=sum(kinds.values()),
        by_kind=[(k.value, str(k.label), kinds.get(k.value, 0)) for k in AdverseEventKind],
        by_severity=[(s.value, str(s.label), severities.get(s.value, 0)) for s in AdverseEventSeverity],
        limit=limit,
    )
