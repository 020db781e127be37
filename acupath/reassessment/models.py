"""A course's re-assessment: the practitioner's continue, change or stop, with the measures' verdict."""

from django.db import models

from acupath.core.models import Entity
from acupath.patients.models import Patient
from acupath.planning.models import TreatmentPlan
from acupath.reassessment.enums import ReassessmentChoice, ResponderStatus
from acupath.treatment.models import TreatmentSession


class ReassessmentDecision(Entity):
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="reassessment_decisions")
    plan = models.ForeignKey(TreatmentPlan, on_delete=models.PROTECT, related_name="reassessment_decisions")
    # The session it was decided at (the latest of the episode), and its number in the episode.
    session = models.ForeignKey(
        TreatmentSession, null=True, blank=True, on_delete=models.PROTECT, related_name="reassessment_decisions"
    )
    session_number = models.PositiveSmallIntegerField()
    # When the episode began (its initial consultation): one decision per episode's re-assessment.
    episode_start = models.DateTimeField(null=True, blank=True)
    decision = models.CharField(max_length=10, choices=ReassessmentChoice.choices)
    reason = models.TextField(max_length=1000)
    responder_status = models.CharField(max_length=16, choices=ResponderStatus.choices)
    # The measures as they stood: [{instrument, responder, improvement, percent}].
    measures = models.JSONField(default=list)
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["-decided_at", "-id"]
        indexes = [models.Index(fields=["patient", "-decided_at"], name="reassessment_patient_at")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(decision__in=ReassessmentChoice.values), name="reassessment_decision_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(responder_status__in=ResponderStatus.values),
                name="reassessment_responder_status_valid",
            ),
            models.CheckConstraint(condition=models.Q(session_number__gte=1), name="reassessment_session_positive"),
            # One decision per episode's re-assessment, even when two practitioners save at once.
            models.UniqueConstraint(fields=["patient", "episode_start"], name="reassessment_once_per_episode"),
        ]

    def __str__(self) -> str:
        return f"re-assessment at session {self.session_number}: {self.decision}"
