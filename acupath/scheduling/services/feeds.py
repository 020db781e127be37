"""Subscription calendar feeds: a random token per practitioner, replaced on demand."""

import secrets
from typing import Any

from django.db import transaction

from acupath.clinic.models import Practitioner
from acupath.core.audit import audit_record
from acupath.core.models import AuditAction
from acupath.scheduling.models import CalendarFeed


def new_token() -> str:
    """256 random bits, URL-safe: unguessable, and long enough that guessing is not a plan."""
    return secrets.token_urlsafe(32)


@transaction.atomic
def feed_rotate(*, actor: Any, practitioner: Practitioner) -> CalendarFeed:
    """Create the practitioner's feed, or give it a new token so the old address stops working."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    feed, created = CalendarFeed.objects.get_or_create(
        practitioner=practitioner, defaults={"token": new_token(), "created_by": user, "updated_by": user}
    )
    if not created:
        feed.token = new_token()
        feed.updated_by = user
        feed.save(update_fields=["token", "updated_by", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        entity="calendar_feed",
        entity_id=practitioner.public_id,
        summary="created" if created else "token rotated",
    )
    return feed
