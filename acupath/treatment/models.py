"""A treatment session: needles in, rest with a timer, needles out, everything counted."""

from django.conf import settings
from django.db import models

from acupath.clinic.models import Practitioner, Room
from acupath.core.models import Entity
from acupath.knowledge.models import Acupoint
from acupath.patients.models import Patient
from acupath.planning.enums import NeedleAngle, Side, Technique
from acupath.planning.models import DEPTH_MM_MAX, TreatmentPlan
from acupath.treatment.enums import (
    AdverseEventKind,
    AdverseEventOutcome,
    AdverseEventSeverity,
    Causality,
    SeriousnessCriterion,
    SessionStatus,
)


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
    # When the first needle came out: the timer stops there; no more needles go in after it.
    needles_out_at = models.DateTimeField(null=True, blank=True)
    planned_minutes = models.PositiveSmallIntegerField(default=25)
    closed_at = models.DateTimeField(null=True, blank=True)
    pain_before = models.PositiveSmallIntegerField(null=True, blank=True)
    pain_after = models.PositiveSmallIntegerField(null=True, blank=True)
    needles_inserted = models.PositiveSmallIntegerField(default=0)
    needles_removed = models.PositiveSmallIntegerField(default=0)
    # Needles that could not be found, each one backed by a forgotten/lost-needle adverse
    # event (the service that records the event is the only writer of this count).
    needles_unrecovered = models.PositiveSmallIntegerField(default=0)
    needle_gauge_mm = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    needle_length_mm = models.PositiveSmallIntegerField(null=True, blank=True)
    needle_lot = models.CharField(max_length=40, blank=True)
    # Electroacupuncture, only where the plan allows it (and the safety rules do).
    ea_frequency_hz = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    ea_intensity = models.CharField(max_length=40, blank=True)
    ea_pairs = models.PositiveSmallIntegerField(null=True, blank=True)
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
            # Never more needles out (or lost) than went in.
            models.CheckConstraint(
                condition=models.Q(needles_inserted__gte=models.F("needles_removed") + models.F("needles_unrecovered")),
                name="session_needles_not_over_counted",
            ),
            # A closed session has every needle accounted for: removed, or recorded as not
            # recovered (with its adverse event). The database refuses any other closed row.
            models.CheckConstraint(
                condition=~models.Q(status="closed")
                | models.Q(needles_inserted=models.F("needles_removed") + models.F("needles_unrecovered")),
                name="session_closed_needles_accounted",
            ),
            models.CheckConstraint(
                condition=models.Q(ea_pairs__isnull=True) | models.Q(ea_pairs__gte=1, ea_pairs__lte=12),
                name="session_ea_pairs_sane",
            ),
            # Retention limits of planning.domain.rules.RETENTION_LIMITS.
            models.CheckConstraint(
                condition=models.Q(planned_minutes__gte=10, planned_minutes__lte=60), name="session_retention_sane"
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

    @property
    def needles_in(self) -> int:
        """Needles still in the patient (as far as the counts know)."""
        return self.needles_inserted - self.needles_removed - self.needles_unrecovered

    @property
    def removal_started(self) -> bool:
        return self.needles_out_at is not None


class SessionPoint(models.Model):
    session = models.ForeignKey(TreatmentSession, on_delete=models.CASCADE, related_name="points")
    point = models.ForeignKey(Acupoint, to_field="code", db_column="point_code", on_delete=models.PROTECT)
    side = models.CharField(max_length=8, choices=Side.choices)
    needles = models.PositiveSmallIntegerField(default=1)
    from_plan = models.BooleanField(default=True)
    # How the point was worked: Technique codes (planning.enums), which the safety rules read.
    techniques = models.JSONField(default=list, blank=True)
    depth_mm = models.PositiveSmallIntegerField(null=True, blank=True)
    angle = models.CharField(max_length=14, choices=NeedleAngle.choices, blank=True)
    deqi = models.BooleanField(null=True)
    location_note = models.CharField(max_length=120, blank=True)
    electro = models.BooleanField(default=False)
    # Why a point under a safety caution was needled anyway (required by the rules).
    override_reason = models.CharField(max_length=300, blank=True)
    # The safety warnings shown when it was needled: "rule: message" lines, for the record.
    safety_notes = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(side__in=Side.values), name="session_point_side_valid"),
            models.CheckConstraint(condition=models.Q(needles__gte=1), name="session_point_needles_positive"),
            models.CheckConstraint(
                condition=models.Q(angle__in=[*NeedleAngle.values, ""]), name="session_point_angle_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(depth_mm__isnull=True) | models.Q(depth_mm__gte=1, depth_mm__lte=DEPTH_MM_MAX),
                name="session_point_depth_sane",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.point_id} ({self.side}) x{self.needles}"

    @property
    def technique_labels(self) -> list[str]:
        labels = dict(Technique.choices)
        return [str(labels.get(code, code)) for code in self.techniques]


def _serious_field(criterion: str) -> str:
    return f"serious_{criterion}"


SERIOUS_FIELDS = {c: _serious_field(c) for c in SeriousnessCriterion.values}


def _none_serious() -> models.Q:
    return models.Q(**dict.fromkeys(SERIOUS_FIELDS.values(), False))


def _any_serious() -> models.Q:
    q = models.Q()
    for name in SERIOUS_FIELDS.values():
        q |= models.Q(**{name: True})
    return q


class AdverseEvent(Entity):
    """Something that went wrong for the patient during or after needling.

    Severity is intensity; seriousness is the set of ICH E2A criteria the event met (one boolean
    column each, so every criterion is queryable and checked), with `is_serious` kept equal to
    "any of them" by a check constraint. Causality is graded on the WHO-UMC scale.
    """

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="adverse_events")
    session = models.ForeignKey(
        TreatmentSession, null=True, blank=True, on_delete=models.PROTECT, related_name="adverse_events"
    )
    kind = models.CharField(max_length=20, choices=AdverseEventKind.choices)
    severity = models.CharField(max_length=10, choices=AdverseEventSeverity.choices)
    occurred_at = models.DateTimeField()  # onset: when it began
    description = models.TextField(blank=True)
    action_taken = models.TextField()
    # For a forgotten or lost needle: how many of the session's needles this event accounts for.
    needles = models.PositiveSmallIntegerField(default=0)
    serious_death = models.BooleanField(default=False)
    serious_life_threatening = models.BooleanField(default=False)
    serious_hospitalisation = models.BooleanField(default=False)
    serious_disability = models.BooleanField(default=False)
    serious_congenital_anomaly = models.BooleanField(default=False)
    serious_medically_important = models.BooleanField(default=False)
    is_serious = models.BooleanField(default=False)
    causality = models.CharField(max_length=12, choices=Causality.choices, default=Causality.UNASSESSABLE)
    outcome = models.CharField(max_length=24, choices=AdverseEventOutcome.choices, default=AdverseEventOutcome.UNKNOWN)
    follow_up = models.TextField(blank=True)
    followed_up_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["patient", "-occurred_at"], name="adverse_patient_at"),
            models.Index(fields=["-occurred_at"], name="adverse_at"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=AdverseEventKind.values), name="adverse_kind_valid"),
            models.CheckConstraint(
                condition=models.Q(severity__in=AdverseEventSeverity.values), name="adverse_severity_valid"
            ),
            models.CheckConstraint(condition=models.Q(causality__in=Causality.values), name="adverse_causality_valid"),
            models.CheckConstraint(
                condition=models.Q(outcome__in=AdverseEventOutcome.values), name="adverse_outcome_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(needles=0) | models.Q(kind=AdverseEventKind.FORGOTTEN_NEEDLE),
                name="adverse_needles_only_when_lost",
            ),
            # Serious exactly when at least one ICH E2A criterion is met.
            models.CheckConstraint(
                condition=(models.Q(is_serious=False) & _none_serious()) | (models.Q(is_serious=True) & _any_serious()),
                name="adverse_serious_matches_criteria",
            ),
            models.CheckConstraint(
                condition=(models.Q(serious_death=True) & models.Q(outcome=AdverseEventOutcome.FATAL))
                | (models.Q(serious_death=False) & ~models.Q(outcome=AdverseEventOutcome.FATAL)),
                name="adverse_death_is_fatal",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind=AdverseEventKind.OTHER) | ~models.Q(description=""),
                name="adverse_other_described",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} ({self.severity}) {self.occurred_at:%Y-%m-%d}"

    @property
    def seriousness(self) -> list[str]:
        """The criteria met, in the catalogue's order (empty: not serious)."""
        return [c for c, name in SERIOUS_FIELDS.items() if getattr(self, name)]

    @property
    def seriousness_labels(self) -> list[str]:
        return [str(SeriousnessCriterion(c).label) for c in self.seriousness]


class AdverseEventAlert(Entity):
    """A serious adverse event waiting for the clinic owner's attention, until acknowledged."""

    event = models.OneToOneField(AdverseEvent, on_delete=models.PROTECT, related_name="alert")
    raised_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledgement_note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]
        indexes = [models.Index(fields=["acknowledged_at", "-raised_at"], name="adverse_alert_open")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(acknowledged_at__isnull=True, acknowledged_by__isnull=True)
                | models.Q(acknowledged_at__isnull=False, acknowledged_by__isnull=False),
                name="adverse_alert_ack_has_who_and_when",
            ),
        ]

    def __str__(self) -> str:
        return f"alert {self.raised_at:%Y-%m-%d} ({'acknowledged' if self.acknowledged_at else 'open'})"
