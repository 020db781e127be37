"""Recording consultations, the patient's pre-visit answers and red-flag decisions."""

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from acupath.clinic.models import Practitioner
from acupath.core.audit import audit_record
from acupath.core.errors import ServiceError
from acupath.core.models import AuditAction
from acupath.intake.domain.duration import duration_class
from acupath.intake.domain.patterns import load_patterns
from acupath.intake.domain.red_flags import evaluate_red_flags, screening_questions
from acupath.intake.enums import (
    BackRegion,
    Cause,
    ConsultationKind,
    LegPain,
    PrevisitStatus,
    RedFlagDecision,
    SkinSite,
)
from acupath.intake.models import Consultation, PrevisitAnswers, RedFlagReview
from acupath.measures.services import assessment_record
from acupath.patients.models import Patient


@dataclass(frozen=True)
class History:
    pregnant: bool = False
    pregnancy_weeks: int | None = None
    anticoagulant: bool = False
    bleeding_disorder: bool = False
    pacemaker: bool = False
    diabetes: bool = False
    needle_fear: bool = False
    skin_lesion_sites: tuple[str, ...] = ()
    conditions: str = ""
    surgeries: str = ""
    medications: str = ""
    allergies: str = ""


@dataclass(frozen=True)
class Lifestyle:
    work_posture: str = ""
    activity_level: str = ""
    sleep: str = ""
    stress: str = ""


@dataclass(frozen=True)
class ConsultationInput:
    kind: str
    causes: tuple[str, ...]
    onset_date: dt.date
    region: str
    leg_pain: str
    pain_now: int
    pattern: str = ""
    history: History = field(default_factory=History)
    lifestyle: Lifestyle = field(default_factory=Lifestyle)
    red_flags: dict[str, bool] = field(default_factory=dict)
    worse_with: str = ""
    better_with: str = ""
    tongue: str = ""
    pulse: str = ""
    notes: str = ""
    consulted_at: dt.datetime | None = None


def _history_errors(h: History) -> dict[str, str]:
    errors: dict[str, str] = {}
    weeks = h.pregnancy_weeks
    if weeks is not None and not h.pregnant:
        errors["pregnancy_weeks"] = "Weeks of pregnancy are given but 'pregnant' is not ticked."
    if weeks is not None and not 0 <= weeks <= 45:
        errors["pregnancy_weeks"] = "Weeks of pregnancy must be between 0 and 45."
    unknown_sites = sorted(set(h.skin_lesion_sites) - set(SkinSite.values))
    if unknown_sites:
        errors["skin_lesion_sites"] = (
            f"Unknown body site {', '.join(unknown_sites)}; choose from {', '.join(SkinSite.values)}."
        )
    return errors


def _red_flag_errors(answers: dict[str, bool]) -> dict[str, str]:
    try:
        evaluate_red_flags(answers)
    except (ValueError, TypeError) as exc:
        return {"red_flags": f"{exc}. Known codes: {', '.join(q.code for q in screening_questions())}."}
    return {}


def consultation_errors(data: ConsultationInput, today: dt.date) -> dict[str, str]:
    errors: dict[str, str] = {}
    if data.kind not in ConsultationKind.values:
        errors["kind"] = f"Choose one of: {', '.join(ConsultationKind.values)}."
    unknown = sorted(set(data.causes) - set(Cause.values))
    if unknown:
        errors["causes"] = f"Unknown cause {', '.join(unknown)}; choose from {', '.join(Cause.values)}."
    elif not data.causes:
        errors["causes"] = "Tick at least one cause of the back pain."
    if data.onset_date > today:
        errors["onset_date"] = "The pain cannot start in the future; check the onset date."
    if data.region not in BackRegion.values:
        errors["region"] = f"Choose one of: {', '.join(BackRegion.values)}."
    if data.leg_pain not in LegPain.values:
        errors["leg_pain"] = f"Choose one of: {', '.join(LegPain.values)}."
    if not 0 <= data.pain_now <= 10:
        errors["pain_now"] = "Pain now is a whole number from 0 (no pain) to 10 (worst imaginable)."
    if data.pattern and data.pattern not in {p.code for p in load_patterns()}:
        errors["pattern"] = (
            f"Unknown TCM pattern '{data.pattern}'; choose one of {', '.join(p.code for p in load_patterns())}."
        )
    return errors | _history_errors(data.history) | _red_flag_errors(data.red_flags)


@transaction.atomic
def consultation_record(
    *,
    actor: Any,
    patient: Patient,
    practitioner: Practitioner | None,
    data: ConsultationInput,
    previsit: PrevisitAnswers | None = None,
    via: str = "web",
) -> Consultation:
    """Record a consultation, its NRS baseline, and mark the pre-visit answers it started from used."""
    at = data.consulted_at or timezone.now()
    today = timezone.localdate(at)
    if errors := consultation_errors(data, today):
        raise ServiceError(errors)
    if previsit is not None and previsit.patient_id != patient.id:
        raise ServiceError({"previsit": "These pre-visit answers belong to another patient."})
    h, life = data.history, data.lifestyle
    consultation = Consultation.objects.create(
        patient=patient,
        practitioner=practitioner,
        kind=data.kind,
        consulted_at=at,
        causes=sorted(set(data.causes)),
        onset_date=data.onset_date,
        duration_class=duration_class(data.onset_date, today).value,
        region=data.region,
        leg_pain=data.leg_pain,
        pain_now=data.pain_now,
        worse_with=data.worse_with,
        better_with=data.better_with,
        conditions=h.conditions,
        surgeries=h.surgeries,
        medications=h.medications,
        anticoagulant=h.anticoagulant,
        bleeding_disorder=h.bleeding_disorder,
        pregnant=h.pregnant,
        pregnancy_weeks=h.pregnancy_weeks,
        pacemaker=h.pacemaker,
        diabetes=h.diabetes,
        needle_fear=h.needle_fear,
        skin_lesion_sites=sorted(set(h.skin_lesion_sites)),
        allergies=h.allergies,
        work_posture=life.work_posture,
        activity_level=life.activity_level,
        sleep=life.sleep,
        stress=life.stress,
        red_flags={code: bool(answer) for code, answer in data.red_flags.items() if answer is not None},
        pattern=data.pattern,
        tongue=data.tongue,
        pulse=data.pulse,
        notes=data.notes,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        entity="consultation",
        entity_id=consultation.public_id,
        patient_id=patient.public_id,
        via=via,
    )
    # The pain reported at consultation is the NRS baseline the outcomes are judged against; an
    # initial consultation opens a new episode of care, so every instrument gets a new baseline.
    assessment_record(
        actor=actor,
        patient=patient,
        instrument="nrs",
        answers=data.pain_now,
        taken_at=at,
        context="consultation",
        starts_episode=data.kind == ConsultationKind.INITIAL,
        via=via,
    )
    if previsit is not None:
        _previsit_use(actor, previsit, consultation, via)
    return consultation


def _previsit_use(actor: Any, previsit: PrevisitAnswers, consultation: Consultation, via: str) -> None:
    # Conditional update: if two practitioners save at once, only one marks it used.
    used = PrevisitAnswers.objects.filter(pk=previsit.pk, status=PrevisitStatus.SUBMITTED).update(
        status=PrevisitStatus.USED,
        consultation=consultation,
        updated_by=actor if getattr(actor, "is_authenticated", False) else None,
        updated_at=timezone.now(),
    )
    if used:
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            entity="previsit_answers",
            entity_id=previsit.public_id,
            patient_id=consultation.patient.public_id,
            summary="used in consultation",
            via=via,
        )


# --- the patient's answers before the visit -----------------------------------------------------


@dataclass(frozen=True)
class PrevisitInput:
    """What the patient tells us before the visit. Everything about the back is optional (a
    patient may not know), but every red-flag question needs a yes or a no."""

    causes: tuple[str, ...] = ()
    onset_date: dt.date | None = None
    region: str = ""
    leg_pain: str = ""
    pain_now: int | None = None
    worse_with: str = ""
    better_with: str = ""
    history: History = field(default_factory=History)
    lifestyle: Lifestyle = field(default_factory=Lifestyle)
    red_flags: dict[str, bool] = field(default_factory=dict)


def previsit_errors(data: PrevisitInput, today: dt.date) -> dict[str, str]:
    errors: dict[str, str] = {}
    unknown = sorted(set(data.causes) - set(Cause.values))
    if unknown:
        errors["causes"] = f"Unknown cause {', '.join(unknown)}; choose from {', '.join(Cause.values)}."
    if data.onset_date is not None and data.onset_date > today:
        errors["onset_date"] = "The date the pain started cannot be in the future; check the date."
    if data.region and data.region not in BackRegion.values:
        errors["region"] = f"Choose one of: {', '.join(BackRegion.values)}."
    if data.leg_pain and data.leg_pain not in LegPain.values:
        errors["leg_pain"] = f"Choose one of: {', '.join(LegPain.values)}."
    if data.pain_now is not None and not 0 <= data.pain_now <= 10:
        errors["pain_now"] = "Your pain now is a whole number from 0 (no pain) to 10 (worst imaginable)."
    errors |= _history_errors(data.history) | _red_flag_errors(data.red_flags)
    if "red_flags" not in errors:
        missing = [q for q in screening_questions() if data.red_flags.get(q.code) is None]
        if missing:
            numbers = ", ".join(str(q.number) for q in missing)
            errors["red_flags"] = f"Please answer yes or no to every safety question (not answered: {numbers})."
    return errors


def previsit_as_json(data: PrevisitInput) -> dict[str, Any]:
    """The answers under the consultation form's own field names (so pre-filling is a copy)."""
    history = asdict(data.history)
    history["skin_lesion_sites"] = sorted(set(data.history.skin_lesion_sites))
    return {
        "causes": sorted(set(data.causes)),
        "onset_date": data.onset_date.isoformat() if data.onset_date else None,
        "region": data.region,
        "leg_pain": data.leg_pain,
        "pain_now": data.pain_now,
        "worse_with": data.worse_with,
        "better_with": data.better_with,
        **history,
        **asdict(data.lifestyle),
    }


@transaction.atomic
def previsit_submit(*, actor: Any, patient: Patient, data: PrevisitInput, via: str = "web") -> PrevisitAnswers:
    """Store the patient's pre-visit answers; an earlier submission not yet used is replaced."""
    now = timezone.now()
    if errors := previsit_errors(data, timezone.localdate(now)):
        raise ServiceError(errors)
    who = actor if getattr(actor, "is_authenticated", False) else None
    PrevisitAnswers.objects.filter(patient=patient, status=PrevisitStatus.SUBMITTED).update(
        status=PrevisitStatus.REPLACED, updated_by=who, updated_at=now
    )
    previsit = PrevisitAnswers.objects.create(
        patient=patient,
        submitted_at=now,
        answers=previsit_as_json(data),
        red_flags={code: bool(answer) for code, answer in data.red_flags.items()},
        created_by=who,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        entity="previsit_answers",
        entity_id=previsit.public_id,
        patient_id=patient.public_id,
        via=via,
    )
    return previsit


# --- red-flag decisions --------------------------------------------------------------------------


@transaction.atomic
def red_flag_decide(
    *,
    actor: Any,
    consultation: Consultation,
    flag: str,
    decision: str,
    reason: str,
    via: str = "web",
) -> RedFlagReview:
    """Record the practitioner's decision on a flag raised at a consultation (a later decision on
    the same flag replaces the earlier one; both are in the audit trail)."""
    if not consultation.red_flags.get(flag):
        raised = [code for code, answer in consultation.red_flags.items() if answer]
        hint = f" Raised here: {', '.join(raised)}." if raised else " No flag was raised at this consultation."
        raise ServiceError({"flag": f"'{flag}' was not raised at this consultation.{hint}"})
    if decision not in RedFlagDecision.values:
        raise ServiceError({"decision": f"Choose one of: {', '.join(RedFlagDecision.values)}."})
    if not reason.strip():
        raise ServiceError({"reason": "Give the reason for the decision; it is part of the clinical record."})
    existing = RedFlagReview.objects.select_for_update().filter(consultation=consultation, flag=flag).first()
    if existing is None:
        review = RedFlagReview.objects.create(
            consultation=consultation, flag=flag, decision=decision, reason=reason.strip(), created_by=actor
        )
        action = AuditAction.CREATE
    else:
        existing.decision, existing.reason, existing.updated_by = decision, reason.strip(), actor
        existing.save(update_fields=["decision", "reason", "updated_by", "updated_at"])
        review, action = existing, AuditAction.UPDATE
    audit_record(
        actor=actor,
        action=action,
        entity="red_flag_review",
        entity_id=review.public_id,
        patient_id=consultation.patient.public_id,
        summary=f"{flag}: {decision}",
        via=via,
    )
    return review
