from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.functions import Collate, Lower
from django.db.models.lookups import StartsWith

from acupath.core.audit import audit_record
from acupath.core.models import AuditAction
from acupath.patients.access import patients_visible_to
from acupath.patients.models import Patient


def patient_search(user: Any, q: str = "") -> QuerySet[Patient]:
    """Patients this user may see, narrowed by every word of `q` matching a name's start."""
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
