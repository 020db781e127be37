from django.db import models

from acupath.core.models import Entity
from acupath.patients.models import Patient


class Assessment(Entity):
    """One completed instrument (pain NRS, ODI, ...), with the score computed when it was taken."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="assessments")
    instrument = models.CharField(max_length=20)
    taken_at = models.DateTimeField()
    answers = models.JSONField()
    score = models.FloatField(null=True)
    scorable = models.BooleanField()
    band = models.CharField(max_length=20, blank=True)
    risk = models.CharField(max_length=10, blank=True)
    distress_subscale = models.PositiveSmallIntegerField(null=True)
    context = models.CharField(max_length=20, blank=True)  # consultation, session, portal, review

    class Meta:
        ordering = ["taken_at", "id"]
        indexes = [models.Index(fields=["patient", "instrument", "taken_at"], name="assessment_patient_instr")]

    def __str__(self) -> str:
        return f"{self.instrument} {self.taken_at:%Y-%m-%d}"
