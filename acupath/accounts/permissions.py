"""The permission catalogue: what each role may do. Apps ask `can(user, capability)`."""

from enum import StrEnum
from typing import Any

from acupath.accounts.models import Role


class Capability(StrEnum):
    VIEW_DEMOGRAPHICS = "view_demographics"
    EDIT_DEMOGRAPHICS = "edit_demographics"
    VIEW_CLINICAL = "view_clinical"
    EDIT_CLINICAL = "edit_clinical"
    BOOK_APPOINTMENTS = "book_appointments"
    VIEW_SCHEDULE = "view_schedule"
    VIEW_AUDIT = "view_audit"
    VIEW_REFERENCE = "view_reference"
    # Merging two patient records moves their whole history: the owner's decision alone.
    MERGE_PATIENTS = "merge_patients"
    # Billing is the desk's and the owner's; a practitioner treats and does not handle money.
    BILL = "bill"
    VIEW_INVOICES = "view_invoices"
    # Lifting a sign-in lockout undoes a guard against guessing: the owner's alone.
    UNLOCK_ACCOUNTS = "unlock_accounts"


_STAFF_COMMON = {
    Capability.VIEW_DEMOGRAPHICS,
    Capability.EDIT_DEMOGRAPHICS,
    Capability.BOOK_APPOINTMENTS,
    Capability.VIEW_SCHEDULE,
    Capability.VIEW_REFERENCE,
}

ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.OWNER: frozenset(Capability),
    Role.PRACTITIONER: frozenset(_STAFF_COMMON | {Capability.VIEW_CLINICAL, Capability.EDIT_CLINICAL}),
    # Front desk runs the day but does not read clinical notes.
    Role.FRONTDESK: frozenset(_STAFF_COMMON | {Capability.BILL, Capability.VIEW_INVOICES}),
    # A patient sees their own record only; the patients app narrows every query to it.
    Role.PATIENT: frozenset(
        {
            Capability.VIEW_DEMOGRAPHICS,
            Capability.VIEW_CLINICAL,
            Capability.VIEW_REFERENCE,
            Capability.VIEW_INVOICES,
        }
    ),
}


def can(user: Any, capability: Capability) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return capability in ROLE_CAPABILITIES.get(user.role, frozenset())


def is_staff_member(user: Any) -> bool:
    return getattr(user, "is_authenticated", False) and user.role in (Role.OWNER, Role.PRACTITIONER, Role.FRONTDESK)
