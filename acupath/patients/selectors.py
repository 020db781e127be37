from typing import Any

from django.db.models import Q, QuerySet

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
        qs = qs.filter(Q(family_name__istartswith=word) | Q(given_name__istartswith=word))
    return qs.order_by("family_name", "given_name", "id")


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
