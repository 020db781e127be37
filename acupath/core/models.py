"""The base every clinical record shares, and the append-only audit log."""

import uuid

from django.conf import settings
from django.db import models


class Entity(models.Model):
    """Public UUID for URLs and APIs (database ids never leave the server), plus who/when."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True


class AuditAction(models.TextChoices):
    READ = "read", "Read"
    CREATE = "create", "Create"
    UPDATE = "update", "Update"
    SIGN_IN = "sign_in", "Sign in"
    SIGN_OUT = "sign_out", "Sign out"


class AuditEvent(models.Model):
    """Who did what to which record of which patient, and when.

    Append-only: database triggers refuse UPDATE (and DELETE on PostgreSQL), see
    migration 0002. The summary names the kind of record, never clinical content.
    """

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    actor_role = models.CharField(max_length=20, blank=True)
    action = models.CharField(max_length=10, choices=AuditAction.choices)
    entity = models.CharField(max_length=40)
    entity_id = models.CharField(max_length=40, blank=True)
    patient_id = models.UUIDField(null=True, blank=True)
    summary = models.CharField(max_length=200, blank=True)
    via = models.CharField(max_length=10, blank=True)  # web, api, cli

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["patient_id", "-at"], name="audit_patient_at")]
        constraints = [
            models.CheckConstraint(condition=models.Q(action__in=AuditAction.values), name="audit_action_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_role} {self.action} {self.entity}"
