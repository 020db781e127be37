"""Registering a patient and keeping their details: validated, checked for duplicates, audited."""

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from acupath.clinic.models import Clinic
from acupath.core.audit import audit_record
from acupath.core.errors import Conflict, ServiceError
from acupath.core.models import AuditAction
from acupath.patients.domain.duplicates import email_key, phone_key
from acupath.patients.domain.identifiers import compact, identifier_error
from acupath.patients.enums import ContactChannel, DuplicatePolicy, IdentifierType, Language, PatientStatus, Sex
from acupath.patients.models import Patient
from acupath.patients.selectors import DuplicateCandidate, patient_duplicates

PHONE = re.compile(r"^\+?[0-9][0-9 ()\-]{5,24}$")
TEXT_FIELDS = (
    "address", "city", "postal_code", "emergency_name", "emergency_relationship", "emergency_phone",
    "referrer_name", "referrer_practice", "referrer_contact", "language", "contact_channel", "desk_notes",
)  # fmt: skip
CONSENTS = {"reminders_email": "reminders_email_since", "reminders_sms": "reminders_sms_since",
            "reminders_whatsapp": "reminders_whatsapp_since"}  # fmt: skip


@dataclass(frozen=True)
class PatientDetails:
    given_name: str
    family_name: str
    birth_date: dt.date
    sex: str
    phone: str = ""
    email: str = ""
    address: str = ""
    city: str = ""
    postal_code: str = ""
    emergency_name: str = ""
    emergency_relationship: str = ""
    emergency_phone: str = ""
    referrer_name: str = ""
    referrer_practice: str = ""
    referrer_contact: str = ""
    identifier_type: str = ""
    identifier: str = ""
    language: str = ""
    contact_channel: str = ""
    reminders_email: bool = False
    reminders_sms: bool = False
    reminders_whatsapp: bool = False
    desk_notes: str = ""

    @classmethod
    def of(cls, patient: Patient) -> "PatientDetails":
        """The details a patient record holds now (the edit form starts from them)."""
        values: dict[str, Any] = {
            f.name: getattr(patient, f.name) for f in dataclasses.fields(cls) if f.name not in CONSENTS
        }
        values |= {flag: getattr(patient, since) is not None for flag, since in CONSENTS.items()}
        return cls(**values)


class DuplicateFound(Conflict):
    """Registering would likely make a second record of someone already registered."""

    def __init__(self, candidates: list[DuplicateCandidate]):
        self.candidates = candidates
        super().__init__(
            "This patient may already be registered: check the records shown. If none of them is this "
            "patient, confirm that a new record is wanted."
        )


def _identity_errors(details: PatientDetails) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not details.given_name.strip():
        errors["given_name"] = "Enter the patient's given (first) name."
    if not details.family_name.strip():
        errors["family_name"] = "Enter the patient's family name (surname)."
    today = timezone.localdate()
    if details.birth_date > today:
        errors["birth_date"] = "Date of birth cannot be in the future."
    elif details.birth_date < today.replace(year=today.year - 120):
        errors["birth_date"] = "Date of birth is more than 120 years ago; check the year."
    if details.sex not in Sex.values:
        errors["sex"] = "Choose the patient's sex, or 'Prefer not to say'."
    return errors


def _contact_errors(details: PatientDetails) -> dict[str, str]:
    errors: dict[str, str] = {}
    for name in ("phone", "emergency_phone"):
        value = getattr(details, name).strip()
        if value and not PHONE.match(value):
            errors[name] = "Enter a phone number of digits, optionally starting with + (e.g. +91 98450 12345)."
    if details.email:
        try:
            validate_email(details.email.strip())
        except ValidationError:
            errors["email"] = "Enter an email address like name@example.com."
    if not details.phone.strip() and not details.email.strip():
        errors.setdefault("phone", "Enter a phone number or an email address so the clinic can reach the patient.")
    if details.emergency_phone.strip() and not details.emergency_name.strip():
        errors["emergency_name"] = "Enter whom the emergency number reaches."
    if details.language and details.language not in Language.values:
        errors["language"] = "Choose a language from the list, or 'Another language' and say which in the notes."
    if details.contact_channel and details.contact_channel not in ContactChannel.values:
        errors["contact_channel"] = "Choose how the patient prefers to be contacted."
    elif details.contact_channel == ContactChannel.EMAIL and not details.email.strip():
        errors["contact_channel"] = "The patient prefers e-mail: enter their e-mail address."
    elif details.contact_channel and details.contact_channel != ContactChannel.EMAIL and not details.phone.strip():
        errors["contact_channel"] = "The patient prefers phone, SMS or WhatsApp: enter their phone number."
    if details.reminders_email and not details.email.strip():
        errors["reminders_email"] = "E-mail reminders need an e-mail address: enter it, or untick the reminder."
    for flag in ("reminders_sms", "reminders_whatsapp"):
        if getattr(details, flag) and not details.phone.strip():
            errors[flag] = "Reminders by SMS or WhatsApp need a phone number: enter it, or untick the reminder."
    return errors


def _identifier_errors(details: PatientDetails) -> dict[str, str]:
    kind, number = details.identifier_type, details.identifier.strip()
    if kind and kind not in IdentifierType.values:
        return {"identifier_type": "Choose the kind of number from the list."}
    if number and not kind:
        return {"identifier_type": "Choose what kind of number this is (for example Aadhaar or insurance)."}
    if kind and not number:
        return {"identifier": "Enter the number, or choose no identifier."}
    if kind and (problem := identifier_error(kind, number)):
        return {"identifier": problem}
    return {}


def patient_details_errors(details: PatientDetails) -> dict[str, str]:
    """Every problem with the details at once, each saying how to fix it."""
    return _identity_errors(details) | _contact_errors(details) | _identifier_errors(details)


def _values(details: PatientDetails, current: Patient | None, now: dt.datetime) -> dict[str, Any]:
    values: dict[str, Any] = {
        "given_name": details.given_name.strip(),
        "family_name": details.family_name.strip(),
        "birth_date": details.birth_date,
        "sex": details.sex,
        "phone": details.phone.strip(),
        "phone_key": phone_key(details.phone),
        "email": email_key(details.email),
        "identifier_type": details.identifier_type,
        "identifier": compact(details.identifier_type, details.identifier) if details.identifier_type else "",
    }
    values |= {name: getattr(details, name).strip() for name in TEXT_FIELDS}
    for flag, since in CONSENTS.items():
        before = getattr(current, since) if current is not None else None
        values[since] = (before or now) if getattr(details, flag) else None  # keep the date first agreed
    return values


@transaction.atomic
def patient_register(
    *,
    actor: Any,
    clinic: Clinic,
    details: PatientDetails,
    status: str = PatientStatus.ACTIVE,
    duplicates: DuplicatePolicy = DuplicatePolicy.REFUSE,
    via: str = "web",
) -> Patient:
    """A new patient record, unless it likely duplicates one (then DuplicateFound, by default).

    CONFIRMED_NEW registers anyway (the user saw the candidates); FLAG registers and marks the
    record for the desk to check, for callers that must not show a visitor other patients.
    """
    if errors := patient_details_errors(details):
        raise ServiceError(errors)
    candidates = patient_duplicates(clinic, details)
    if candidates and duplicates == DuplicatePolicy.REFUSE:
        raise DuplicateFound(candidates)
    now = timezone.now()
    patient = Patient.objects.create(
        clinic=clinic,
        status=status,
        duplicate_suspected=bool(candidates) and duplicates == DuplicatePolicy.FLAG,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **_values(details, None, now),
    )
    summary = f"registered beside {len(candidates)} possible duplicate(s)" if candidates else ""
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        entity="patient",
        entity_id=patient.public_id,
        patient_id=patient.public_id,
        summary=summary,
        via=via,
    )
    return patient


@transaction.atomic
def patient_update(*, actor: Any, patient: Patient, details: PatientDetails, via: str = "web") -> Patient:
    """Change a patient's details (identity, contact, referrer, consents, desk notes)."""
    if patient.status == PatientStatus.MERGED:
        raise Conflict("This record was merged into another one: change the details there.")
    if errors := patient_details_errors(details):
        raise ServiceError(errors)
    values = _values(details, patient, timezone.now())
    changed = sorted(name for name, value in values.items() if getattr(patient, name) != value)
    for name, value in values.items():
        setattr(patient, name, value)
    patient.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    patient.save()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        entity="patient",
        entity_id=patient.public_id,
        patient_id=patient.public_id,
        summary=("changed " + ", ".join(changed))[:200] if changed else "no change",
        via=via,
    )
    return patient
