from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.functions import Collate, Lower
from django.db.models.lookups import StartsWith

from acupath.core.audit import audit_record
from acupath.core.models import AuditAction
from acupath.patients.access import patients_visible_to
from acupath.patients.domain.duplicates import email_key, names_similar, phone_key
from acupath.patients.domain.identifiers import compact
from acupath.patients.enums import DuplicateReason, PatientStatus
from acupath.patients.models import Patient, PatientMerge

if TYPE_CHECKING:
    from acupath.clinic.models import Clinic
    from acupath.patients.services.register import PatientDetails

DUPLICATES_SHOWN = 10
# Rows sharing one of the keys that are read to find them; a birth date is shared by about one
# patient in 10,000 of a clinic's register (100,000 patients: ~4), so this is never reached in use.
DUPLICATE_ROWS_READ = 200


def patient_search(user: Any, q: str = "") -> QuerySet[Patient]:
    """Patients this user may see, narrowed by every word of `q` matching a name's start."""
    # Merged records stay findable (badged), so an old registration leads to the record that kept it.
    qs = patients_visible_to(user).only(
        "public_id", "given_name", "family_name", "birth_date", "sex", "phone", "email", "status"
    )
    for word in q.split()[:4]:
        qs = qs.filter(_name_starts("family_name", word) | _name_starts("given_name", word))
    return qs.order_by(*_name_order())


# Both shapes below are the ones an index of migration patients/0002 answers; any other spelling
# of "starts with, ignoring case" or "by name" reads every patient on one database or the other.


def _name_starts(field: str, word: str) -> Q:
    if connection.vendor == "postgresql":
        return Q(StartsWith(Lower(field), word.lower()))
    return Q(**{f"{field}__istartswith": word})  # SQLite's LIKE, read from its NOCASE index


def _name_order() -> list[Any]:
    if connection.vendor == "sqlite":
        return [Collate("family_name", "nocase"), Collate("given_name", "nocase"), "id"]
    return [Lower("family_name"), Lower("given_name"), "id"]


def patient_page(user: Any, q: str, offset: int, limit: int, via: str) -> tuple[list[Patient], int]:
    """One page of the patient list, audited as a read of the list (not of each record)."""
    qs = patient_search(user, q)
    items = list(qs[offset : offset + limit])
    count = qs.count()
    audit_record(actor=user, action=AuditAction.READ, entity="patient_list", summary=f"{len(items)} shown", via=via)
    return items, count


def patient_audited_read(user: Any, patient: Patient, entity: str = "patient", via: str = "web") -> None:
    audit_record(
        actor=user,
        action=AuditAction.READ,
        entity=entity,
        entity_id=patient.public_id,
        patient_id=patient.public_id,
        via=via,
    )


# --- likely duplicates ----------------------------------------------------------------------------


@dataclass(frozen=True)
class DuplicateCandidate:
    patient: Patient
    reasons: tuple[DuplicateReason, ...]


def _reasons(row: Patient, details: "PatientDetails", keys: dict[str, str]) -> tuple[DuplicateReason, ...]:
    reasons = []
    if row.identifier and keys["identifier"] == row.identifier and row.identifier_type == details.identifier_type:
        reasons.append(DuplicateReason.IDENTIFIER)
    if keys["phone"] and row.phone_key == keys["phone"]:
        reasons.append(DuplicateReason.PHONE)
    if keys["email"] and row.email == keys["email"]:
        reasons.append(DuplicateReason.EMAIL)
    if row.birth_date == details.birth_date and names_similar(
        details.given_name, details.family_name, row.given_name, row.family_name
    ):
        reasons.append(DuplicateReason.BIRTH_DATE_AND_NAME)
    return tuple(reasons)


def _duplicate_keys(details: "PatientDetails") -> dict[str, str]:
    return {
        "phone": phone_key(details.phone),
        "email": email_key(details.email),
        "identifier": compact(details.identifier_type, details.identifier) if details.identifier_type else "",
    }


def duplicate_rows(details: "PatientDetails") -> QuerySet[Patient]:
    """The rows sharing a birth date, a phone, an e-mail or an identifier with `details`.

    Each arm of the OR is an equality on its own index (migration patients/0003), so the
    database reads only the matching rows at any register size (SQLite: MULTI-INDEX OR;
    PostgreSQL: BitmapOr). The clinic and the status are checked on those few rows: as a term
    of the query, either database may prefer to read the whole clinic through its index.
    """
    keys = _duplicate_keys(details)
    match = Q(birth_date=details.birth_date)
    for column, key in (("phone_key", "phone"), ("email", "email"), ("identifier", "identifier")):
        if keys[key]:
            match |= Q(**{column: keys[key]})
    return (
        Patient.objects.filter(match)
        .only(
            "public_id", "given_name", "family_name", "birth_date", "sex", "phone", "phone_key", "email",
            "identifier_type", "identifier", "status", "clinic_id",
        )
        .order_by()[:DUPLICATE_ROWS_READ]
    )  # fmt: skip


def patient_duplicates(
    clinic: "Clinic", details: "PatientDetails", exclude: Patient | None = None
) -> list[DuplicateCandidate]:
    """Records of `clinic` that are likely the person `details` describe, strongest first (one query).

    Names are compared here, on the few rows `duplicate_rows` reads, by domain/duplicates.py.
    """
    keys = _duplicate_keys(details)
    found = [
        DuplicateCandidate(row, reasons)
        for row in duplicate_rows(details)
        if row.clinic_id == clinic.pk
        and row.status != PatientStatus.MERGED
        and (exclude is None or row.pk != exclude.pk)
        and (reasons := _reasons(row, details, keys))
    ]
    found.sort(key=lambda c: (-len(c.reasons), c.patient.family_name.lower(), c.patient.given_name.lower()))
    return found[:DUPLICATES_SHOWN]


def patient_merges(patient: Patient) -> list[PatientMerge]:
    """Merges into this patient, newest first, with the record each absorbed."""
    return list(PatientMerge.objects.filter(survivor=patient).select_related("merged").order_by("-created_at"))
