from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

from acupath.clinic.models import Clinic
from acupath.core.models import Entity


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other"
    UNKNOWN = "unknown", "Unknown"


class PatientStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    PENDING = "pending", "Pending (booked online, not yet confirmed)"


class Patient(Entity):
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="patients")
    given_name = models.CharField(max_length=80)
    family_name = models.CharField(max_length=80)
    birth_date = models.DateField()
    sex = models.CharField(max_length=10, choices=Sex.choices)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    status = models.CharField(max_length=10, choices=PatientStatus.choices, default=PatientStatus.ACTIVE)
    # The portal login of this patient, if they have one.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="patient"
    )

    class Meta:
        ordering = ["family_name", "given_name", "id"]
        indexes = [
            models.Index(Lower("family_name"), Lower("given_name"), name="patient_name_ci"),
            models.Index(Lower("given_name"), name="patient_given_ci"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(sex__in=Sex.values), name="patient_sex_valid"),
            models.CheckConstraint(condition=models.Q(status__in=PatientStatus.values), name="patient_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"


# Consent lives in its own module; imported here so Django registers its models with this app.
from acupath.patients.consent_models import Consent, ConsentText  # noqa: E402

__all__ = ["Consent", "ConsentText", "Patient", "PatientStatus", "Sex"]
