"""The recurrence watch's snapshot: who is on the work list, as last computed.

Derived data, rebuilt from the clinical records by `recurrence_watch_refresh`; nothing here is
the only copy of anything. Pages read it page by page, so the work list stays fast at any size.
"""

from django.db import models

from acupath.clinic.models import Practitioner
from acupath.core.models import Entity
from acupath.patients.models import Patient


class WatchRun(models.Model):
    """One full computation of the watch (the snapshot is as old as the latest run)."""

    ran_at = models.DateTimeField(db_index=True)
    flagged = models.PositiveIntegerField()
    seconds = models.FloatField()

    class Meta:
        ordering = ["-ran_at"]

    def __str__(self) -> str:
        return f"watch run {self.ran_at:%Y-%m-%d %H:%M} ({self.flagged} flagged)"


class WatchFlag(Entity):
    """A patient on the work list: worse than their best by the MCID, overdue, or both."""

    patient = models.OneToOneField(Patient, on_delete=models.CASCADE, related_name="+")
    worse = models.BooleanField()
    overdue = models.BooleanField()
    # [{"instrument", "name", "best", "latest", "mcid"}] for each score that is worse by its MCID.
    scores = models.JSONField(default=list, blank=True)
    deterioration = models.FloatField(default=0)  # the largest worsening, in MCIDs
    last_visit = models.DateField(null=True, blank=True)
    due = models.DateField(null=True, blank=True)  # the next maintenance visit was due on this day
    interval_weeks = models.PositiveSmallIntegerField(null=True, blank=True)
    next_booking = models.DateTimeField(null=True, blank=True)
    practitioner = models.ForeignKey(Practitioner, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        # The work list's order: worse first, the most worse first, then the most recently due.
        ordering = ["-worse", "-deterioration", "-due", "id"]
        indexes = [
            models.Index(fields=["-worse", "-deterioration", "-due", "id"], name="watch_flag_order"),
            # A practitioner's own list, in the same order.
            models.Index(
                fields=["practitioner", "-worse", "-deterioration", "-due", "id"], name="watch_flag_practitioner_order"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(worse=True) | models.Q(overdue=True), name="watch_flag_has_reason"
            )
        ]

    def __str__(self) -> str:
        return f"watch flag {'worse' if self.worse else ''}{' overdue' if self.overdue else ''}"
