"""Treatment plans. Every edit is a new version; earlier versions are kept, superseded."""

from django.db import models

from acupath.core.models import Entity
from acupath.intake.models import Consultation
from acupath.knowledge.models import Acupoint
from acupath.patients.models import Patient
from acupath.planning.enums import NeedleAngle, PlanStatus, PointRole, Side

# Depth of one needle in millimetres: from a 7 mm ear needle to a 125 mm needle fully inserted.
DEPTH_MM_MAX = 125


class TreatmentPlan(Entity):
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="plans")
    consultation = models.ForeignKey(Consultation, null=True, on_delete=models.PROTECT, related_name="plans")
    version = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=12, choices=PlanStatus.choices, default=PlanStatus.APPROVED)
    approved_at = models.DateTimeField()
    retention_minutes = models.PositiveSmallIntegerField(default=25)
    electroacupuncture = models.BooleanField(default=False)
    sessions = models.PositiveSmallIntegerField(default=10)
    per_week = models.PositiveSmallIntegerField(default=2)
    course = models.JSONField(default=dict, blank=True)  # weeks, phases, reassessment, maintenance
    advice = models.JSONField(default=list, blank=True)
    notes = models.TextField(blank=True)
    change_note = models.CharField(max_length=300, blank=True)
    # What the safety rules said when this version was approved: the draft's excluded points
    # ({code, rule, severity, reason}), the warnings ({code, rule, message}) and the cautions the
    # practitioner overrode ({code, rule, reason}). Kept with the version, so the record shows
    # why a point was left out even after the rules change.
    safety = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["patient", "status"], name="plan_patient_status")]
        constraints = [
            models.UniqueConstraint(fields=["patient", "version"], name="plan_version_unique"),
            # At most one active plan per patient, enforced by the database.
            models.UniqueConstraint(
                fields=["patient"], condition=models.Q(status="approved"), name="plan_one_active_per_patient"
            ),
            models.CheckConstraint(condition=models.Q(status__in=PlanStatus.values), name="plan_status_valid"),
            models.CheckConstraint(
                condition=models.Q(retention_minutes__gte=10, retention_minutes__lte=60), name="plan_retention_sane"
            ),
        ]

    def __str__(self) -> str:
        return f"plan v{self.version} ({self.status})"


class PlanPoint(models.Model):
    plan = models.ForeignKey(TreatmentPlan, on_delete=models.CASCADE, related_name="points")
    point = models.ForeignKey(Acupoint, to_field="code", db_column="point_code", on_delete=models.PROTECT)
    side = models.CharField(max_length=8, choices=Side.choices)
    role = models.CharField(max_length=10, choices=PointRole.choices)
    rationale = models.CharField(max_length=400, blank=True)
    override_reason = models.CharField(max_length=300, blank=True)
    # Ashi (tender) points have no code of their own: they are recorded by where they are.
    location_note = models.CharField(max_length=120, blank=True)
    # Where a point that spans levels (Ashi, EX-B2 Jiaji) is needled: a catalogue body region.
    # The safety rules read it as well as the catalogue region (the stricter reading wins).
    level = models.CharField(max_length=20, blank=True)
    # Planned depth and angle; the depth rules (lung, spinal canal) fire on this depth.
    depth_mm = models.PositiveSmallIntegerField(null=True, blank=True)
    angle = models.CharField(max_length=14, choices=NeedleAngle.choices, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "point", "side", "location_note"], name="plan_point_unique"),
            models.CheckConstraint(condition=models.Q(side__in=Side.values), name="plan_point_side_valid"),
            models.CheckConstraint(condition=models.Q(role__in=PointRole.values), name="plan_point_role_valid"),
            models.CheckConstraint(
                condition=models.Q(angle__in=[*NeedleAngle.values, ""]), name="plan_point_angle_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(depth_mm__isnull=True) | models.Q(depth_mm__gte=1, depth_mm__lte=DEPTH_MM_MAX),
                name="plan_point_depth_sane",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.point_id} ({self.side})"
