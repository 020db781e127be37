"""Signed consents for tests that start sessions, recorded through the patients service."""

import datetime as dt

from django.utils import timezone

from acupath.patients.consent_services import ConsentSigning, consent_record

# A 1x1 PNG, as the signing pad would send a (very small) drawn signature.
TINY_PNG = (
    "data:image/png;base64,"
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def sign_consent(patient, *, actor=None, at: dt.datetime | None = None, signature: str = "", kind: str = "acupuncture"):
    """The patient's signed consent to acupuncture, by default a typed one signed a day ago (so it
    covers sessions recorded after the fact, and the initial consultation of the course)."""
    return consent_record(
        actor=actor,
        patient=patient,
        signing=ConsentSigning(kind=kind, signed_by=patient.full_name, signature=signature or patient.full_name),
        at=at or timezone.now() - dt.timedelta(days=1),
    )
