"""Consent: the texts a clinic asks patients to agree to, and each patient's signed consents.

One table for every kind of consent (acupuncture now; data processing and communication later):
a new kind is a new ``ConsentKind`` value and its default text file, not a new table.
"""

from django.conf import settings
from django.db import models

from acupath.clinic.models import Clinic
from acupath.core.models import Entity
from acupath.patients.domain.consent import BODY_MAX, NAME_MAX, REASON_MAX, STATEMENT_MAX, TITLE_MAX, TYPED_MAX
from acupath.patients.models import Patient


class ConsentKind(models.TextChoices):
    ACUPUNCTURE = "acupuncture", "Acupuncture"


class SignatureKind(models.TextChoices):
    DRAWN = "drawn", "Drawn signature"
    TYPED = "typed", "Typed signature"


class ConsentChannel(models.TextChoices):
    CLINIC = "clinic", "In the clinic (tablet)"
    PORTAL = "portal", "In the patient portal"
    API = "api", "Through the API"


class ConsentText(Entity):
    """One version of a clinic's consent text. Never edited once written: an edit is a new version,
    because signed consents cite the exact words the patient read."""

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="consent_texts")
    kind = models.CharField(max_length=20, choices=ConsentKind.choices)
    version = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=TITLE_MAX)
    body = models.TextField(max_length=BODY_MAX)
    statement = models.CharField(max_length=STATEMENT_MAX)
    # Which version of the shipped default this text started from, for provenance.
    based_on = models.CharField(max_length=60, blank=True)
    change_note = models.CharField(max_length=REASON_MAX, blank=True)

    class Meta:
        ordering = ["clinic", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "kind", "version"], name="consent_text_version_unique"),
            models.CheckConstraint(condition=models.Q(kind__in=ConsentKind.values), name="consent_text_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} consent text v{self.version}"


class Consent(Entity):
    """A patient's signed consent, citing the text version they read; withdrawal is kept on it."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="consents")
    kind = models.CharField(max_length=20, choices=ConsentKind.choices)
    text = models.ForeignKey(ConsentText, on_delete=models.PROTECT, related_name="consents")
    signed_by = models.CharField(max_length=NAME_MAX)
    signed_at = models.DateTimeField()
    signature_kind = models.CharField(max_length=10, choices=SignatureKind.choices)
    signature_typed = models.CharField(max_length=TYPED_MAX, blank=True)
    signature_image = models.TextField(blank=True)  # a PNG data URL, size-checked by the service
    channel = models.CharField(max_length=10, choices=ConsentChannel.choices)
    # The member of staff who handed over the tablet, when signed in the clinic.
    witnessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.CharField(max_length=REASON_MAX, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-signed_at", "-id"]
        indexes = [models.Index(fields=["patient", "kind", "-signed_at"], name="consent_patient_kind_at")]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=ConsentKind.values), name="consent_kind_valid"),
            models.CheckConstraint(
                condition=models.Q(signature_kind__in=SignatureKind.values), name="consent_signature_kind_valid"
            ),
            models.CheckConstraint(condition=models.Q(channel__in=ConsentChannel.values), name="consent_channel_valid"),
            # A drawn consent carries its image, a typed one its text: never a consent with neither.
            models.CheckConstraint(
                condition=(models.Q(signature_kind="drawn") & ~models.Q(signature_image=""))
                | (models.Q(signature_kind="typed") & ~models.Q(signature_typed="")),
                name="consent_signature_present",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} consent {self.signed_at:%Y-%m-%d}"
