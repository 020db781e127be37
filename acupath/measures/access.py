"""Who may read and write a patient's clinical measures (and, reused by intake, consultations).

Each condition on its own line. A patient the user may not see is not found (404), whatever the
reason; a patient the user can see but whose clinical record their role may not change is
forbidden (403): a patient reading their own record may not write to it.
"""

import uuid
from typing import Any

from acupath.accounts.permissions import Capability, can
from acupath.core.errors import Forbidden
from acupath.patients.access import access_patient_by_id
from acupath.patients.models import Patient


def access_patient_clinical_read(user: Any, patient_id: uuid.UUID | str) -> Patient:
    """Practitioners and owners see any patient's clinical record, a patient their own; the front
    desk sees none (not found)."""
    return access_patient_by_id(user, patient_id, Capability.VIEW_CLINICAL)


def access_patient_clinical_write(user: Any, patient_id: uuid.UUID | str) -> Patient:
    patient = access_patient_by_id(user, patient_id, Capability.VIEW_CLINICAL)
    if not can(user, Capability.EDIT_CLINICAL):
        raise Forbidden("Only practitioners may record clinical data.")
    return patient
