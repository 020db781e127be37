"""Writing treatment plans. Each save is a new version; the previous one is superseded.

Every save is checked by the same safety rules that shape the draft (`check_points`), against the
patient's latest consultation: a contraindication is refused, a caution only passes for a point the
practitioner added by hand with a recorded reason, and electroacupuncture is checked on its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from acupath.core.audit import audit_record
from acupath.core.errors import Conflict, ServiceError
from acupath.core.models import AuditAction
from acupath.intake.models import Consultation
from acupath.intake.selectors import TreatmentGate, consultation_latest, treatment_gate
from acupath.knowledge.models import Acupoint
from acupath.knowledge.selectors import points_in_order
from acupath.knowledge.services import planning_point_facts
from acupath.patients.models import Patient
from acupath.planning.domain.facts import ASHI, BodyRegion, PatientFacts, ProposedPoint
from acupath.planning.domain.facts import Side as DomainSide
from acupath.planning.domain.prescribe import Draft, load_rules
from acupath.planning.domain.rules import RETENTION_LIMITS
from acupath.planning.domain.safety import Exclusion, PlanBlocked, SafetyWarning, Severity, check_points
from acupath.planning.enums import NeedleAngle, PlanStatus, PointRole, Side
from acupath.planning.models import DEPTH_MM_MAX, PlanPoint, TreatmentPlan
from acupath.planning.selectors import (
    advice_catalogue,
    course_payload,
    draft_for,
    facts_or_conflict,
    stratified_payload,
)

ELECTRO = "electroacupuncture"  # the key of its override reason, beside the point codes
NOTES_MAX = 2000
LEVELS = frozenset(r.value for r in BodyRegion)


@dataclass(frozen=True)
class PlanPointInput:
    code: str
    side: str
    role: str = PointRole.LOCAL
    rationale: str = ""
    override_reason: str = ""
    location_note: str = ""
    level: str = ""  # body region where Ashi / Jiaji is needled
    depth_mm: int | None = None  # planned depth; the lung and spinal-canal rules read it
    angle: str = ""  # NeedleAngle, or "" when not planned


@dataclass(frozen=True)
class PlanInput:
    points: tuple[PlanPointInput, ...]
    retention_minutes: int = 25
    electroacupuncture: bool = False
    electroacupuncture_reason: str = ""
    # None: take them from the course (given, else drafted) as they are.
    sessions: int | None = None
    per_week: int | None = None
    course: Mapping[str, Any] | None = None  # None: the drafted course
    # None: the drafted advice. Items may give only their code: the file's wording is used.
    advice: tuple[Mapping[str, Any], ...] | None = None
    notes: str = ""
    change_note: str = ""


class PlanRefused(ServiceError):
    """The safety rules refuse the plan as submitted; `by_point` says why for each point code,
    and `need_reason` names the points a recorded reason would let through (cautions only)."""

    def __init__(self, errors: dict[str, str], by_point: dict[str, str], need_reason: frozenset[str] = frozenset()):
        super().__init__(errors)
        self.by_point = by_point
        self.need_reason = need_reason


def plan_errors(data: PlanInput) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not data.points:
        errors["points"] = "Choose at least one point: draft from the consultation, or add one by code."
    for p in data.points:
        if p.side not in Side.values:
            errors["points"] = f"{p.code}: side must be one of {', '.join(Side.values)}."
        if p.role not in PointRole.values:
            errors["points"] = f"{p.code}: role must be one of {', '.join(PointRole.values)}."
        if p.level and p.level not in LEVELS:
            errors["points"] = f"{p.code}: level must be a body region ({', '.join(BodyRegion)})."
        if len(p.override_reason) > 300:
            errors["points"] = f"{p.code}: keep the override reason under 300 characters."
        if len(p.rationale) > 400:
            errors["points"] = f"{p.code}: keep the rationale under 400 characters."
        if p.depth_mm is not None and not 1 <= p.depth_mm <= DEPTH_MM_MAX:
            errors["points"] = f"{p.code}: depth is in millimetres, 1 to {DEPTH_MM_MAX} (e.g. 15)."
        if p.angle and p.angle not in NeedleAngle.values:
            errors["points"] = f"{p.code}: angle must be one of {', '.join(NeedleAngle.values)}."
    low, high = RETENTION_LIMITS
    if not low <= data.retention_minutes <= high:
        errors["retention_minutes"] = (
            f"Needle retention is usually 20-30 minutes; enter {low} to {high} minutes "
            f"(under {low} or over {high} is refused)."
        )
    if data.sessions is not None and not 1 <= data.sessions <= 30:
        errors["sessions"] = "A course has 1 to 30 sessions."
    if data.per_week is not None and not 1 <= data.per_week <= 5:
        errors["per_week"] = "Sessions per week: 1 to 5."
    if len(data.change_note) > 300:
        errors["change_note"] = "Keep the change note under 300 characters."
    if len(data.notes) > NOTES_MAX:
        errors["notes"] = f"Keep the plan notes under {NOTES_MAX} characters."
    if len(data.electroacupuncture_reason) > 300:
        errors["electroacupuncture_reason"] = "Keep the electroacupuncture reason under 300 characters."
    return errors


# --- safety -----------------------------------------------------------------------------------


@dataclass
class SaveSafety:
    """The safety check of a submitted plan: refusals, and what to keep with the version."""

    errors: dict[str, str] = field(default_factory=dict)
    by_point: dict[str, str] = field(default_factory=dict)
    need_reason: set[str] = field(default_factory=set)
    warnings: list[SafetyWarning] = field(default_factory=list)
    overrides: list[Exclusion] = field(default_factory=list)  # cautions lifted by a reason


def _level(p: PlanPointInput) -> BodyRegion | None:
    # Ashi recorded by the demo or older pages carries its level in the location note.
    raw = p.level or (p.location_note if p.location_note in LEVELS else "")
    return BodyRegion(raw) if raw else None


def _proposals(data: PlanInput, codes: Sequence[str], drafted: set[str]) -> list[ProposedPoint]:
    return [
        ProposedPoint(
            code=code,
            side=DomainSide(p.side),
            region=_level(p),
            depth_mm=p.depth_mm,
            # A depth over the maximum is an edit by hand, whoever drafted the point.
            added_by_hand=code not in drafted or p.depth_mm is not None,
            override_reason=p.override_reason.strip() or None,
        )
        for p, code in zip(data.points, codes, strict=True)
    ]


def _clean(reason: str) -> str:
    return reason.removeprefix(f"{ELECTRO}: ").removesuffix(" An override reason is required to keep it.")


def _point_refusal(e: Exclusion) -> str:
    if e.severity is Severity.CONTRAINDICATION:
        what = "change it" if e.reason.startswith("depth") else "remove the point"
        return (
            f"{e.code} is refused for this patient ({e.title}, a {e.severity.value}): {_clean(e.reason)} "
            f"This cannot be overridden; {what}."
        )
    return (
        f"{e.code} is kept out of this patient's plans ({e.title}, a {e.severity.value}): {_clean(e.reason)} "
        "A reason is required to keep it: give an override reason, or remove the point."
    )


def _electro_refusal(e: Exclusion) -> str:
    if e.severity is Severity.CONTRAINDICATION:
        return (
            f"Electroacupuncture is refused ({e.title}, a {e.severity.value}): {_clean(e.reason)} "
            "This cannot be overridden; untick electroacupuncture."
        )
    return (
        f"Electroacupuncture is limited ({e.title}, a {e.severity.value}): {_clean(e.reason)} "
        "A reason is required to use it: give one, or untick electroacupuncture."
    )


def _first_per(exclusions: Iterable[Exclusion], key: str) -> list[Exclusion]:
    """One exclusion per point (or rule), the hardest first: a reason must not be asked for
    where a contraindication refuses the point anyway."""
    seen: dict[str, Exclusion] = {}
    for e in sorted(exclusions, key=lambda e: e.severity is not Severity.CONTRAINDICATION):
        seen.setdefault(getattr(e, key), e)
    return list(seen.values())


def plan_safety(facts: PatientFacts, data: PlanInput, codes: Sequence[str], draft: Draft) -> SaveSafety:
    """Check a submitted plan with `check_points`, as drafts are checked; nothing is written.

    Points not in today's draft count as added by hand, so a caution lets them through only with
    an override reason. Electroacupuncture is checked in a second pass over the same points, as
    if added by hand with the plan's electroacupuncture reason, and only its own rules are read.
    """
    lookup = planning_point_facts()
    drafted = {p.code for p in draft.points}
    proposals = _proposals(data, codes, drafted)
    result = check_points(facts, proposals, lookup)
    out = SaveSafety(warnings=list(result.warnings))
    for e in _first_per(result.excluded, "code"):
        out.by_point[e.code] = _point_refusal(e)
    hard = {e.code for e in result.excluded if e.severity is not Severity.CAUTION}
    out.need_reason = {e.code for e in result.excluded if e.code not in hard}
    # Which cautions the given reasons lifted: the same points checked without their reasons.
    with_reasons = [replace(p, override_reason=None) for p in proposals if p.added_by_hand and p.has_override_reason]
    lifted = check_points(facts, with_reasons, lookup).excluded if with_reasons else ()
    out.overrides = [e for e in lifted if e.severity is Severity.CAUTION and e.code not in out.by_point]
    if data.electroacupuncture:
        reason = data.electroacupuncture_reason.strip() or None
        electro = [replace(p, electro=True, added_by_hand=True, override_reason=reason) for p in proposals]
        electro_rules = _electro_rule_codes()
        second = check_points(facts, electro, lookup)
        refused = _first_per((e for e in second.excluded if e.rule in electro_rules), "rule")
        if refused:
            out.errors[ELECTRO] = " ".join(_electro_refusal(e) for e in refused)
        elif reason:
            unlifted = check_points(facts, [replace(p, override_reason=None) for p in electro[:1]], lookup)
            out.overrides += [
                replace(e, code=ELECTRO)
                for e in unlifted.excluded
                if e.rule in electro_rules and e.severity is Severity.CAUTION
            ]
            out.warnings += [w for w in second.warnings if w.rule in electro_rules and w.code is not None][:1]
    if out.by_point:
        out.errors["points"] = " ".join(out.by_point.values())
    return out


def _electro_rule_codes() -> frozenset[str]:
    return frozenset(r.code for r in load_rules().safety.rules if r.targets.electroacupuncture)


def safety_record(draft: Draft, saved: set[str], checked: SaveSafety | None = None) -> dict[str, Any]:
    """What the safety rules said about a plan version, as stored with it.

    `checked` is the re-check of the points as saved (edits, overrides); without one the
    draft is saved as drafted and its own warnings stand.
    """
    if checked is None:
        checked = SaveSafety(warnings=[w for w in draft.warnings if w.code is not None])
    # Plan-wide notes of the draft (distal only, point cap) stay with the version beside the
    # warnings of the points actually saved.
    warnings = list(dict.fromkeys([*checked.warnings, *(w for w in draft.warnings if w.code is None)]))
    return {
        "excluded": [
            {"code": e.code, "rule": e.rule, "title": e.title, "severity": e.severity.value, "reason": e.reason}
            for e in draft.excluded
            if e.code not in saved
        ],
        "warnings": [{"code": w.code, "rule": w.rule, "title": w.title, "message": w.message} for w in warnings],
        "overrides": [
            {"code": e.code, "rule": e.rule, "title": e.title, "severity": e.severity.value} for e in checked.overrides
        ],
    }


# --- course and advice ------------------------------------------------------------------------


def _ints(value: Any) -> list[int]:
    if not isinstance(value, list | tuple):
        return []
    return [v for v in value if isinstance(v, int) and not isinstance(v, bool) and v > 0]


def _even_phases(sessions: int, per_week: int) -> list[list[int]]:
    full, rest = divmod(sessions, per_week)
    phases = [[full, per_week]] if full else []
    return [*phases, [1, rest]] if rest else phases


def _course_to_store(data: PlanInput, drafted: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """The course to store: the one given (else drafted), with the practitioner's sessions and
    frequency. Phases that no longer add up to the sessions are rebuilt as even weeks."""
    base = dict(data.course) if data.course is not None else dict(drafted)
    sessions = data.sessions if data.sessions is not None else base.get("sessions")
    per_week = data.per_week if data.per_week is not None else base.get("per_week")
    if (
        not isinstance(sessions, int)
        or not isinstance(per_week, int)
        or not (1 <= sessions <= 30 and 1 <= per_week <= 5)
    ):
        return {}, {"sessions": "A course has 1 to 30 sessions, 1 to 5 a week."}
    phases = [list(p) for p in base.get("phases") or () if len(_ints(list(p))) == 2]
    if not phases or sum(w * n for w, n in phases) != sessions or phases[0][1] != per_week:
        phases = _even_phases(sessions, per_week)
    reassess = sorted({n for n in _ints(base.get("reassess_after")) if n < sessions} | {sessions})
    course = {
        **{k: v for k, v in base.items() if k in ("code", "rationale", "unverified", "every_session_instruments")},
        "sessions": sessions,
        "per_week": per_week,
        "weeks": sum(w for w, _ in phases),
        "phases": phases,
        "reassess_after": reassess,
        "reassess_instruments": [str(i) for i in base.get("reassess_instruments") or ()],
        "maintenance_interval_weeks": _ints(base.get("maintenance_interval_weeks")),
    }
    return course, {}


def _advice_to_store(
    data: PlanInput, drafted: Sequence[Mapping[str, Any]]
) -> tuple[list[dict[str, str]], dict[str, str]]:
    """Advice items to store: each needs a code; a bare code takes the advice file's wording."""
    if data.advice is None:
        return [dict(a) for a in drafted], {}
    known = advice_catalogue()
    items: list[dict[str, str]] = []
    for raw in data.advice:
        code = str(raw.get("code") or "").strip()
        item = {**known.get(code, {}), **{k: str(v).strip() for k, v in raw.items() if k in ("title", "text") and v}}
        if not code or not item.get("title") or not item.get("text"):
            known_codes = ", ".join(known)
            return [], {
                "advice": f"Advice {code or '(no code)'} needs a title and a text, or a known code ({known_codes})."
            }
        if len(item["title"]) > 80 or len(item["text"]) > 400:
            return [], {"advice": f"Advice {code}: keep the title under 80 and the text under 400 characters."}
        items.append({"code": code, "title": item["title"], "text": item["text"]})
    return items, {}


# --- saving -----------------------------------------------------------------------------------


def _blocked(patient: Patient) -> TreatmentGate:
    """The treatment gate: open red flags and referrals without a clearing outcome stop any save."""
    gate = treatment_gate(patient)
    gate.ensure_open("Planning")
    return gate


def plan_save(
    *, actor: Any, patient: Patient, consultation: Consultation | None, data: PlanInput, via: str = "web"
) -> TreatmentPlan:
    """Check the plan against the patient's latest consultation and save it as the next version."""
    try:
        return _plan_save(actor=actor, patient=patient, consultation=consultation, data=data, via=via)
    except IntegrityError:
        # Two editors approved at the same moment: the database let only one become version n+1.
        raise Conflict("Another version of this plan was saved a moment ago. Reload the page and check it.") from None


@transaction.atomic
def _plan_save(
    *, actor: Any, patient: Patient, consultation: Consultation | None, data: PlanInput, via: str
) -> TreatmentPlan:
    gate = _blocked(patient)
    consultation = consultation or consultation_latest(patient)
    facts = facts_or_conflict(patient, consultation, gate)
    if errors := plan_errors(data):
        raise ServiceError(errors)
    points = points_in_order([p.code for p in data.points])
    codes = [p.code for p in points]
    try:
        draft = draft_for(patient, facts)
        checked = plan_safety(facts, data, codes, draft)
    except PlanBlocked as exc:
        raise Conflict(str(exc)) from None
    drafted = _drafted_extras(draft)
    course, course_errors = _course_to_store(data, drafted["course"])
    # What the STarT Back group said when this version was approved, from the record, never the client.
    course["stratified_care"] = stratified_payload(draft.stratified)
    advice, advice_errors = _advice_to_store(data, drafted["advice"])
    if errors := checked.errors | course_errors | advice_errors:
        raise PlanRefused(errors, checked.by_point, frozenset(checked.need_reason))
    plan = _next_version(actor, patient, consultation, data, course, advice, safety_record(draft, set(codes), checked))
    _save_points(plan, data, points, checked)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        entity="treatment_plan",
        entity_id=plan.public_id,
        patient_id=patient.public_id,
        summary=f"version {plan.version}",
        via=via,
    )
    # Each caution a practitioner overrode is its own event: who lifted which rule, on which point.
    for e in checked.overrides:
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            entity="plan_safety_override",
            entity_id=plan.public_id,
            patient_id=patient.public_id,
            summary=f"version {plan.version}: {e.code} despite {e.rule}",
            via=via,
        )
    return plan


def _drafted_extras(draft: Draft) -> dict[str, Any]:
    return {
        "course": course_payload(draft.course),
        "advice": [{"code": a.code, "title": a.title, "text": a.text} for a in draft.advice],
    }


def _next_version(
    actor: Any,
    patient: Patient,
    consultation: Consultation | None,
    data: PlanInput,
    course: dict[str, Any],
    advice: list[dict[str, str]],
    safety: dict[str, Any],
) -> TreatmentPlan:
    # Lock the patient's plans so two editors cannot both become "version n+1"; the unique
    # constraint on (patient, version) settles it where locks do nothing (SQLite serialises).
    current = TreatmentPlan.objects.select_for_update().filter(patient=patient)
    version = (current.aggregate(v=Max("version"))["v"] or 0) + 1
    current.filter(status=PlanStatus.APPROVED).update(status=PlanStatus.SUPERSEDED, updated_by=actor)
    return TreatmentPlan.objects.create(
        patient=patient,
        consultation=consultation,
        version=version,
        approved_at=timezone.now(),
        retention_minutes=data.retention_minutes,
        electroacupuncture=data.electroacupuncture,
        sessions=course["sessions"],
        per_week=course["per_week"],
        course=course,
        advice=advice,
        notes=data.notes,
        change_note=data.change_note.strip(),
        safety=safety,
        created_by=actor,
    )


def _save_points(plan: TreatmentPlan, data: PlanInput, points: Sequence[Acupoint], checked: SaveSafety) -> None:
    overridden = {e.code for e in checked.overrides}
    rows: dict[tuple[str, str, str], PlanPoint] = {}
    for position, (p, point) in enumerate(zip(data.points, points, strict=True)):
        level = _level(p)
        # Two Ashi points differ by where they are: the level stands in for a missing note.
        note = p.location_note or (level.value if level and point.code == ASHI else "")
        rows.setdefault(
            (point.code, p.side, note),
            PlanPoint(
                plan=plan,
                point=point,
                side=p.side,
                role=p.role,
                rationale=p.rationale,
                # Stored only where it lifted a caution, so a stored reason always means an override.
                override_reason=p.override_reason.strip() if point.code in overridden else "",
                location_note=note,
                level=level.value if level else "",
                depth_mm=p.depth_mm,
                angle=p.angle,
                position=position,
            ),
        )
    PlanPoint.objects.bulk_create(rows.values())


__all__ = [
    "ELECTRO",
    "PlanInput",
    "PlanPointInput",
    "PlanRefused",
    "plan_errors",
    "plan_safety",
    "plan_save",
]
