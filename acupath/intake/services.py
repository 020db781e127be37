"""Recording consultations, the patient's pre-visit answers and red-flag decisions."""

import datetime as dt
from collections.abc import Mapping
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
from acupath.intake.domain.red_flags import (
    UNSURE,
    Answer,
    computed_flags,
    evaluate_red_flags,
    load_red_flags,
    missing_answers,
    screening_questions,
)
from acupath.intake.enums import (
    BackRegion,
    Cause,
    ConsultationKind,
    LegPain,
    PrevisitStatus,
    SkinSite,
)
from acupath.intake.models import Consultation, PrevisitAnswers
from acupath.measures.baseline import baseline_errors, baseline_set_record
from acupath.measures.services import assessment_record
from acupath.patients.models import Patient

HISTORY_TEXT_MAX = 2000  # conditions, surgeries, medications: a summary, not a whole letter


@dataclass(frozen=True)
class History:
    pregnant: bool = False
    pregnancy_weeks: int | None = None
    anticoagulant: bool = False
    bleeding_disorder: bool = False
    pacemaker: bool = False
    diabetes: bool = False
    needle_fear: bool = False
    peripheral_neuropathy: bool = False
    metal_allergy: bool = False
    epilepsy: bool = False
    immunosuppressed: bool = False
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
    red_flags: dict[str, Answer] = field(default_factory=dict)  # yes (True), no (False) or "unsure"
    worse_with: str = ""
    better_with: str = ""
    tongue: str = ""
    pulse: str = ""
    notes: str = ""
    consulted_at: dt.datetime | None = None
    # Why a question the patient answered yes before the visit is now answered no (code -> text)
    red_flag_clarifications: dict[str, str] = field(default_factory=dict)
    # The baseline questionnaires taken with the consultation, {instrument: answers} (the
    # clinic's function measure and STarT Back at an initial consultation; measures.baseline).
    baseline: dict[str, Any] = field(default_factory=dict)


CLARIFICATION_MAX = 500
NOTES_MAX = 4000
HISTORY_TEXT_MAX = 2000


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
    for name in ("conditions", "surgeries", "medications"):
        if len(getattr(h, name)) > HISTORY_TEXT_MAX:
            errors[name] = f"Keep {name} under {HISTORY_TEXT_MAX} characters; summarise or attach a letter instead."
    if len(h.allergies) > 300:
        errors["allergies"] = "Keep allergies under 300 characters."
    return errors


def _red_flag_errors(answers: Mapping[str, Answer]) -> dict[str, str]:
    try:
        evaluate_red_flags(answers)
    except (ValueError, TypeError) as exc:
        return {"red_flags": f"{exc}. Known codes: {', '.join(q.code for q in screening_questions())}."}
    computed = sorted(code for code in answers if load_red_flags().flag(code).computed)
    if computed:
        return {
            "red_flags": (
                f"{', '.join(computed)}: worked out from the birth date, not asked; leave it out of the answers."
            )
        }
    return {}


def _missing_message(codes: list[str]) -> str:
    numbers = {q.code: q.number for q in screening_questions()}
    listed = ", ".join(f"{numbers[c]} ({c})" for c in codes)
    return (
        f"Answer every screening question with yes, no or unsure before saving; not answered yet: {listed}. "
        "If the patient is not sure, record 'unsure' (it counts as yes)."
    )


def _text_errors(data: ConsultationInput) -> dict[str, str]:
    errors: dict[str, str] = {}
    if len(data.notes) > NOTES_MAX:
        errors["notes"] = f"Keep the notes under {NOTES_MAX} characters."
    for name in ("conditions", "surgeries", "medications"):
        if len(getattr(data.history, name)) > HISTORY_TEXT_MAX:
            errors[name] = f"Keep this under {HISTORY_TEXT_MAX} characters."
    return errors


def clarifications_needed(previsit_yes: frozenset[str], data: ConsultationInput) -> dict[str, str]:
    """For each question the patient answered yes before the visit and the practitioner now answers
    no without a clarification, what to do."""
    errors: dict[str, str] = {}
    for code in sorted(previsit_yes):
        if data.red_flags.get(code) is False:
            text = data.red_flag_clarifications.get(code, "").strip()
            if not text:
                errors[f"clarify_{code}"] = (
                    "The patient answered yes to this before the visit: to record no, write what you clarified "
                    "with them (e.g. 'the leak was a one-off cough, none since')."
                )
            elif len(text) > CLARIFICATION_MAX:
                errors[f"clarify_{code}"] = f"Keep the clarification under {CLARIFICATION_MAX} characters."
    return errors


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
    return (
        errors
        | _history_errors(data.history)
        | _red_flag_errors(data.red_flags)
        | _text_errors(data)
        | baseline_errors(data.baseline)
    )


def _stored_answers(answers: dict[str, Answer], computed: dict[str, str]) -> dict[str, Answer]:
    stored: dict[str, Answer] = {}
    for code, answer in answers.items():
        if answer is not None:
            stored[code] = "unsure" if answer == UNSURE else bool(answer)
    return stored | dict.fromkeys(computed, True)


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
    errors = consultation_errors(data, today)
    missing = missing_answers(data.red_flags) if "red_flags" not in errors else []
    if missing:
        errors["red_flags"] = _missing_message(missing)
    if previsit is not None and previsit.patient_id != patient.id:
        errors["previsit"] = "These pre-visit answers belong to another patient."
    # A patient's yes before the visit stands unless a clarification is recorded, whichever route
    # the consultation comes by (the page passes the answers it started from; the API does not).
    told = previsit if previsit is not None else _pending_previsit(patient)
    previsit_yes = frozenset(code for code, answer in (told.red_flags if told else {}).items() if answer)
    errors |= clarifications_needed(previsit_yes, data)
    if errors:
        raise ServiceError(errors, data={"missing_red_flags": missing} if missing else None)
    computed = computed_flags(patient.birth_date, today)
    clarified = {
        code: data.red_flag_clarifications[code].strip()
        for code in sorted(previsit_yes)
        if data.red_flags.get(code) is False
    }
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
        peripheral_neuropathy=h.peripheral_neuropathy,
        metal_allergy=h.metal_allergy,
        epilepsy=h.epilepsy,
        immunosuppressed=h.immunosuppressed,
        skin_lesion_sites=sorted(set(h.skin_lesion_sites)),
        allergies=h.allergies,
        work_posture=life.work_posture,
        activity_level=life.activity_level,
        sleep=life.sleep,
        stress=life.stress,
        red_flags=_stored_answers(data.red_flags, computed),
        red_flag_reasons=computed,
        red_flag_clarifications=clarified,
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
    for code in clarified:
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            entity="consultation",
            entity_id=consultation.public_id,
            patient_id=patient.public_id,
            summary=f"pre-visit yes to {code} changed to no, with a clarification",
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
    if data.baseline:
        baseline_set_record(actor=actor, patient=patient, at=at, baseline=data.baseline, via=via)
    if told is not None:
        _previsit_use(actor, told, consultation, via)
    return consultation


def _pending_previsit(patient: Patient) -> PrevisitAnswers | None:
    return (
        PrevisitAnswers.objects.filter(patient=patient, status=PrevisitStatus.SUBMITTED)
        .order_by("-submitted_at", "-id")
        .first()
    )


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


# --- red-flag decisions live in screening.py (re-exported for callers of this module) ---------------

from acupath.intake.screening import red_flag_decide as red_flag_decide  # noqa: E402
