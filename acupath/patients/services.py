"""Writes to the patient record: validate, one transaction, audit."""

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
from acupath.core.errors import ServiceError
from acupath.core.models import AuditAction
from acupath.patients.models import Patient, PatientStatus, Sex

PHONE = re.compile(r"^\+?[0-9][0-9 ()\-]{5,24}$")


@dataclass(frozen=True)
class PatientDetails:
    given_name: str
    family_name: str
    birth_date: dt.date
    sex: str
    phone: str = ""
    email: str = ""


def patient_details_errors(details: PatientDetails) -> dict[str, str]:
    """Every problem with the details at once, each saying how to fix it."""
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
        errors["sex"] = f"Choose one of: {', '.join(Sex.values)}."
    if details.phone and not PHONE.match(details.phone.strip()):
        errors["phone"] = "Enter a phone number of digits, optionally starting with + (e.g. +91 98450 12345)."
    if details.email:
        try:
            validate_email(details.email.strip())
        except ValidationError:
            errors["email"] = "Enter an email address like name@example.com."
    if not details.phone.strip() and not details.email.strip():
        errors.setdefault("phone", "Enter a phone number or an email address so the clinic can reach the patient.")
    return errors


@transaction.atomic
def patient_register(
    *, actor: Any, clinic: Clinic, details: PatientDetails, status: str = PatientStatus.ACTIVE, via: str = "web"
) -> Patient:
    if errors := patient_details_errors(details):
        raise ServiceError(errors)
    patient = Patient.objects.create(
        clinic=clinic,
        given_name=details.given_name.strip(),
        family_name=details.family_name.strip(),
        birth_date=details.birth_date,
        sex=details.sex,
        phone=details.phone.strip(),
        email=details.email.strip().lower(),
        status=status,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        entity="patient",
        entity_id=patient.public_id,
        patient_id=patient.public_id,
        via=via,
    )
    return patient
