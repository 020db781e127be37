"""Reads of consents and consent texts, query-shaped and audited where they are clinical."""

from typing import Any

from acupath.core.audit import audit_record
from acupath.core.models import AuditAction
from acupath.patients.consent_models import Consent
from acupath.patients.models import Patient

RECENT = 20


def consents_of(user: Any, patient: Patient, via: str = "web") -> list[Consent]:
    """The patient's consents, newest first, each with the text version it cites (one query)."""
    items = list(
        Consent.objects.filter(patient=patient)
        .select_related("text")
        .defer("signature_image", "text__body")
        .order_by("-signed_at", "-id")[:RECENT]
    )
    audit_record(
        actor=user,
        action=AuditAction.READ,
        entity="consent_list",
        patient_id=patient.public_id,
        summary=f"{len(items)} shown",
        via=via,
    )
    return items


def consent_audited_read(user: Any, consent: Consent, via: str = "web") -> None:
    audit_record(
        actor=user,
        action=AuditAction.READ,
        entity="consent",
        entity_id=consent.public_id,
        patient_id=consent.patient.public_id,
        via=via,
    )
