"""Reading consultations, open red flags and the patient's pre-visit answers."""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from acupath.core.audit import audit_record
from acupath.core.errors import Conflict
from acupath.core.models import AuditAction
from acupath.intake.domain.red_flags import (
    Alert,
    Urgency,
    advice_for_patient,
    evaluate_red_flags,
    is_cauda_equina,
    load_red_flags,
)
from acupath.intake.domain.referrals import Screen, current_episode, open_alerts
from acupath.intake.enums import ConsultationKind, PrevisitStatus, ReferralOutcome
from acupath.intake.models import Consultation, PrevisitAnswers, RedFlagReview, Referral
from acupath.patients.models import Patient


def consultation_latest(patient: Patient) -> Consultation | None:
    return Consultation.objects.filter(patient=patient).order_by("-consulted_at", "-id").first()


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


def episode_alerts(consultation: Consultation) -> list[AlertView]:
    """Every flag raised in the consultation's episode (up to it), at the most urgent tier reached,
    with the latest decision recorded on it in the episode; 2 queries."""
    episode = consultation_episode(consultation)
    decisions: dict[str, RedFlagReview] = {}
    screens = []
    for c in episode:
        for review in c.red_flag_reviews.all():
            decisions[review.flag] = review
        screens.append(Screen(c.kind, c.red_flags, {}))
    worst = {a.flag: a for a in open_alerts(screens)}
    return [AlertView(a, decisions.get(a.flag)) for a in sorted(worst.values(), key=lambda a: a.urgency.rank)]


def consultations_read(user: Any, patient: Patient, via: str = "web") -> list[Consultation]:
    """The patient's consultations, oldest first, decisions prefetched (2 queries); audited."""
    consultations = list(
        Consultation.objects.filter(patient=patient)
        .select_related("patient")
        .prefetch_related(
            Prefetch(
                "red_flag_reviews", queryset=RedFlagReview.objects.select_related("referral__patient").order_by("id")
            )
        )
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
    referral: bool = False  # treatment waits for a referral's outcome

    @property
    def text(self) -> str:
        if self.cauda_equina:
            return "Red flag: urgent referral, same day"
        if self.urgency is Urgency.EMERGENCY:
            return "Red flag: same-day referral"
        if self.referral:
            return "Referral: waiting for the outcome"
        return "Red flag: decision needed"


def red_flag_badges(patient_ids: Iterable[int]) -> dict[int, FlagBadge]:
    """For each patient id held back by the treatment gate (an open flag in the current episode, a
    referral without a clearing outcome) or with a yes in pre-visit answers not yet used, the badge
    to show; 4 queries whatever the number."""
    ids = list(set(patient_ids))
    if not ids:
        return {}
    gates = treatment_gates(ids)
    previsits = (
        PrevisitAnswers.objects.filter(patient_id__in=ids, status=PrevisitStatus.SUBMITTED)
        .only("patient_id", "red_flags")
        .order_by("patient_id", "-submitted_at", "-id")
    )
    from_patient: dict[int, list[Alert]] = {}
    for previsit in previsits:
        from_patient.setdefault(previsit.patient_id, evaluate_red_flags(previsit.red_flags))
    badges: dict[int, FlagBadge] = {}
    for patient_id in ids:
        gate = gates[patient_id]
        told = from_patient.get(patient_id, [])
        alerts = [*gate.open_alerts, *told]
        tiers = [a.urgency for a in alerts] + [Urgency(r.tier) for r in gate.referrals]
        if not tiers:
            continue
        top = min(tiers, key=lambda u: u.rank)
        only_patient = bool(told) and not gate.blocked
        badges[patient_id] = FlagBadge(top, is_cauda_equina(alerts), only_patient, bool(gate.referrals))
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


# --- what holds treatment back: one gate for every route -----------------------------------------


def consultation_episode(consultation: Consultation) -> list[Consultation]:
    """The consultations of this consultation's episode up to it, oldest first, reviews prefetched
    (2 queries). The episode is the back problem: from the latest initial consultation on."""
    earlier = list(
        Consultation.objects.filter(patient_id=consultation.patient_id, consulted_at__lte=consultation.consulted_at)
        .only("id", "patient_id", "kind", "consulted_at", "red_flags")
        .prefetch_related(Prefetch("red_flag_reviews", queryset=RedFlagReview.objects.order_by("id")))
        .order_by("consulted_at", "id")
    )
    upto = [c for c in earlier if (c.consulted_at, c.id) <= (consultation.consulted_at, consultation.id)]
    starts = [i for i, c in enumerate(upto) if c.kind == ConsultationKind.INITIAL]
    return upto[starts[-1] :] if starts else upto


def flag_title(code: str) -> str:
    try:
        return load_red_flags().flag(code).title
    except KeyError:
        return code


def referral_findings(referral: Referral) -> str:
    return "; ".join(flag_title(code) for code in referral.flags)


@dataclass(frozen=True)
class TreatmentGate:
    """What holds planning and needling back for a patient: red flags of the current episode with no
    adequate decision, and referrals at the emergency or urgent tier without a clearing outcome."""

    consultation: Consultation | None  # the latest one: where a decision on an open flag is recorded
    open_alerts: list[Alert]
    referrals: list[Referral]  # blocking ones, oldest first

    @property
    def blocked(self) -> bool:
        return bool(self.open_alerts or self.referrals)

    @property
    def flags(self) -> tuple[str, ...]:
        """The codes holding treatment back (machine field)."""
        codes = [a.flag for a in self.open_alerts]
        codes += [code for r in self.referrals for code in r.flags if code not in codes]
        return tuple(codes)

    @property
    def code(self) -> str:
        if any(r.outcome == ReferralOutcome.CONFIRMED for r in self.referrals):
            return "referral_confirmed"
        if self.referrals:
            return "referral_outcome_needed"
        return "red_flags_undecided" if self.open_alerts else ""

    def messages(self) -> list[str]:
        """Each reason in the clinic's words, with what to do next."""
        lines = [_referral_message(r) for r in self.referrals]
        if self.open_alerts:
            listed = "; ".join(f"{a.title} ({a.urgency.label})" for a in self.open_alerts)
            lines.append(
                f"Red flags need a decision first: {listed}. Record a decision on each on the "
                "consultation's red-flag page (refer, or for lower tiers give the reason it is not relevant)."
            )
        return lines

    @property
    def message(self) -> str:
        return " ".join(self.messages())

    def conflict(self, what: str) -> Conflict:
        """The 409 to answer when ``what`` (e.g. "Planning", "Needling") is refused."""
        return Conflict(
            f"{what} is stopped. {self.message}",
            code=self.code,
            data={
                "blocked_by": {
                    "red_flags": [a.flag for a in self.open_alerts],
                    "referrals": [
                        {"id": str(r.public_id), "tier": r.tier, "outcome": r.outcome or None, "flags": list(r.flags)}
                        for r in self.referrals
                    ],
                }
            },
        )

    def ensure_open(self, what: str) -> None:
        if self.blocked:
            raise self.conflict(what)


def _referral_message(r: Referral) -> str:
    made = (
        f"the {r.get_tier_display().lower()} referral to the {r.get_destination_display()} "
        f"made on {timezone.localtime(r.created_at):%d %b %Y}"
    )
    findings = referral_findings(r)
    if r.outcome == ReferralOutcome.CONFIRMED:
        return (
            f"The assessment after {made} ({findings}) confirmed a serious cause: no acupuncture for this back "
            "problem. Planning and needling stay stopped; follow the medical team's plan."
        )
    if r.outcome == ReferralOutcome.NOT_ATTENDED:
        return (
            f"The patient has not attended {made} ({findings}). Planning and needling stay stopped until they are "
            "assessed and the outcome is recorded as cleared; contact the patient today."
        )
    return (
        f"Treatment waits for the outcome of {made} ({findings}). Record the outcome once the patient has been "
        "assessed; only 'cleared' reopens planning."
    )


def treatment_gates(patient_ids: Iterable[int]) -> dict[int, TreatmentGate]:
    """The gate of each patient (3 queries whatever the number of patients or consultations)."""
    ids = sorted(set(patient_ids))
    if not ids:
        return {}
    consultations = (
        Consultation.objects.filter(patient_id__in=ids)
        .only("id", "public_id", "patient_id", "kind", "consulted_at", "red_flags")
        .prefetch_related(
            Prefetch(
                "red_flag_reviews", queryset=RedFlagReview.objects.only("id", "flag", "decision", "consultation_id")
            )
        )
        .order_by("patient_id", "consulted_at", "id")
    )
    by_patient: dict[int, list[Consultation]] = {}
    for c in consultations:
        by_patient.setdefault(c.patient_id, []).append(c)
    referrals: dict[int, list[Referral]] = {}
    for r in (
        Referral.objects.select_related("consultation")
        .filter(patient_id__in=ids, tier__in=BLOCKING_TIERS)
        .exclude(outcome=ReferralOutcome.CLEARED)
        .order_by("created_at", "id")
    ):
        referrals.setdefault(r.patient_id, []).append(r)
    gates: dict[int, TreatmentGate] = {}
    for patient_id in ids:
        listed = by_patient.get(patient_id, [])
        screens = [
            Screen(c.kind, c.red_flags, {rv.flag: rv.decision for rv in c.red_flag_reviews.all()}) for c in listed
        ]
        gates[patient_id] = TreatmentGate(
            consultation=listed[-1] if listed else None,
            open_alerts=open_alerts(current_episode(screens)),
            referrals=referrals.get(patient_id, []),
        )
    return gates


def treatment_gate(patient: Patient) -> TreatmentGate:
    """What holds planning and needling back for this patient (3 queries). Every route that drafts
    or saves a plan or starts a session asks this."""
    return treatment_gates([patient.pk])[patient.pk]


BLOCKING_TIERS = tuple(t.value for t in Urgency if t.blocks_until_cleared)


def referral_read(user: Any, referral: Referral, via: str = "web") -> Referral:
    """A referral, read as part of the patient's record (audited)."""
    audit_record(
        actor=user,
        action=AuditAction.READ,
        entity="referral",
        entity_id=referral.public_id,
        patient_id=referral.patient.public_id,
        via=via,
    )
    return referral


def referrals_of(consultation: Consultation) -> list[Referral]:
    """The referrals made in this consultation's back problem or still waiting, newest first (1 query)."""
    return list(
        Referral.objects.filter(patient_id=consultation.patient_id)
        .select_related("patient")
        .order_by("-created_at", "-id")
    )
