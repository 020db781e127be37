"""Writing the audit trail. Every clinical read and write calls `audit_record`."""

import uuid
from typing import Any

from acupath.core.models import AuditAction, AuditEvent


def audit_record(
    *,
    actor: Any,
    action: AuditAction,
    entity: str,
    entity_id: object = "",
    patient_id: uuid.UUID | None = None,
    summary: str = "",
    via: str = "web",
) -> AuditEvent:
    """Append one event. `summary` must not carry clinical content (it is shown in admin lists)."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=user,
        actor_role=getattr(user, "role", "") if user else "",
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        patient_id=patient_id,
        summary=summary[:200],
        via=via,
    )
