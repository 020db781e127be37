"""A treatment session: needles in, rest with a timer, needles out, everything counted."""

from django.db import models

from acupath.clinic.models import Practitioner, Room
from acupath.core.models import Entity
from acupath.knowledge.models import Acupoint
from acupath.patients.models import Patient
from acupath.planning.enums import Side
from acupath.planning.models import TreatmentPlan
from acupath.treatment.enums import SessionStatus


class TreatmentSession(Entity):
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="treatment_sessions")
    plan = models.ForeignKey(
        TreatmentPlan, null=True, blank=True, on_delete=models.PROTECT, related_name="treatment_sessions"
    )
    practitioner = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="treatment_sessions")
    room = models.ForeignKey(Room, null=True, blank=True, on_delete=models.PROTECT, related_name="treatment_sessions")
    status = models.CharField(max_length=8, choices=SessionStatus.choices, default=SessionStatus.OPEN)
    checked_in_at = models.DateTimeField()
    # The retention timer is computed from this stored instant, so every tablet and a
    # restarted server agree on the time remaining.
    needles_in_at = models.DateTimeField(null=True, blank=True)
    planned_minutes = models.PositiveSmallIntegerField(default=25)
    closed_at = models.DateTimeField(null=True, blank=True)
    pain_before = models.PositiveSmallIntegerField(null=True, blank=True)
    pain_after = models.PositiveSmallIntegerField(null=True, blank=True)
    needles_inserted = models.PositiveSmallIntegerField(default=0)
    needles_removed = models.PositiveSmallIntegerField(default=0)
    needle_gauge_mm = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    needle_length_mm = models.PositiveSmallIntegerField(null=True, blank=True)
    needle_lot = models.CharField(max_length=40, blank=True)
    contact_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    subjective = models.TextField(blank=True)
    objective = models.TextField(blank=True)
    assessment = models.TextField(blank=True)
    plan_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-checked_in_at", "-id"]
        indexes = [
            models.Index(fields=["patient", "-checked_in_at"], name="session_patient_at"),
            models.Index(fields=["status", "room"], name="session_status_room"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=SessionStatus.values), name="session_status_valid"),
            models.CheckConstraint(
                condition=models.Q(pain_before__isnull=True) | models.Q(pain_before__lte=10), name="session_pain_before"
            ),
            models.CheckConstraint(
                condition=models.Q(pain_after__isnull=True) | models.Q(pain_after__lte=10), name="session_pain_after"
            ),
            # A closed session has every needle accounted for: the database refuses otherwise.
            models.CheckConstraint(
                condition=~models.Q(status="closed") | models.Q(needles_removed=models.F("needles_inserted")),
                name="session_closed_needles_reconciled",
            ),
            # One running session per room and per patient at a time.
            models.UniqueConstraint(
                fields=["room"], condition=models.Q(status="open"), name="session_one_open_per_room"
            ),
            models.UniqueConstraint(
                fields=["patient"], condition=models.Q(status="open"), name="session_one_open_per_patient"
            ),
        ]

    def __str__(self) -> str:
        return f"session {self.checked_in_at:%Y-%m-%d} ({self.status})"


class SessionPoint(models.Model):
    session = models.ForeignKey(TreatmentSession, on_delete=models.CASCADE, related_name="points")
    point = models.ForeignKey(Acupoint, to_field="code", db_column="point_code", on_delete=models.PROTECT)
    side = models.CharField(max_length=8, choices=Side.choices)
    needles = models.PositiveSmallIntegerField(default=1)
    from_plan = models.BooleanField(default=True)
    technique = models.CharField(max_length=80, blank=True)
    deqi = models.BooleanField(null=True)
    location_note = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(side__in=Side.values), name="session_point_side_valid"),
            models.CheckConstraint(condition=models.Q(needles__gte=1), name="session_point_needles_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.point_id} ({self.side}) x{self.needles}"
