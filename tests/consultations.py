"""Real consultations for tests, recorded through the intake service: a simple lumbar case by default."""

import datetime as dt

from django.utils import timezone

from acupath.intake.domain.red_flags import screening_questions
from acupath.intake.services import ConsultationInput, History, consultation_record

HISTORY_FIELDS = set(History.__dataclass_fields__)


def onset(weeks: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(weeks=weeks)


def all_no(**answers):
    """Every screening question answered no, but for ``answers`` (True, False or "unsure")."""
    return {q.code: False for q in screening_questions()} | answers


def consult(practitioner, patient, *, weeks: int = 20, previsit=None, **changes):
    """Record a consultation (posture, lumbar, no leg pain, pain 6, began `weeks` ago) with `changes`;
    history fields (pregnant, pacemaker, ...) may be given directly. Every screening question is
    answered no unless ``red_flags`` says otherwise."""
    history = {k: changes.pop(k) for k in list(changes) if k in HISTORY_FIELDS}
    changes["red_flags"] = all_no(**changes.get("red_flags", {}))
    data = {
        "kind": "initial",
        "causes": ("posture",),
        "onset_date": onset(weeks),
        "region": "lumbar",
        "leg_pain": "none",
        "pain_now": 6,
    } | changes
    return consultation_record(
        actor=practitioner.user,
        patient=patient,
        practitioner=practitioner,
        data=ConsultationInput(history=History(**history), **data),
        previsit=previsit,
    )
