"""Reading consultations, open red flags and the patient's pre-visit answers."""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, Prefetch, Subquery

from acupath.core.audit import audit_record
from acupath.core.models import AuditAction
from acupath.intake.domain.red_flags import (
    Alert,
    Urgency,
    advice_for_patient,
    evaluate_red_flags,
    highest_urgency,
    is_cauda_equina,
)
from acupath.intake.enums import PrevisitStatus
from acupath.intake.models import Consultation, PrevisitAnswers, RedFlagReview
from acupath.patients.models import Patient


def consultation_latest(patient: Patient) -> Consultation | None:
    return Consultation.objects.filter(patient=patient).order_by("-consulted_at", "-id").first()


def red_flags_open(consultation: Consultation | None) -> list[Alert]:
    """Positive red flags of a consultation that no practitioner has decided on yet."""
    if consultation is None:
        return []
    decided = {review.flag for review in consultation.red_flag_reviews.all()}
    return [a for a in evaluate_red_flags(consultation.red_flags) if a.flag not in decided]


@dataclass(frozen=True)
class AlertView:
    """A raised flag with the practitioner's decision on it, if any."""

    alert: Alert
    review: RedFlagReview | None


def consultation_alerts(consultation: Consultation) -> list[AlertView]:
    """Every flag raised at a consultation, most urgent first, with its decision (reviews should be
    prefetched: ``consultations_read`` does)."""
    reviews = {review.flag: review for review in consultation.red_flag_reviews.all()}
    return [AlertView(a, reviews.get(a.flag)) for a in evaluate_red_flags(consultation.red_flags)]


def consultations_read(user: Any, patient: Patient, via: str = "web") -> list[Consultation]:
    """The patient's consultations, oldest first, decisions prefetched (2 queries); audited."""
    consultations = list(
        Consultation.objects.filter(patient=patient)
        .select_related("patient")
        .prefetch_related(Prefetch("red_flag_reviews", queryset=RedFlagReview.objects.order_by("id")))
        .order_by("consulted_at", "id")
    )
    audit_record(
        actor=user,
        action=AuditAction.READ,
        entity="consultation",
        patient_id=patient.public_id,
        summary=f"list of {len(consultations)}",
        via=via,
    )
    return consultations


# --- pre-visit answers ---------------------------------------------------------------------------


def previsit_pending(patient: Patient) -> PrevisitAnswers | None:
    """The patient's latest pre-visit answers not yet used in a consultation."""
    return (
        PrevisitAnswers.objects.filter(patient=patient, status=PrevisitStatus.SUBMITTED)
        .order_by("-submitted_at", "-id")
        .first()
    )


def previsit_by_id(patient: Patient, public_id: uuid.UUID | None) -> PrevisitAnswers | None:
    """One of the patient's pre-visit answers by its public id (None when absent or not theirs)."""
    if public_id is None:
        return None
    return PrevisitAnswers.objects.filter(patient=patient, public_id=public_id).first()


def previsit_alerts(previsit: PrevisitAnswers | None) -> list[Alert]:
    """The red flags the patient answered yes to before the visit."""
    return [] if previsit is None else evaluate_red_flags(previsit.red_flags)


# --- a badge per patient for lists (the Today page) ----------------------------------------------


@dataclass(frozen=True)
class FlagBadge:
    urgency: Urgency
    cauda_equina: bool
    from_patient: bool  # raised by the patient's pre-visit answers, not yet seen in a consultation

    @property
    def text(self) -> str:
        if self.cauda_equina:
            return "Red flag: urgent referral, same day"
        if self.urgency is Urgency.EMERGENCY:
            return "Red flag: same-day referral"
        return "Red flag: decision needed"


def red_flag_badges(patient_ids: Iterable[int]) -> dict[int, FlagBadge]:
    """For each patient id with an open red flag (undecided on the latest consultation, or answered
    yes in pre-visit answers not yet used), the badge to show; 3 queries whatever the number."""
    ids = list(set(patient_ids))
    if not ids:
        return {}
    latest = (
        Consultation.objects.filter(patient_id=OuterRef("patient_id")).order_by("-consulted_at", "-id").values("id")[:1]
    )
    consultations = (
        Consultation.objects.filter(patient_id__in=ids, id=Subquery(latest))
        .only("id", "patient_id", "red_flags")
        .prefetch_related(
            Prefetch("red_flag_reviews", queryset=RedFlagReview.objects.only("id", "flag", "consultation_id"))
        )
    )
    open_by_patient: dict[int, tuple[list[Alert], bool]] = {}
    for consultation in consultations:
        if alerts := red_flags_open(consultation):
            open_by_patient[consultation.patient_id] = (alerts, False)
    previsits = (
        PrevisitAnswers.objects.filter(patient_id__in=ids, status=PrevisitStatus.SUBMITTED)
        .only("patient_id", "red_flags")
        .order_by("patient_id", "-submitted_at", "-id")
    )
    seen: set[int] = set()
    for previsit in previsits:
        if previsit.patient_id in seen:
            continue
        seen.add(previsit.patient_id)
        alerts = evaluate_red_flags(previsit.red_flags)
        if alerts:
            earlier, _ = open_by_patient.get(previsit.patient_id, ([], True))
            open_by_patient[previsit.patient_id] = (earlier + alerts, not earlier)
    badges: dict[int, FlagBadge] = {}
    for patient_id, (alerts, from_patient) in open_by_patient.items():
        top = highest_urgency(alerts)
        if top is not None:
            badges[patient_id] = FlagBadge(top, is_cauda_equina(alerts), from_patient)
    return badges


def annotate_red_flags(rows: Iterable[Any], patient_id_attr: str = "patient_id") -> None:
    """Set ``row.red_flag`` (a ``FlagBadge`` or None) on each row of a list, e.g. the day's
    appointments, so a template can show the badge next to the patient's name."""
    listed = list(rows)
    badges = red_flag_badges(getattr(row, patient_id_attr) for row in listed)
    for row in listed:
        row.red_flag = badges.get(getattr(row, patient_id_attr))


@dataclass(frozen=True)
class PrevisitSummary:
    """What the portal's home shows about the pre-visit questionnaire."""

    pending: PrevisitAnswers | None
    alerts: list[Alert]
    advice: str | None
    emergency: bool


def previsit_summary(patient: Patient) -> PrevisitSummary:
    """The patient's unused pre-visit answers and, if they answered yes, what to do now (1 query)."""
    pending = previsit_pending(patient)
    alerts = previsit_alerts(pending)
    return PrevisitSummary(
        pending=pending,
        alerts=alerts,
        advice=advice_for_patient(alerts),
        emergency=any(a.urgency is Urgency.EMERGENCY for a in alerts),
    )
