"""The clinic owner's alert for a serious adverse event: raised at once, e-mailed, acknowledged.

The e-mail says only that a serious adverse event was recorded and where to read it: no patient
name and no clinical detail travel by e-mail (it leaves the clinic's system unencrypted). It is
queued with `transaction.on_commit`, so an event that is rolled back sends nothing.
"""

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from acupath.accounts.models import Role, User
from acupath.clinic.selectors import clinic_current
from acupath.core.audit import audit_record
from acupath.core.errors import Conflict, ServiceError
from acupath.core.models import AuditAction
from acupath.treatment.models import AdverseEvent, AdverseEventAlert

NOTE_MAX = 300


def owner_addresses() -> list[str]:
    """Every active owner's e-mail address (the installation is one clinic)."""
    rows = User.objects.filter(role=Role.OWNER, is_active=True).exclude(email="").order_by("id")
    return list(rows.values_list("email", flat=True))


def event_url(event: AdverseEvent) -> str:
    return settings.PUBLIC_URL + reverse("treatment:adverse_event_page", kwargs={"event_id": event.public_id})


def _send_alert_email(to: list[str], link: str, clinic_name: str) -> None:
    text = render_to_string("treatment/email/serious_adverse_event.txt", {"link": link, "clinic_name": clinic_name})
    subject, _, body = text.strip().partition("\n")
    EmailMessage(subject=subject.strip(), body=body.strip() + "\n", to=to).send()


def adverse_alert_raise(*, actor: Any, event: AdverseEvent, now: dt.datetime, via: str = "web") -> AdverseEventAlert:
    """Open (or reopen) the owner's alert for `event` and queue the owners' e-mail."""
    alert, created = AdverseEventAlert.objects.get_or_create(
        event=event, defaults={"raised_at": now, "created_by": actor, "updated_by": actor}
    )
    if not created:
        alert.raised_at, alert.acknowledged_at, alert.acknowledged_by = now, None, None
        alert.acknowledgement_note, alert.updated_by = "", actor
        alert.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        entity="adverse_event_alert",
        entity_id=alert.public_id,
        patient_id=event.patient.public_id,
        summary="raised for the owner" if created else "raised again for the owner",
        via=via,
    )
    to = owner_addresses()
    if to:
        clinic = clinic_current()
        link, name = event_url(event), clinic.name if clinic else "the clinic"
        transaction.on_commit(lambda: _send_alert_email(to, link, name))
    return alert


@transaction.atomic
def adverse_alert_acknowledge(
    *, actor: Any, alert: AdverseEventAlert, note: str = "", via: str = "web"
) -> AdverseEventAlert:
    """The owner has seen the serious event (and says what they will do, if they like)."""
    if getattr(actor, "role", None) != Role.OWNER:
        raise Conflict("Only the clinic owner acknowledges a serious adverse event.")
    alert = AdverseEventAlert.objects.select_for_update(of=("self",)).select_related("event__patient").get(pk=alert.pk)
    if alert.acknowledged_at is not None:
        raise Conflict("This alert was already acknowledged.")
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise ServiceError({"note": f"The note is {len(note)} characters; shorten it to {NOTE_MAX} or fewer."})
    alert.acknowledged_at, alert.acknowledged_by = timezone.now(), actor
    alert.acknowledgement_note, alert.updated_by = note, actor
    alert.save()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        entity="adverse_event_alert",
        entity_id=alert.public_id,
        patient_id=alert.event.patient.public_id,
        summary="acknowledged",
        via=via,
    )
    return alert
