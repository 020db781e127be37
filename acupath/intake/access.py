"""Who may reach a consultation by its id. Not visible means not found (404), never forbidden."""

import uuid
from typing import Any

from acupath.accounts.models import Role
from acupath.accounts.permissions import Capability, can
from acupath.core.errors import NotFound
from acupath.intake.models import Consultation, Referral
from acupath.patients.access import patients_visible_to
from acupath.patients.models import Patient


def access_consultation_by_id(user: Any, consultation_id: uuid.UUID | str, capability: Capability) -> Consultation:
    """The consultation, if ``user`` may exercise ``capability`` on its patient; otherwise NotFound."""
    if not can(user, capability):
        raise NotFound("consultation")
    try:
        key = uuid.UUID(str(consultation_id))
    except ValueError:
        raise NotFound("consultation") from None
    consultation = (
        Consultation.objects.filter(public_id=key, patient__in=patients_visible_to(user))
        .select_related("patient")
        .first()
    )
    if consultation is None:
        raise NotFound("consultation")
    return consultation


def access_own_patient_record(user: Any) -> Patient:
    """A signed-in patient's own record (for the portal's pre-visit questionnaire); NotFound for
    staff and for a patient login not yet linked to a record."""
    if not getattr(user, "is_authenticated", False):
        raise NotFound("patient")
    if user.role != Role.PATIENT:
        raise NotFound("patient")
    patient = patients_visible_to(user).first()
    if patient is None:
        raise NotFound("patient")
    return patient


def access_referral_by_id(user: Any, referral_id: uuid.UUID | str, capability: Capability) -> Referral:
    """The referral, if ``user`` may exercise ``capability`` on its patient; otherwise NotFound."""
    if not can(user, capability):
        raise NotFound("referral")
    try:
        key = uuid.UUID(str(referral_id))
    except ValueError:
        raise NotFound("referral") from None
    referral = (
        Referral.objects.filter(public_id=key, patient__in=patients_visible_to(user))
        .select_related("patient__clinic", "consultation__practitioner")
        .first()
    )
    if referral is None:
        raise NotFound("referral")
    return referral
