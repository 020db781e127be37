"""Who may see which patient. Every patient-linked read or write starts here.

A record the user may not see is answered as not found, never as forbidden, so its
existence does not leak.
"""

import uuid
from typing import Any

from django.db.models import QuerySet

from acupath.accounts.models import Role
from acupath.accounts.permissions import Capability, can
from acupath.core.errors import NotFound
from acupath.patients.consent_models import Consent
from acupath.patients.models import Patient, PatientMerge


def patients_visible_to(user: Any) -> QuerySet[Patient]:
    if not can(user, Capability.VIEW_DEMOGRAPHICS):
        return Patient.objects.none()
    if user.role == Role.PATIENT:
        return Patient.objects.filter(user=user)
    return Patient.objects.all()


def access_patient_by_id(user: Any, patient_id: uuid.UUID | str, capability: Capability) -> Patient:
    """The patient, if `user` may exercise `capability` on them; otherwise NotFound."""
    if not can(user, capability):
        raise NotFound("patient")
    try:
        key = uuid.UUID(str(patient_id))
    except ValueError:
        raise NotFound("patient") from None
    patient = patients_visible_to(user).filter(public_id=key).first()
    if patient is None:
        raise NotFound("patient")
    return patient


def access_patient_for_consent(user: Any, patient_id: uuid.UUID | str) -> Patient:
    """The patient whose consent `user` may take or withdraw: staff at the desk or in the room
    hand over the tablet (they may edit the record); a patient signs their own only."""
    if getattr(user, "role", None) == Role.PATIENT:
        return access_patient_by_id(user, patient_id, Capability.VIEW_DEMOGRAPHICS)
    return access_patient_by_id(user, patient_id, Capability.EDIT_DEMOGRAPHICS)


def access_consent_by_id(user: Any, patient_id: uuid.UUID | str, consent_id: uuid.UUID | str) -> Consent:
    """One consent of a patient `user` may take consent for; otherwise NotFound."""
    patient = access_patient_for_consent(user, patient_id)
    try:
        key = uuid.UUID(str(consent_id))
    except ValueError:
        raise NotFound("consent") from None
    consent = Consent.objects.filter(patient=patient, public_id=key).select_related("patient", "text").first()
    if consent is None:
        raise NotFound("consent")
    return consent


def may_edit_consent_text(user: Any) -> bool:
    """Only the clinic owner words what patients consent to."""
    return getattr(user, "is_authenticated", False) and user.is_active and user.role == Role.OWNER


def access_merge_by_id(user: Any, merge_id: uuid.UUID | str) -> PatientMerge:
    """A merge record, for a user who may merge (and so reverse); otherwise NotFound."""
    if not can(user, Capability.MERGE_PATIENTS):
        raise NotFound("merge")
    try:
        key = uuid.UUID(str(merge_id))
    except ValueError:
        raise NotFound("merge") from None
    merge = PatientMerge.objects.select_related("survivor", "merged").filter(public_id=key).first()
    if merge is None:
        raise NotFound("merge")
    return merge
