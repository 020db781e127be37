"""Writes to the patient record: validate, one transaction, audit."""

from acupath.patients.services.merge import (
    linked_relations,
    patient_key_register,
    patient_merge,
    patient_merge_reverse,
)
from acupath.patients.services.register import (
    DuplicateFound,
    PatientDetails,
    patient_details_errors,
    patient_register,
    patient_update,
)

__all__ = [
    "DuplicateFound",
    "PatientDetails",
    "linked_relations",
    "patient_details_errors",
    "patient_key_register",
    "patient_merge",
    "patient_merge_reverse",
    "patient_register",
    "patient_update",
]
