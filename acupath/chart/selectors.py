"""The patient chart: one read that composes every app's view of a patient.

The number of queries is fixed (recent items are capped), whatever the history size.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from acupath.accounts.permissions import Capability, can
from acupath.chart.safety import SafetySummary, safety_summary
from acupath.intake.domain.red_flags import Alert
from acupath.intake.models import Consultation
from acupath.intake.selectors import TreatmentGate, treatment_gate
from acupath.measures.selectors import OutcomeChart, outcome_charts
from acupath.patients.models import Patient, PatientMerge
from acupath.patients.selectors import DuplicateCandidate, patient_audited_read, patient_duplicates, patient_merges
from acupath.patients.services import PatientDetails
from acupath.planning.enums import PlanStatus
from acupath.planning.models import PlanPoint, TreatmentPlan
from acupath.scheduling.models import Appointment
from acupath.treatment.consent import SessionConsent, session_consent
from acupath.treatment.models import SessionPoint, TreatmentSession
from acupath.treatment.selectors import PatientTreatment, patient_treatment_summary

RECENT = 10


@dataclass
class PatientChart:
    patient: Patient
    clinical: bool
    alerts: list[Alert] = field(default_factory=list)
    gate: TreatmentGate | None = None
    consultations: list[Consultation] = field(default_factory=list)
    plan: TreatmentPlan | None = None
    sessions: list[TreatmentSession] = field(default_factory=list)
    upcoming: list[Appointment] = field(default_factory=list)
    outcomes: list[OutcomeChart] = field(default_factory=list)
    treatment: PatientTreatment | None = None
    consent: SessionConsent | None = None
    safety: SafetySummary | None = None
    merges: list[PatientMerge] = field(default_factory=list)  # into this record (shown to who may merge)
    duplicates: list[DuplicateCandidate] = field(default_factory=list)  # when flagged by online booking


def _age(born: dt.date, today: dt.date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def patient_chart(user: Any, patient: Patient) -> PatientChart:
    clinical = can(user, Capability.VIEW_CLINICAL)
    chart = PatientChart(patient=patient, clinical=clinical)
    chart.upcoming = list(
        Appointment.objects.filter(patient=patient, start__gte=timezone.now() - dt.timedelta(hours=2))
        .select_related("practitioner", "room", "type")
        .order_by("start")[:RECENT]
    )
    patient_audited_read(user, patient, entity="patient_chart" if clinical else "patient_demographics")
    # Shown to the front desk too: they hand over the tablet for signing.
    chart.consent = session_consent(patient)
    if patient.duplicate_suspected:
        chart.duplicates = patient_duplicates(patient.clinic, PatientDetails.of(patient), exclude=patient)
    if can(user, Capability.MERGE_PATIENTS):
        chart.merges = patient_merges(patient)
    if not clinical:
        return chart
    chart.consultations = list(Consultation.objects.filter(patient=patient).order_by("-consulted_at")[:RECENT])
    chart.gate = treatment_gate(patient)
    chart.alerts = chart.gate.open_alerts
    latest = chart.consultations[0] if chart.consultations else None
    chart.safety = safety_summary(latest, chart.alerts, timezone.localdate(), referrals=len(chart.gate.referrals))
    chart.plan = (
        TreatmentPlan.objects.filter(patient=patient, status=PlanStatus.APPROVED)
        .prefetch_related(Prefetch("points", queryset=PlanPoint.objects.select_related("point")))
        .first()
    )
    chart.sessions = list(
        TreatmentSession.objects.filter(patient=patient)
        .select_related("practitioner", "room")
        .prefetch_related(Prefetch("points", queryset=SessionPoint.objects.order_by("id")))
        .order_by("-checked_in_at")[:RECENT]
    )
    chart.treatment = patient_treatment_summary(patient)
    chart.outcomes = outcome_charts(
        patient, TreatmentSession.objects.filter(patient=patient).values_list("checked_in_at", flat=True)
    )
    return chart


def age_of(patient: Patient) -> int:
    return _age(patient.birth_date, timezone.localdate())
