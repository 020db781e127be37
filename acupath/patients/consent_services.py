"""Writes to consents and consent texts: validate, one transaction, audit.

A consent text is never changed once written (signed consents cite it): the owner's edit is a new
version. A consent is signed once and, if the patient changes their mind, withdrawn; it is never
deleted, so the record shows what was agreed, when, and when it stopped.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from acupath.clinic.models import Clinic
from acupath.core.audit import audit_record
from acupath.core.errors import Conflict, ServiceError
from acupath.core.models import AuditAction
from acupath.patients.consent_models import Consent, ConsentChannel, ConsentKind, ConsentText
from acupath.patients.domain.consent import (
    BODY_MAX,
    NAME_MAX,
    REASON_MAX,
    STATEMENT_MAX,
    TITLE_MAX,
    load_consent_default,
    parse_signature,
)
from acupath.patients.models import Patient


def _actor(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def consent_text_current(*, clinic: Clinic, kind: str) -> ConsentText:
    """The clinic's latest text of this kind; the first call writes version 1 from the shipped default."""
    text = ConsentText.objects.filter(clinic=clinic, kind=kind).order_by("-version").first()
    if text is not None:
        return text
    default = load_consent_default(kind)
    try:
        with transaction.atomic():
            return ConsentText.objects.create(
                clinic=clinic,
                kind=kind,
                version=1,
                title=default.title,
                body=default.body,
                statement=default.statement,
                based_on=f"{default.dataset} v{default.version}",
            )
    except IntegrityError:  # another request wrote version 1 first
        return ConsentText.objects.get(clinic=clinic, kind=kind, version=1)


@dataclass(frozen=True)
class ConsentWording:
    title: str
    body: str
    statement: str
    change_note: str = ""


def _wording_errors(wording: ConsentWording) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not 3 <= len(wording.title.strip()) <= TITLE_MAX:
        errors["title"] = f"Give the consent a title of 3 to {TITLE_MAX} characters."
    if len(wording.body.strip()) < 100:
        errors["body"] = "The text is too short to inform a patient: describe the effects, risks and evidence."
    elif len(wording.body) > BODY_MAX:
        errors["body"] = f"Keep the text under {BODY_MAX:,} characters."
    if not 20 <= len(wording.statement.strip()) <= STATEMENT_MAX:
        errors["statement"] = f"Write what the patient agrees to in 20 to {STATEMENT_MAX} characters."
    if len(wording.change_note) > REASON_MAX:
        errors["change_note"] = f"Keep the note under {REASON_MAX} characters."
    return errors


@transaction.atomic
def consent_text_revise(*, actor: Any, clinic: Clinic, kind: str, wording: ConsentWording) -> ConsentText:
    """A new version of the clinic's text; earlier versions stay as they were."""
    if kind not in ConsentKind.values:
        raise ServiceError({"kind": f"Choose one of: {', '.join(ConsentKind.values)}."})
    if errors := _wording_errors(wording):
        raise ServiceError(errors)
    current = consent_text_current(clinic=clinic, kind=kind)
    body = wording.body.strip().replace("\r\n", "\n")
    if (current.title, current.body, current.statement) == (wording.title.strip(), body, wording.statement.strip()):
        raise ServiceError("Nothing changed: edit the text before saving a new version.")
    latest = ConsentText.objects.filter(clinic=clinic, kind=kind).aggregate(v=Max("version"))["v"] or 0
    try:
        with transaction.atomic():
            text = ConsentText.objects.create(
                clinic=clinic,
                kind=kind,
                version=latest + 1,
                title=wording.title.strip(),
                body=body,
                statement=wording.statement.strip(),
                based_on=current.based_on,
                change_note=wording.change_note.strip(),
                created_by=_actor(actor),
            )
    except IntegrityError:
        raise Conflict("Someone saved a new version of this text at the same time: reload and edit again.") from None
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        entity="consent_text",
        entity_id=text.public_id,
        summary=f"{kind} v{text.version}",
    )
    return text


@dataclass(frozen=True)
class ConsentSigning:
    kind: str
    signed_by: str
    signature: str
    channel: str = ConsentChannel.CLINIC
    # The version the patient was shown; when given, it must still be the current one.
    text_version: int | None = None


@transaction.atomic
def consent_record(
    *, actor: Any, patient: Patient, signing: ConsentSigning, at: dt.datetime | None = None, via: str = "web"
) -> Consent:
    """Record a signed consent against the clinic's current text of its kind."""
    errors: dict[str, str] = {}
    if signing.kind not in ConsentKind.values:
        errors["kind"] = f"Choose one of: {', '.join(ConsentKind.values)}."
    name = " ".join(signing.signed_by.split())
    if len(name) < 2:
        errors["signed_by"] = "Enter the full name of the person signing."
    elif len(name) > NAME_MAX:
        errors["signed_by"] = f"A name has at most {NAME_MAX} characters."
    try:
        signature = parse_signature(signing.signature)
    except ValueError as exc:
        errors["signature"] = str(exc)
    if signing.channel not in ConsentChannel.values:
        errors["channel"] = f"Choose one of: {', '.join(ConsentChannel.values)}."
    if errors:
        raise ServiceError(errors)
    text = consent_text_current(clinic=patient.clinic, kind=signing.kind)
    if signing.text_version is not None and signing.text_version != text.version:
        raise Conflict(
            f"The consent text changed while it was being read (now version {text.version}): "
            "show the patient the current text and sign again."
        )
    user = _actor(actor)
    consent = Consent.objects.create(
        patient=patient,
        kind=signing.kind,
        text=text,
        signed_by=name,
        signed_at=at or timezone.now(),
        signature_kind=signature.kind.value,
        signature_typed=signature.typed,
        signature_image=signature.image,
        channel=signing.channel,
        witnessed_by=user if user is not None and signing.channel == ConsentChannel.CLINIC else None,
        created_by=user,
        updated_by=user,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        entity="consent",
        entity_id=consent.public_id,
        patient_id=patient.public_id,
        summary=f"{signing.kind} signed, text v{text.version} ({signature.kind.value}, {signing.channel})",
        via=via,
    )
    return consent


@transaction.atomic
def consent_withdraw(
    *, actor: Any, consent: Consent, reason: str = "", at: dt.datetime | None = None, via: str = "web"
) -> Consent:
    """Record that the patient withdrew this consent; the next session waits for a new one."""
    reason = reason.strip()
    if len(reason) > REASON_MAX:
        raise ServiceError({"reason": f"Keep the reason under {REASON_MAX} characters."})
    consent = Consent.objects.select_for_update().select_related("patient").get(pk=consent.pk)
    if consent.withdrawn_at is not None:
        raise Conflict(f"This consent was already withdrawn on {timezone.localdate(consent.withdrawn_at):%d %b %Y}.")
    user = _actor(actor)
    consent.withdrawn_at = at or timezone.now()
    consent.withdrawn_reason = reason
    consent.withdrawn_by = user
    consent.updated_by = user
    consent.save(update_fields=["withdrawn_at", "withdrawn_reason", "withdrawn_by", "updated_by", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        entity="consent",
        entity_id=consent.public_id,
        patient_id=consent.patient.public_id,
        summary=f"{consent.kind} withdrawn",
        via=via,
    )
    return consent
