from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

from acupath.clinic.models import Clinic
from acupath.core.models import Entity
from acupath.patients.domain.identifiers import display as identifier_display
from acupath.patients.enums import ContactChannel, IdentifierType, Language, PatientStatus, Sex

__all__ = ["Patient", "PatientMerge", "PatientStatus", "Sex"]


def _in(field: str, values: list[str], blank: bool = False) -> models.Q:
    q = models.Q(**{f"{field}__in": values})
    return q | models.Q(**{field: ""}) if blank else q


class Patient(Entity):
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="patients")
    given_name = models.CharField(max_length=80)
    family_name = models.CharField(max_length=80)
    birth_date = models.DateField()
    sex = models.CharField(max_length=10, choices=Sex.choices)  # no default: always chosen
    phone = models.CharField(max_length=30, blank=True)
    # The phone's last ten digits (patients/domain/duplicates.py): what the duplicate check compares.
    phone_key = models.CharField(max_length=15, blank=True)
    email = models.EmailField(blank=True)  # stored lower case, so the duplicate check reads an index
    status = models.CharField(max_length=10, choices=PatientStatus.choices, default=PatientStatus.ACTIVE)
    # The portal login of this patient, if they have one.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="patient"
    )

    address = models.TextField(blank=True)  # street lines, as on an envelope
    city = models.CharField(max_length=80, blank=True)
    postal_code = models.CharField(max_length=12, blank=True)
    emergency_name = models.CharField(max_length=120, blank=True)
    emergency_relationship = models.CharField(max_length=60, blank=True)
    emergency_phone = models.CharField(max_length=30, blank=True)
    # Who referred the patient: the outcome letters go to them.
    referrer_name = models.CharField(max_length=120, blank=True)
    referrer_practice = models.CharField(max_length=160, blank=True)
    referrer_contact = models.CharField(max_length=160, blank=True)  # address, phone or e-mail
    identifier_type = models.CharField(max_length=20, choices=IdentifierType.choices, blank=True)
    identifier = models.CharField(max_length=40, blank=True)  # compact: no spaces or dashes
    language = models.CharField(max_length=8, choices=Language.choices, blank=True)
    contact_channel = models.CharField(max_length=10, choices=ContactChannel.choices, blank=True)
    # Communication consents: when the patient agreed to reminders on each channel (null: not agreed).
    reminders_email_since = models.DateTimeField(null=True, blank=True)
    reminders_sms_since = models.DateTimeField(null=True, blank=True)
    reminders_whatsapp_since = models.DateTimeField(null=True, blank=True)
    desk_notes = models.TextField(blank=True)  # for the front desk; never clinical
    # Set when online booking registered this record although it resembles another: the desk checks.
    duplicate_suspected = models.BooleanField(default=False)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["family_name", "given_name", "id"]
        indexes = [
            models.Index(Lower("family_name"), Lower("given_name"), name="patient_name_ci"),
            models.Index(Lower("given_name"), name="patient_given_ci"),
            # The duplicate check: one index per rule, so each arm of its OR reads only its matches.
            models.Index(fields=["birth_date"], name="patient_birth_date"),
            models.Index(fields=["phone_key"], name="patient_phone_key"),
            models.Index(fields=["email"], name="patient_email"),
            models.Index(fields=["identifier"], name="patient_identifier"),
        ]
        constraints = [
            models.CheckConstraint(condition=_in("sex", Sex.values), name="patient_sex_valid"),
            models.CheckConstraint(condition=_in("status", PatientStatus.values), name="patient_status_valid"),
            models.CheckConstraint(
                condition=_in("identifier_type", IdentifierType.values, blank=True),
                name="patient_identifier_type_valid",
            ),
            models.CheckConstraint(
                condition=_in("language", Language.values, blank=True), name="patient_language_valid"
            ),
            models.CheckConstraint(
                condition=_in("contact_channel", ContactChannel.values, blank=True), name="patient_channel_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status=PatientStatus.MERGED, merged_into__isnull=False)
                | (~models.Q(status=PatientStatus.MERGED) & models.Q(merged_into__isnull=True)),
                name="patient_merged_has_survivor",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def identifier_shown(self) -> str:
        return identifier_display(self.identifier_type, self.identifier)

    @property
    def reminder_consents(self) -> dict[str, object]:
        """Channel -> when the patient agreed to reminders on it, for the channels agreed."""
        given = {
            ContactChannel.EMAIL: self.reminders_email_since,
            ContactChannel.SMS: self.reminders_sms_since,
            ContactChannel.WHATSAPP: self.reminders_whatsapp_since,
        }
        return {channel: at for channel, at in given.items() if at is not None}


class PatientMerge(Entity):
    """Two records found to be one person: every linked row moved from `merged` to `survivor`.

    `moved` names each row that moved ("app.Model.field" -> primary keys), so a reversal moves
    exactly those back; `watermarks` holds each linked table's highest primary key at the merge,
    so a row added to the survivor afterwards is recognised and the reversal refused.
    """

    survivor = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="+")
    merged = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="+")
    merged_status = models.CharField(max_length=10, choices=PatientStatus.choices)  # before the merge
    reason = models.CharField(max_length=300, blank=True)
    moved = models.JSONField(default=dict)
    watermarks = models.JSONField(default=dict)
    login_moved = models.BooleanField(default=False)
    reversed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["survivor", "reversed_at"], name="merge_survivor_open")]
        constraints = [
            models.CheckConstraint(condition=~models.Q(survivor=models.F("merged")), name="merge_two_records"),
        ]

    def __str__(self) -> str:
        return f"merge {self.merged_id} into {self.survivor_id}"

    @property
    def moved_count(self) -> int:
        return sum(len(pks) for pks in self.moved.values())


# Consent lives in its own module; imported here so Django registers its models with this app.
from acupath.patients.consent_models import Consent, ConsentText  # noqa: E402

__all__ = ["Consent", "ConsentText", "Patient", "PatientStatus", "Sex"]
