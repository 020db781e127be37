"""Recording consultations and red-flag decisions."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from acupath.clinic.models import Practitioner
from acupath.core.audit import audit_record
from acupath.core.errors import ServiceError
from acupath.core.models import AuditAction
from acupath.intake.domain.duration import duration_class
from acupath.intake.domain.patterns import load_patterns
from acupath.intake.domain.red_flags import evaluate_red_flags
from acupath.intake.enums import BackRegion, Cause, ConsultationKind, LegPain, RedFlagDecision
from acupath.intake.models import Consultation, RedFlagReview
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
        errors["pattern"] = f"Unknown TCM pattern '{data.pattern}'."
    weeks = data.history.pregnancy_weeks
    if weeks is not None and not data.history.pregnant:
        errors["pregnancy_weeks"] = "Weeks of pregnancy are given but 'pregnant' is not ticked."
    if weeks is not None and not 0 <= weeks <= 45:
        errors["pregnancy_weeks"] = "Weeks of pregnancy must be between 0 and 45."
    try:
        evaluate_red_flags(data.red_flags)
    except ValueError as exc:
        errors["red_flags"] = str(exc)
    return errors


@transaction.atomic
def consultation_record(
    *,
    actor: Any,
    patient: Patient,
    practitioner: Practitioner | None,
    data: ConsultationInput,
    via: str = "web",
) -> Consultation:
    at = data.consulted_at or timezone.now()
    today = timezone.localdate(at)
    if errors := consultation_errors(data, today):
        raise ServiceError(errors)
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
        red_flags={code: bool(answer) for code, answer in data.red_flags.items()},
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
    # The pain reported at consultation is the NRS baseline the outcomes are judged against.
    assessment_record(
        actor=actor,
        patient=patient,
        instrument="nrs",
        answers=data.pain_now,
        taken_at=at,
        context="consultation",
        via=via,
    )
    return consultation


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
    if not consultation.red_flags.get(flag):
        raise ServiceError({"flag": f"'{flag}' was not raised at this consultation."})
    if decision not in RedFlagDecision.values:
        raise ServiceError({"decision": f"Choose one of: {', '.join(RedFlagDecision.values)}."})
    if not reason.strip():
        raise ServiceError({"reason": "Give the reason for the decision; it is part of the clinical record."})
    review, _ = RedFlagReview.objects.update_or_create(
        consultation=consultation,
        flag=flag,
        defaults={"decision": decision, "reason": reason.strip(), "created_by": actor},
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        entity="red_flag_review",
        entity_id=review.public_id,
        patient_id=consultation.patient.public_id,
        summary=f"{flag}: {decision}",
        via=via,
    )
    return review
