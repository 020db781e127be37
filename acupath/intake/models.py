"""The consultation: history, lifestyle, the back problem, red-flag screen and assessment."""

from django.db import models

from acupath.clinic.models import Practitioner
from acupath.core.models import Entity
from acupath.intake.enums import (
    BackRegion,
    ConsultationKind,
    DurationClass,
    LegPain,
    PrevisitStatus,
    RedFlagDecision,
    RedFlagTier,
    ReferralDestination,
    ReferralOutcome,
)
from acupath.patients.models import Patient


class Consultation(Entity):
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="consultations")
    practitioner = models.ForeignKey(Practitioner, null=True, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=ConsultationKind.choices, default=ConsultationKind.INITIAL)
    consulted_at = models.DateTimeField()

    # The back problem
    causes = models.JSONField(default=list)  # Cause values; several may apply
    onset_date = models.DateField()
    duration_class = models.CharField(max_length=10, choices=DurationClass.choices)
    region = models.CharField(max_length=12, choices=BackRegion.choices)
    leg_pain = models.CharField(max_length=16, choices=LegPain.choices, default=LegPain.NONE)
    pain_now = models.PositiveSmallIntegerField()
    worse_with = models.CharField(max_length=300, blank=True)
    better_with = models.CharField(max_length=300, blank=True)

    # Medical history; the safety-relevant facts are explicit fields the rules read.
    conditions = models.TextField(blank=True)
    surgeries = models.TextField(blank=True)
    medications = models.TextField(blank=True)
    anticoagulant = models.BooleanField(default=False)  # anticoagulant or antiplatelet
    bleeding_disorder = models.BooleanField(default=False)
    pregnant = models.BooleanField(default=False)
    pregnancy_weeks = models.PositiveSmallIntegerField(null=True, blank=True)
    pacemaker = models.BooleanField(default=False)  # or another implanted electronic device
    diabetes = models.BooleanField(default=False)
    needle_fear = models.BooleanField(default=False)
    # Coded facts the safety rules read (safety_rules.yaml); free-text allergies stay beside them.
    peripheral_neuropathy = models.BooleanField(default=False)
    metal_allergy = models.BooleanField(default=False)  # nickel or another needle metal
    epilepsy = models.BooleanField(default=False)
    immunosuppressed = models.BooleanField(default=False)  # drugs or a condition that lowers immunity
    skin_lesion_sites = models.JSONField(default=list, blank=True)  # body regions
    allergies = models.CharField(max_length=300, blank=True)

    # Lifestyle
    work_posture = models.CharField(max_length=300, blank=True)
    activity_level = models.CharField(max_length=120, blank=True)
    sleep = models.CharField(max_length=120, blank=True)
    stress = models.CharField(max_length=120, blank=True)

    # Red-flag screen: question code -> answer (true, false or "unsure"; computed flags true)
    red_flags = models.JSONField(default=dict, blank=True)
    # Why each computed flag was raised (code -> reason, e.g. the age against its threshold)
    red_flag_reasons = models.JSONField(default=dict, blank=True)
    # Why a patient's pre-visit yes was changed to no (code -> the clarification recorded)
    red_flag_clarifications = models.JSONField(default=dict, blank=True)

    # The acupuncturist's assessment
    pattern = models.CharField(max_length=40, blank=True)  # TCM pattern code
    tongue = models.CharField(max_length=200, blank=True)
    pulse = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-consulted_at", "-id"]
        indexes = [models.Index(fields=["patient", "-consulted_at"], name="consultation_patient_at")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=ConsultationKind.values), name="consultation_kind_valid"
            ),
            models.CheckConstraint(condition=models.Q(region__in=BackRegion.values), name="consultation_region_valid"),
            models.CheckConstraint(condition=models.Q(leg_pain__in=LegPain.values), name="consultation_leg_valid"),
            models.CheckConstraint(
                condition=models.Q(duration_class__in=DurationClass.values),
                name="consultation_duration_valid",
            ),
            models.CheckConstraint(condition=models.Q(pain_now__lte=10), name="consultation_pain_0_10"),
            models.CheckConstraint(
                condition=models.Q(pregnancy_weeks__isnull=True) | models.Q(pregnancy_weeks__lte=45),
                name="consultation_pregnancy_weeks_sane",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} consultation {self.consulted_at:%Y-%m-%d}"


class Referral(Entity):
    """A referral made on red flags: to the emergency department (emergency tier) or the GP, and the
    outcome of the medical assessment. At the emergency and urgent tiers it holds planning and
    needling until the outcome is ``cleared``. One referral may carry several flags of one tier."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="referrals")
    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="referrals")
    tier = models.CharField(max_length=10, choices=RedFlagTier.choices)
    destination = models.CharField(max_length=24, choices=ReferralDestination.choices)
    flags = models.JSONField(default=list)  # red flag codes, in the order they were referred
    outcome = models.CharField(max_length=14, choices=ReferralOutcome.choices, blank=True)
    assessed_by = models.CharField(max_length=120, blank=True)
    assessed_on = models.DateField(null=True, blank=True)
    outcome_note = models.CharField(max_length=1000, blank=True)
    outcome_recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["patient", "outcome"], name="referral_patient_outcome")]
        constraints = [
            models.CheckConstraint(condition=models.Q(tier__in=RedFlagTier.values), name="referral_tier_valid"),
            models.CheckConstraint(
                condition=models.Q(destination__in=ReferralDestination.values), name="referral_destination_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(outcome="") | models.Q(outcome__in=ReferralOutcome.values),
                name="referral_outcome_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(outcome="") | (~models.Q(assessed_by="") & models.Q(assessed_on__isnull=False)),
                name="referral_outcome_has_assessment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tier} referral {self.created_at:%Y-%m-%d}"


class RedFlagReview(Entity):
    """The practitioner's decision on a consultation's positive red flags."""

    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="red_flag_reviews")
    flag = models.CharField(max_length=40)
    decision = models.CharField(max_length=20, choices=RedFlagDecision.choices)
    reason = models.TextField()
    referral = models.ForeignKey(Referral, null=True, blank=True, on_delete=models.PROTECT, related_name="reviews")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["consultation", "flag"], name="red_flag_review_once"),
            models.CheckConstraint(
                condition=models.Q(decision__in=RedFlagDecision.values),
                name="red_flag_decision_valid",
            ),
        ]


class PrevisitAnswers(Entity):
    """What a patient entered in the portal before a visit: history, lifestyle, the back problem and
    the red-flag questions. The practitioner's "New consultation" form starts from the latest
    submitted one, checks it with the patient, and marks it used when the consultation is saved.

    ``answers`` holds the history, lifestyle and back-problem fields under the consultation's own
    field names (see ``intake.services.PREVISIT_FIELDS``); ``red_flags`` the screening answers.
    """

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="previsit_answers")
    status = models.CharField(max_length=10, choices=PrevisitStatus.choices, default=PrevisitStatus.SUBMITTED)
    submitted_at = models.DateTimeField()
    answers = models.JSONField(default=dict)
    red_flags = models.JSONField(default=dict, blank=True)
    consultation = models.ForeignKey(
        Consultation, null=True, blank=True, on_delete=models.PROTECT, related_name="previsit_answers"
    )

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["patient", "status", "-submitted_at"], name="previsit_patient_status")]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=PrevisitStatus.values), name="previsit_status_valid"),
            models.CheckConstraint(
                condition=~models.Q(status=PrevisitStatus.USED) | models.Q(consultation__isnull=False),
                name="previsit_used_has_consultation",
            ),
        ]

    def __str__(self) -> str:
        return f"pre-visit answers {self.submitted_at:%Y-%m-%d} ({self.status})"
