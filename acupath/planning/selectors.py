"""Reads for planning: the rules' view of a patient, the draft made from it, and the plan's history."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch

from acupath.clinic.selectors import clinic_settings
from acupath.core.audit import audit_record
from acupath.core.errors import Conflict, ServiceError
from acupath.core.models import AuditAction
from acupath.intake.domain.red_flags import Alert
from acupath.intake.models import Consultation
from acupath.intake.selectors import TreatmentGate, consultation_latest, treatment_gate
from acupath.knowledge.domain.codes import ASHI, UnknownPointCode, normalise_code
from acupath.knowledge.models import Acupoint
from acupath.knowledge.services import planning_point_facts
from acupath.measures.models import Assessment
from acupath.measures.selectors import startback_risk_latest
from acupath.patients.models import Patient
from acupath.planning.domain.advice import load_advice_rules
from acupath.planning.domain.course import Course, StratifiedCare
from acupath.planning.domain.facts import (
    BackRegion,
    BodyRegion,
    Cause,
    DurationClass,
    LegPain,
    PatientFacts,
    Pattern,
    ProposedPoint,
    Role,
    Side,
)
from acupath.planning.domain.prescribe import Draft, draft_plan, load_rules
from acupath.planning.domain.rules import Severity
from acupath.planning.domain.safety import Exclusion, PlanBlocked, check_points
from acupath.planning.enums import PlanStatus
from acupath.planning.models import PlanPoint, TreatmentPlan

# Levels a multi-level point (Ashi, Jiaji) may be needled at, for the page's picker.
NEEDLING_LEVELS: tuple[str, ...] = tuple(r.value for r in BodyRegion)
LEVEL_CHOICES: tuple[tuple[str, str], ...] = tuple((r, r.replace("_", " ").capitalize()) for r in NEEDLING_LEVELS)

PATTERNS_WITH_RULES = frozenset(p.value for p in Pattern)

NO_CONSULTATION = (
    "There is no consultation yet. Record one first: the draft and its safety check are made from it "
    "(pregnancy, pacemaker, medicines, skin, red flags)."
)


def patient_facts(
    patient: Patient, consultation: Consultation | None = None, gate: TreatmentGate | None = None
) -> PatientFacts | None:
    """The facts of the patient's latest consultation (or the one given), as the rules see them.

    None when the patient has no consultation yet. Unresolved red flags are carried so that
    the rules refuse to plan at all; the latest scorable ODI gives the severity.
    """
    consultation = consultation or consultation_latest(patient)
    if consultation is None:
        return None
    odi = (
        Assessment.objects.filter(patient=patient, instrument="odi", scorable=True)
        .order_by("-taken_at")
        .values_list("score", flat=True)
        .first()
    )
    return PatientFacts(
        causes=frozenset(Cause(c) for c in consultation.causes),
        region=BackRegion(consultation.region),
        leg_pain=LegPain(consultation.leg_pain),
        duration_class=DurationClass(consultation.duration_class),
        pain_now=consultation.pain_now,
        # The pattern catalogue (intake) names more patterns than the prescription rules cover;
        # one without rules adds no pattern points rather than failing the whole draft.
        pattern=Pattern(consultation.pattern) if consultation.pattern in PATTERNS_WITH_RULES else None,
        odi_percent=odi,
        # Reverse relation: planning does not import treatment (it sits above planning).
        first_treatment=not patient.treatment_sessions.exists(),
        needle_fear=consultation.needle_fear,
        pregnant=consultation.pregnant,
        pregnancy_weeks=consultation.pregnancy_weeks if consultation.pregnant else None,
        anticoagulant=consultation.anticoagulant,
        bleeding_disorder=consultation.bleeding_disorder,
        pacemaker=consultation.pacemaker,
        diabetes=consultation.diabetes,
        peripheral_neuropathy=consultation.peripheral_neuropathy,
        metal_allergy=consultation.metal_allergy,
        epilepsy=consultation.epilepsy,
        immunosuppressed=consultation.immunosuppressed,
        skin_lesion_regions=frozenset(BodyRegion(r) for r in consultation.skin_lesion_sites),
        # What the treatment gate holds back (open flags, referrals without a clearing outcome): the
        # rules refuse to plan or needle at all while it is not empty.
        unresolved_red_flags=(gate or treatment_gate(patient)).flags,
    )


def facts_or_conflict(
    patient: Patient, consultation: Consultation | None = None, gate: TreatmentGate | None = None
) -> PatientFacts:
    facts = patient_facts(patient, consultation, gate)
    if facts is None:
        raise Conflict(NO_CONSULTATION)
    return facts


def draft_for(patient: Patient, facts: PatientFacts) -> Draft:
    """The draft for these facts, shaped by the patient's STarT Back group (stratified care) and
    the clinic's re-assessment session."""
    return draft_plan(
        facts,
        planning_point_facts(),
        startback_risk=startback_risk_latest(patient),
        reassess_at=clinic_settings().reassessment_session,
    )


def stratified_payload(care: StratifiedCare | None) -> dict[str, Any] | None:
    if care is None:
        return None
    return {
        "risk": care.risk,
        "note": care.note,
        "referral_code": care.referral_code,
        "referral_display": care.referral_display,
        "source": care.source,
    }


def plan_draft(patient: Patient, *, actor: Any = None, via: str = "web") -> Draft:
    """Draft a plan from the patient's latest consultation, with the catalogue as point lookup.

    Raises PlanBlocked (no plan at all) while red flags are unresolved, and Conflict when there
    is no consultation to draft from. Audited as a read of the patient's record when `actor` is
    given (the draft is made from their history).
    """
    gate = treatment_gate(patient)
    gate.ensure_open("Planning")
    facts = facts_or_conflict(patient, gate=gate)
    if actor is not None:
        audit_record(
            actor=actor,
            action=AuditAction.READ,
            entity="plan_draft",
            entity_id=patient.public_id,
            patient_id=patient.public_id,
            via=via,
        )
    return draft_for(patient, facts)


# --- shapes shared by the page and the API ----------------------------------------------------


def point_pinyin(code: str) -> str:
    if code == ASHI:
        return "Āshì"
    record = planning_point_facts().get(code)
    return str(getattr(record, "pinyin", "")) if record is not None else ""


def course_payload(course: Course) -> dict[str, Any]:
    return {
        "code": course.code,
        "sessions": course.sessions,
        "per_week": course.per_week,
        "weeks": course.weeks,
        "phases": [list(phase) for phase in course.phases],
        "reassess_after": list(course.reassess_after),
        "reassess_instruments": list(course.reassess_instruments),
        "every_session_instruments": list(course.every_session_instruments),
        "maintenance_interval_weeks": list(course.maintenance_interval_weeks),
        "rationale": course.rationale,
        "unverified": course.unverified,
    }


def draft_payload(draft: Draft) -> dict[str, Any]:
    """The draft as plain data: the API's answer and the page's starting point."""
    return {
        "points": [
            {
                "code": p.code,
                "pinyin": point_pinyin(p.code),
                "side": p.side.value,
                "role": p.role.value,
                "rationale": p.rationale,
                "level": p.level.value if p.level else "",
                "unverified": p.unverified,
            }
            for p in draft.points
        ],
        "excluded": [
            {
                "code": e.code,
                "pinyin": point_pinyin(e.code),
                "rule": e.rule,
                "title": e.title,
                "severity": e.severity.value,
                "reason": e.reason,
            }
            for e in draft.excluded
        ],
        "warnings": [{"code": w.code, "rule": w.rule, "title": w.title, "message": w.message} for w in draft.warnings],
        "electroacupuncture": draft.electroacupuncture,
        "retention_minutes": draft.retention_minutes,
        "needle_count": draft.needle_count,
        "course": course_payload(draft.course),
        "advice": [{"code": a.code, "title": a.title, "text": a.text} for a in draft.advice],
        "stratified_care": stratified_payload(draft.stratified),
    }


@dataclass(frozen=True)
class ElectroRule:
    rule: str
    severity: str
    reason: str
    title: str = ""

    @property
    def overridable(self) -> bool:
        return self.severity == Severity.CAUTION.value


def electro_rules_for(facts: PatientFacts) -> list[ElectroRule]:
    """The safety rules that limit electroacupuncture for this patient (pacemaker, pregnancy)."""
    rules = load_rules().safety.rules
    return [
        ElectroRule(r.code, r.severity.value, " ".join(r.reason.split()), r.title)
        for r in rules
        if r.targets.electroacupuncture and r.severity is not Severity.WARNING and r.applies_when.matches(facts)
    ]


def advice_catalogue() -> Mapping[str, dict[str, str]]:
    """Every self-care advice item by code (the file's wording), for choosing items by code."""
    return {a.code: {"code": a.code, "title": a.title, "text": a.text} for a in load_advice_rules().items}


@dataclass(frozen=True)
class PointChoice:
    code: str
    pinyin: str
    english: str
    region: str
    tags: tuple[str, ...] = ()

    @property
    def role(self) -> str:
        """The role a point added by hand most likely plays, from its catalogue tags."""
        if self.code == ASHI:
            return Role.ASHI.value
        if any(t.startswith("local") for t in self.tags):
            return Role.LOCAL.value
        if any(t.startswith("distal") for t in self.tags):
            return Role.DISTAL.value
        if "calming" in self.tags:
            return Role.CALMING.value
        return Role.PATTERN.value if self.tags else Role.LOCAL.value


def point_by_code(raw: str) -> PointChoice:
    """The active catalogue point for any accepted spelling of its code; ServiceError naming it if none."""
    try:
        code = normalise_code(raw)
    except UnknownPointCode as exc:
        raise ServiceError(
            {"add_code": f"{exc}. Type a WHO code such as BL23, GV4 or EX-B2 (UB23, Du4 and LIV3 work too)."}
        ) from None
    point = Acupoint.objects.filter(code=code, active=True).only("code", "pinyin", "english", "region", "tags").first()
    if point is None:
        raise ServiceError({"add_code": f"Point {code} is not loaded in this clinic's reference data."})
    return PointChoice(point.code, point.pinyin, point.english, point.region, tuple(point.tags))


def point_check(patient: Patient, code: str, level: str = "") -> Exclusion | None:
    """What the safety rules say about adding `code` by hand (no reason yet) for this patient."""
    facts = patient_facts(patient)
    if facts is None:
        return None
    region = BodyRegion(level) if level in NEEDLING_LEVELS else None
    proposal = ProposedPoint(code, Side.BOTH, region=region, added_by_hand=True)
    try:
        result = check_points(facts, [proposal], planning_point_facts())
    except PlanBlocked:
        return None
    return result.excluded[0] if result.excluded else None


# --- versions ---------------------------------------------------------------------------------


@dataclass
class PlanVersion:
    """One saved version and what changed against the version before it."""

    plan: TreatmentPlan
    points: list[PlanPoint]
    added: list[str] = field(default_factory=list)  # "BL40 (left)"
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)  # sides and settings, in words

    @property
    def safety(self) -> dict[str, Any]:
        return safety_titled(self.plan.safety)


def level_of(pp: PlanPoint) -> str:
    # Rows written before the level had its own column (the demo's) keep it in the location note.
    return pp.level or (pp.location_note if pp.location_note in NEEDLING_LEVELS else "")


def _point_label(pp: PlanPoint) -> str:
    level = level_of(pp)
    where = f", {level}" if level and pp.point_id == ASHI else ""
    return f"{pp.point_id} ({pp.side}{where})"


def _differences(new: TreatmentPlan, new_points: Sequence[PlanPoint], old: PlanVersion | None) -> PlanVersion:
    version = PlanVersion(new, list(new_points))
    if old is None:
        version.added = [_point_label(p) for p in new_points]
        return version
    before = {(p.point_id, level_of(p)): p for p in old.points}
    after = {(p.point_id, level_of(p)): p for p in new_points}
    version.added = [_point_label(p) for k, p in after.items() if k not in before]
    version.removed = [_point_label(p) for k, p in before.items() if k not in after]
    for key, p in after.items():
        if key in before and before[key].side != p.side:
            version.changed.append(f"{p.point_id} side {before[key].side} → {p.side}")
    prev = old.plan
    settings = (
        ("retention", prev.retention_minutes, new.retention_minutes, " min"),
        ("sessions", prev.sessions, new.sessions, ""),
        ("per week", prev.per_week, new.per_week, ""),
    )
    version.changed += [f"{name} {a}{unit} → {b}{unit}" for name, a, b, unit in settings if a != b]
    if prev.electroacupuncture != new.electroacupuncture:
        version.changed.append("electroacupuncture " + ("on" if new.electroacupuncture else "off"))
    if [a.get("code") for a in prev.advice] != [a.get("code") for a in new.advice]:
        version.changed.append("self-care advice changed")
    return version


def plan_versions(patient: Patient, *, actor: Any = None, via: str = "web") -> list[PlanVersion]:
    """Every version of the patient's plan, newest first, each with its points and its changes.

    Two queries whatever the number of versions or points. Audited as one read when `actor` is given.
    """
    plans = list(
        TreatmentPlan.objects.filter(patient=patient)
        .select_related("created_by")
        .prefetch_related(Prefetch("points", queryset=PlanPoint.objects.select_related("point")))
        .order_by("version")
    )
    versions: list[PlanVersion] = []
    previous: PlanVersion | None = None
    for plan in plans:
        previous = _differences(plan, list(plan.points.all()), previous)
        versions.append(previous)
    if actor is not None:
        audit_record(
            actor=actor,
            action=AuditAction.READ,
            entity="treatment_plan_list",
            entity_id=patient.public_id,
            patient_id=patient.public_id,
            summary=f"{len(versions)} versions",
            via=via,
        )
    return versions[::-1]


def plan_current(versions: Sequence[PlanVersion]) -> PlanVersion | None:
    return next((v for v in versions if v.plan.status == PlanStatus.APPROVED), None)


def safety_titled(stored: Mapping[str, Any]) -> dict[str, Any]:
    """A version's stored safety record, each entry with its rule's title (older versions were
    stored before rules had titles: the current file names them)."""
    rules = load_rules().safety
    record: dict[str, Any] = {"excluded": [], "warnings": [], "overrides": [], **stored}
    for key in ("excluded", "warnings", "overrides"):
        record[key] = [{**e, "title": e.get("title") or rules.title(str(e.get("rule", "")))} for e in record[key]]
    return record


def plan_payload(version: PlanVersion) -> dict[str, Any]:
    """One saved version as the API shows it (older rows without a full course JSON included)."""
    plan = version.plan
    author = plan.created_by
    course = {"weeks": 0, **plan.course, "sessions": plan.sessions, "per_week": plan.per_week}
    return {
        "id": plan.public_id,
        "version": plan.version,
        "status": plan.status,
        "approved_at": plan.approved_at,
        "created_by": (author.get_full_name() or author.username) if author else "",
        "change_note": plan.change_note,
        "retention_minutes": plan.retention_minutes,
        "electroacupuncture": plan.electroacupuncture,
        "course": course,
        "advice": plan.advice,
        "stratified_care": plan.course.get("stratified_care"),
        "safety": safety_titled(plan.safety),
        "points": [
            {
                "code": pp.point_id,
                "pinyin": pp.point.pinyin,
                "side": pp.side,
                "role": pp.role,
                "rationale": pp.rationale,
                "level": level_of(pp),
                "depth_mm": pp.depth_mm,
                "angle": pp.angle or None,
                "override_reason": pp.override_reason,
            }
            for pp in version.points
        ],
        "added": version.added,
        "removed": version.removed,
    }


@dataclass
class PlanWorkspace:
    """Everything the plan page shows: the consultation, what blocks planning, today's draft
    (None when blocked or without a consultation), and every saved version."""

    consultation: Consultation | None
    blocked: list[Alert]
    gate: TreatmentGate | None
    draft: Draft | None
    electro_rules: list[ElectroRule]
    versions: list[PlanVersion]

    @property
    def stopped(self) -> bool:
        """Planning is stopped by the treatment gate (open flags or a referral waiting for its outcome)."""
        return self.gate is not None and self.gate.blocked

    @property
    def current(self) -> PlanVersion | None:
        return plan_current(self.versions)

    @property
    def electro_refused(self) -> bool:
        return any(not r.overridable for r in self.electro_rules)

    @property
    def electro_caution(self) -> bool:
        return any(r.overridable for r in self.electro_rules)


def plan_workspace(patient: Patient, *, actor: Any = None) -> PlanWorkspace:
    consultation = consultation_latest(patient)
    gate = treatment_gate(patient)
    facts = patient_facts(patient, consultation, gate)
    blocked = gate.open_alerts
    draft: Draft | None = None
    if facts is not None and not gate.blocked:
        try:
            draft = draft_for(patient, facts)
        except PlanBlocked:
            draft = None
    if actor is not None and facts is not None:
        audit_record(
            actor=actor,
            action=AuditAction.READ,
            entity="plan_draft",
            entity_id=patient.public_id,
            patient_id=patient.public_id,
        )
    return PlanWorkspace(
        consultation=consultation,
        blocked=blocked,
        gate=gate,
        draft=draft,
        electro_rules=electro_rules_for(facts) if facts is not None else [],
        versions=plan_versions(patient, actor=actor),
    )


def course_summary(course: Mapping[str, Any]) -> list[str]:
    """The course in words, for the page: frequency by phase, reassessments, maintenance."""
    lines: list[str] = []
    phases = [p for p in course.get("phases") or () if len(p) == 2]
    if phases:
        parts = [f"{n} a week for {w} week{'s' if w != 1 else ''}" for w, n in phases]
        lines.append(
            f"{course.get('sessions')} sessions over {course.get('weeks')} weeks: " + ", then ".join(parts) + "."
        )
    if reassess := course.get("reassess_after"):
        tools = ", ".join(str(i).upper() for i in course.get("reassess_instruments") or ())
        sessions = ", ".join(str(n) for n in reassess)
        lines.append(f"Reassess after session {sessions}" + (f" with {tools}." if tools else "."))
    if gaps := course.get("maintenance_interval_weeks"):
        lines.append("Then maintenance, tapering: next visits after " + ", ".join(str(g) for g in gaps) + " weeks.")
    return lines
