"""What can happen to a treatment session: start, needles in, needles out, close.

Safety runs when needles go in: the plan's rules are checked again against today's record (the
latest consultation or re-assessment), with the planning semantics: a contraindication is never
needled; a caution only with a recorded reason; a warning is advice kept with the point.

Needle reconciliation is enforced twice: `session_close` refuses while any needle is unaccounted
for, and a database check constraint refuses a closed session whose counts do not add up
(inserted = removed + recorded as not recovered), whatever code path tries.
"""

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone

from acupath.clinic.models import Practitioner, Room
from acupath.core.audit import audit_record
from acupath.core.errors import Conflict, ServiceError
from acupath.core.models import AuditAction
from acupath.intake.selectors import treatment_gate
from acupath.knowledge.selectors import points_in_order
from acupath.measures.services import assessment_record
from acupath.patients.models import Patient
from acupath.planning.domain.facts import BodyRegion, ProposedPoint
from acupath.planning.domain.facts import Side as RuleSide
from acupath.planning.domain.facts import Technique as RuleTechnique
from acupath.planning.domain.rules import RETENTION_LIMITS
from acupath.planning.domain.safety import OVERRIDE_PREFIX, Exclusion, Severity
from acupath.planning.enums import NeedleAngle, PlanStatus, Side, Technique
from acupath.planning.models import DEPTH_MM_MAX, TreatmentPlan
from acupath.treatment.consent import session_consent_require
from acupath.treatment.enums import AdverseEventKind, SessionStatus
from acupath.treatment.models import AdverseEvent, SessionPoint, TreatmentSession
from acupath.treatment.selectors import plan_point_level, session_safety_check
from acupath.treatment.services.close_hooks import session_close_steps_run

# Needle-pack lot numbers are recorded for traceability of sterile single-use needles. No
# standard requiring it was verified (clinical reference §5.7), so it is a setting; default: on.
REQUIRE_LOT_DEFAULT = True

GAUGE_RANGE = (Decimal("0.12"), Decimal("0.50"))
LENGTH_RANGE = (7, 125)
RETENTION_RANGE = RETENTION_LIMITS  # 10-60 minutes, as plans
SOAP_MAX = 4000  # characters per SOAP field
EA_HZ_RANGE = (Decimal("0.5"), Decimal("200"))
MAX_NEEDLES_PER_POINT = 20


@dataclass(frozen=True)
class NeedledPoint:
    code: str
    side: str
    count: int = 1
    techniques: tuple[str, ...] = ()  # Technique codes
    depth_mm: int | None = None
    angle: str = ""  # NeedleAngle
    deqi: bool | None = None
    location_note: str = ""
    electro: bool = False
    override_reason: str = ""
    region: str = ""  # where an Ashi (or Jiaji) point is needled, for the region rules


@dataclass(frozen=True)
class NeedleBatch:
    points: tuple[NeedledPoint, ...]
    gauge_mm: Decimal | None = None
    length_mm: int | None = None
    lot: str = ""
    ea_frequency_hz: Decimal | None = None
    ea_intensity: str = ""
    ea_pairs: int | None = None


@dataclass(frozen=True)
class SoapNote:
    subjective: str = ""
    objective: str = ""
    assessment: str = ""
    plan: str = ""


def _audit(actor: Any, session: TreatmentSession, summary: str, via: str, action: AuditAction) -> None:
    audit_record(
        actor=actor,
        action=action,
        entity="treatment_session",
        entity_id=session.public_id,
        patient_id=session.patient.public_id,
        summary=summary,
        via=via,
    )


def _check_pain(field: str, value: int | None) -> None:
    if value is not None and not 0 <= value <= 10:
        raise ServiceError({field: "Pain is a whole number from 0 (none) to 10 (worst imaginable)."})


def _locked(session: TreatmentSession) -> TreatmentSession:
    """Re-read the session under a row lock (PostgreSQL) so concurrent counts cannot interleave."""
    return (
        TreatmentSession.objects.select_for_update(of=("self",))
        .select_related("patient", "plan", "practitioner", "room")
        .get(pk=session.pk)
    )


@transaction.atomic
def session_start(
    *,
    actor: Any,
    patient: Patient,
    practitioner: Practitioner,
    room: Room | None,
    pain_before: int | None,
    plan: TreatmentPlan | None = None,
    planned_minutes: int | None = None,
    at: dt.datetime | None = None,
    via: str = "web",
) -> TreatmentSession:
    """Check the patient in to a room. The plan defaults to the patient's active one."""
    _check_pain("pain_before", pain_before)
    if not practitioner.active:
        raise ServiceError({"practitioner": f"{practitioner} is not an active practitioner."})
    if room is not None and not room.active:
        raise ServiceError({"room": f"{room} is out of use; choose another room."})
    if plan is not None and (plan.patient_id != patient.pk or plan.status != PlanStatus.APPROVED):
        raise ServiceError({"plan": "That plan is not this patient's active plan; leave it empty to use theirs."})
    treatment_gate(patient).ensure_open("Needling")
    session_consent_require(patient)  # as of now, also for a session recorded after the fact
    plan = plan or TreatmentPlan.objects.filter(patient=patient, status=PlanStatus.APPROVED).first()
    minutes = planned_minutes or (plan.retention_minutes if plan else 25)
    low, high = RETENTION_RANGE
    if not low <= minutes <= high:
        raise ServiceError(
            {
                "planned_minutes": f"Needles are usually retained 20-30 minutes; under {low} or over {high} "
                f"is refused: enter {low} to {high}."
            }
        )
    try:
        with transaction.atomic():
            session = TreatmentSession.objects.create(
                patient=patient,
                plan=plan,
                practitioner=practitioner,
                room=room,
                checked_in_at=at or timezone.now(),
                planned_minutes=minutes,
                pain_before=pain_before,
                created_by=actor,
                updated_by=actor,
            )
    except IntegrityError:
        busy = TreatmentSession.objects.filter(status=SessionStatus.OPEN, room=room).exists() if room else False
        what = f"{room} already has a session in progress" if busy else "This patient already has a session open"
        raise Conflict(f"{what}; finish and close it first.") from None
    _audit(actor, session, "started", via, AuditAction.CREATE)
    if pain_before is not None:
        # Pain before each session is the patient's NRS over time: it goes on their outcome chart.
        assessment_record(
            actor=actor,
            patient=patient,
            instrument="nrs",
            answers=pain_before,
            taken_at=session.checked_in_at,
            context="session",
            via=via,
        )
    return session


def _batch_errors(session: TreatmentSession, batch: NeedleBatch, require_lot: bool) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not batch.points:
        errors["points"] = "Name at least one point that was needled."
    for p in batch.points:
        if p.side not in Side.values:
            errors["points"] = f"{p.code}: side must be one of {', '.join(Side.values)}."
        elif not 1 <= p.count <= MAX_NEEDLES_PER_POINT:
            errors["points"] = f"{p.code}: needles per point must be 1 to {MAX_NEEDLES_PER_POINT}."
        elif p.region and p.region not in {r.value for r in BodyRegion}:
            errors["points"] = f"{p.code}: unknown body region '{p.region}'."
        elif len(p.override_reason) > 300:
            errors["points"] = f"{p.code}: keep the reason under 300 characters."
        elif unknown := sorted(set(p.techniques) - set(Technique.values)):
            errors["points"] = (
                f"{p.code}: unknown technique {', '.join(unknown)}; choose from {', '.join(Technique.values)}."
            )
        elif p.depth_mm is not None and not 1 <= p.depth_mm <= DEPTH_MM_MAX:
            errors["points"] = f"{p.code}: depth is in millimetres, 1 to {DEPTH_MM_MAX} (e.g. 15)."
        elif p.angle and p.angle not in NeedleAngle.values:
            errors["points"] = f"{p.code}: angle must be one of {', '.join(NeedleAngle.values)}."
        elif len(p.location_note) > 120:
            errors["points"] = f"{p.code}: keep the location note under 120 characters."
    gauge = batch.gauge_mm or session.needle_gauge_mm
    length = batch.length_mm or session.needle_length_mm
    if gauge is None:
        errors["gauge"] = "Enter the needle gauge (diameter) in mm, e.g. 0.25."
    elif not GAUGE_RANGE[0] <= gauge <= GAUGE_RANGE[1]:
        errors["gauge"] = f"Needle gauge is a diameter of {GAUGE_RANGE[0]} to {GAUGE_RANGE[1]} mm, e.g. 0.25."
    if length is None:
        errors["length_mm"] = "Enter the needle length in mm, e.g. 40."
    elif not LENGTH_RANGE[0] <= length <= LENGTH_RANGE[1]:
        errors["length_mm"] = f"Needle length is {LENGTH_RANGE[0]} to {LENGTH_RANGE[1]} mm."
    lot = (batch.lot or session.needle_lot).strip()
    if require_lot and not lot:
        errors["lot"] = "Enter the lot number printed on the needle pack (for traceability)."
    elif len(lot) > 40:
        errors["lot"] = "A lot number has at most 40 characters."
    errors |= _electro_errors(session, batch)
    return errors


def _electro_errors(session: TreatmentSession, batch: NeedleBatch) -> dict[str, str]:
    wired = sum(p.count for p in batch.points if _electro(p))
    settings_given = batch.ea_frequency_hz is not None or batch.ea_pairs is not None or bool(batch.ea_intensity)
    if not wired:
        return (
            {"ea_pairs": "Tick the points wired for electroacupuncture, or clear its settings."}
            if settings_given
            else {}
        )
    if session.plan is None or not session.plan.electroacupuncture:
        return {"points": "Electroacupuncture is not in this patient's plan: revise the plan first, or needle by hand."}
    errors = {}
    hz = batch.ea_frequency_hz
    if hz is None or not EA_HZ_RANGE[0] <= hz <= EA_HZ_RANGE[1]:
        errors["ea_frequency_hz"] = (
            f"Enter the stimulator frequency in Hz ({EA_HZ_RANGE[0]} to {EA_HZ_RANGE[1]}), e.g. 2."
        )
    if batch.ea_pairs is None or not 1 <= batch.ea_pairs <= min(12, wired // 2):
        errors["ea_pairs"] = f"Electrode pairs: 1 to {max(1, min(12, wired // 2))} (two wired needles per pair)."
    if len(batch.ea_intensity) > 40:
        errors["ea_intensity"] = "Describe the intensity in at most 40 characters, e.g. '2 mA, to tolerance'."
    return errors


def _electro(p: NeedledPoint) -> bool:
    """Wired for electroacupuncture: ticked, or named among the techniques (the same thing)."""
    return p.electro or Technique.ELECTROACUPUNCTURE in p.techniques


def _refusal(e: Exclusion) -> str:
    if e.severity is Severity.CONTRAINDICATION:
        todo = "This cannot be overridden: change it or leave the point out."
    else:
        todo = "A reason is required: give one to go ahead, or change it."
    reason = e.reason.removesuffix(" An override reason is required to keep it.")
    return f"{e.code}: {e.title} ({e.severity.value}): {reason} {todo}"


@transaction.atomic
def session_insert_needles(
    *, actor: Any, session: TreatmentSession, batch: NeedleBatch, at: dt.datetime | None = None, via: str = "web"
) -> TreatmentSession:
    """Record needles going in; the retention timer starts with the first of them.

    Every point is checked against today's safety rules first; any refusal refuses the whole
    batch (nothing is counted), naming each point and rule.
    """
    session = _locked(session)
    if session.status != SessionStatus.OPEN:
        raise Conflict("This session is closed; start a new one.")
    if session.removal_started:
        raise Conflict("Needles are already coming out of this session: close it and start a new one for more.")
    require_lot = getattr(settings, "TREATMENT_REQUIRE_NEEDLE_LOT", REQUIRE_LOT_DEFAULT)
    if errors := _batch_errors(session, batch, require_lot):
        raise ServiceError(errors)
    points = points_in_order([p.code for p in batch.points])
    # What the plan recorded for its points: a caution's override reason carries over to the
    # session (the practitioner decided it when planning); a multi-level point's level is where
    # it is needled unless today's entry says otherwise.
    plan_reasons: dict[str, str] = {}
    plan_levels: dict[str, str] = {}
    plan_depths: dict[str, tuple[int | None, str]] = {}
    planned: set[str] = set()
    if session.plan:
        rows = session.plan.points.values_list(
            "point_id", "override_reason", "level", "location_note", "depth_mm", "angle"
        )
        for point_code, reason, level, note, depth, angle in rows:
            code = str(point_code)  # the foreign key holds the point's code
            planned.add(code)
            if reason:
                plan_reasons.setdefault(code, reason)
            if where := plan_point_level(level, note):
                plan_levels.setdefault(code, where)
            if depth is not None or angle:
                plan_depths.setdefault(code, (depth, angle))
    pairs = list(zip(batch.points, points, strict=True))
    reasons = [p.override_reason.strip() or plan_reasons.get(point.code, "") for p, point in pairs]
    regions = [p.region or plan_levels.get(point.code, "") for p, point in pairs]
    # Depth and angle as planned unless today's entry says otherwise: the rules check them again.
    pairs = [
        (
            replace(
                p,
                depth_mm=p.depth_mm if p.depth_mm is not None else plan_depths.get(point.code, (None, ""))[0],
                angle=p.angle or plan_depths.get(point.code, (None, ""))[1],
            ),
            point,
        )
        for p, point in pairs
    ]
    proposed = [
        ProposedPoint(
            code=point.code,
            side=RuleSide(p.side),
            electro=_electro(p),
            added_by_hand=True,
            override_reason=reason or None,
            region=BodyRegion(region) if region else None,
            depth_mm=p.depth_mm,
            techniques=frozenset(RuleTechnique(t) for t in p.techniques),
            # The lung and spinal-canal rules need the depth actually needled.
            require_depth=True,
        )
        for (p, point), reason, region in zip(pairs, reasons, regions, strict=True)
    ]
    result = session_safety_check(session.patient, proposed)
    if result.excluded:
        raise ServiceError({"points": " ".join(_refusal(e) for e in result.excluded)})
    notes: dict[str, list[str]] = {}
    overridden: set[str] = set()
    for w in result.warnings:
        if w.code is not None:
            notes.setdefault(w.code, []).append(f"{w.title}: {w.message}")
            if w.message.startswith(OVERRIDE_PREFIX):
                overridden.add(w.code)
    SessionPoint.objects.bulk_create(
        SessionPoint(
            session=session,
            point=point,
            side=p.side,
            needles=p.count,
            from_plan=point.code in planned,
            techniques=sorted(set(p.techniques) | ({Technique.ELECTROACUPUNCTURE.value} if p.electro else set())),
            depth_mm=p.depth_mm,
            angle=p.angle,
            deqi=p.deqi,
            location_note=(p.location_note or region)[:120],
            electro=_electro(p),
            # Kept only where a caution was overridden with it, not carried as noise.
            override_reason=reason if point.code in overridden else "",
            safety_notes=notes.get(point.code, []),
        )
        for (p, point), reason, region in zip(pairs, reasons, regions, strict=True)
    )
    inserted = sum(p.count for p in batch.points)
    electro = any(_electro(p) for p in batch.points)
    TreatmentSession.objects.filter(pk=session.pk).update(
        needles_inserted=F("needles_inserted") + inserted,
        # The retention timer starts when the first needle goes in.
        needles_in_at=session.needles_in_at or at or timezone.now(),
        needle_gauge_mm=batch.gauge_mm or session.needle_gauge_mm,
        needle_length_mm=batch.length_mm or session.needle_length_mm,
        needle_lot=(batch.lot or session.needle_lot).strip(),
        ea_frequency_hz=batch.ea_frequency_hz if electro else session.ea_frequency_hz,
        ea_intensity=batch.ea_intensity.strip() if electro else session.ea_intensity,
        ea_pairs=batch.ea_pairs if electro else session.ea_pairs,
        updated_by=actor,
        updated_at=timezone.now(),
    )
    session.refresh_from_db()
    _audit(actor, session, f"{inserted} needles in", via, AuditAction.UPDATE)
    return session


@transaction.atomic
def session_remove_needles(
    *, actor: Any, session: TreatmentSession, count: int, at: dt.datetime | None = None, via: str = "web"
) -> TreatmentSession:
    """Record needles coming out (counted). The first removal stops the retention timer."""
    session = _locked(session)
    if session.status != SessionStatus.OPEN:
        raise Conflict("This session is closed.")
    outstanding = session.needles_in
    if outstanding == 0:
        raise ServiceError({"count": "No needles are recorded as in; nothing to remove."})
    if not 1 <= count <= outstanding:
        raise ServiceError({"count": f"Needles removed must be between 1 and the {outstanding} still in."})
    TreatmentSession.objects.filter(pk=session.pk).update(
        needles_removed=F("needles_removed") + count,
        needles_out_at=session.needles_out_at or at or timezone.now(),
        updated_by=actor,
        updated_at=timezone.now(),
    )
    session.refresh_from_db()
    _audit(actor, session, f"{count} needles out", via, AuditAction.UPDATE)
    return session


def unaccounted_message(session: TreatmentSession) -> str:
    n = session.needles_in
    lost = f", {session.needles_unrecovered} recorded lost" if session.needles_unrecovered else ""
    return (
        f"{n} needle{'s' if n != 1 else ''} unaccounted for: {session.needles_inserted} in, "
        f"{session.needles_removed} out{lost}. Find and remove {'them' if n != 1 else 'it'}, "
        "or record a lost needle as an adverse event, before closing."
    )


@transaction.atomic
def session_close(
    *,
    actor: Any,
    session: TreatmentSession,
    pain_after: int | None,
    contact_minutes: int | None,
    note: str = "",
    soap: SoapNote | None = None,
    at: dt.datetime | None = None,
    via: str = "web",
) -> TreatmentSession:
    """Close the session once every needle is accounted for (removed, or lost with its event)."""
    session = _locked(session)
    if session.status != SessionStatus.OPEN:
        raise Conflict("This session is already closed.")
    if session.needles_in:
        raise Conflict(unaccounted_message(session))
    backed = (
        AdverseEvent.objects.filter(session=session, kind=AdverseEventKind.FORGOTTEN_NEEDLE).aggregate(
            n=Sum("needles")
        )["n"]
        or 0
    )
    if backed != session.needles_unrecovered:  # only a direct database edit could get here
        raise Conflict("The lost-needle count does not match its adverse events; ask the clinic owner to check.")
    _check_pain("pain_after", pain_after)
    if contact_minutes is not None and not 0 <= contact_minutes <= 240:
        raise ServiceError({"contact_minutes": "One-on-one contact minutes must be 0 to 240."})
    soap = soap or SoapNote(plan=note)
    long = {
        name: f"Keep this under {SOAP_MAX} characters (it has {len(text)})."
        for name, text in (
            ("subjective", soap.subjective),
            ("objective", soap.objective),
            ("assessment", soap.assessment),
            ("note", soap.plan or note),
        )
        if len(text) > SOAP_MAX
    }
    if long:
        raise ServiceError(long)
    session.status = SessionStatus.CLOSED
    session.closed_at = at or timezone.now()
    session.pain_after = pain_after
    session.contact_minutes = contact_minutes
    session.subjective = soap.subjective
    session.objective = soap.objective
    session.assessment = soap.assessment
    session.plan_note = soap.plan or note
    session.updated_by = actor
    session.save()
    _audit(actor, session, "closed", via, AuditAction.UPDATE)
    session_close_steps_run(actor=actor, session=session, via=via)  # its appointment: attended
    return session
