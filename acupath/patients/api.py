import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from acupath.accounts.permissions import Capability, can
from acupath.clinic.selectors import clinic_current
from acupath.core.errors import Forbidden, ServiceError
from acupath.patients.access import access_merge_by_id, access_patient_by_id
from acupath.patients.enums import DuplicatePolicy
from acupath.patients.models import Patient, PatientMerge
from acupath.patients.schemas import (
    DuplicatesOut,
    MergeIn,
    MergeOut,
    PatientDetailsIn,
    PatientIn,
    PatientPage,
    PatientRecordOut,
)
from acupath.patients.selectors import patient_audited_read, patient_page
from acupath.patients.services import (
    DuplicateFound,
    PatientDetails,
    patient_merge,
    patient_merge_reverse,
    patient_register,
    patient_update,
)

router = Router(tags=["patients"])


class PageQuery(Schema):
    q: str = ""
    offset: int = 0
    limit: int = 50


def _details(payload: PatientDetailsIn) -> PatientDetails:
    values = payload.dict(exclude={"confirm_new"})
    for coded in ("identifier_type", "language", "contact_channel"):
        values[coded] = values[coded] or ""
    return PatientDetails(**values)


@router.get("", response=PatientPage)
def list_patients(request: HttpRequest, params: Query[PageQuery]) -> dict[str, Any]:
    limit = max(1, min(params.limit, 200))
    items, count = patient_page(request.user, params.q, max(0, params.offset), limit, via="api")
    return {"items": items, "count": count}


@router.post("", response={201: PatientRecordOut, 409: DuplicatesOut})
def create_patient(request: HttpRequest, payload: PatientIn) -> Status[Any]:
    """Register a patient. Likely duplicates answer 409 with the candidates, unless `confirm_new`."""
    if not can(request.user, Capability.EDIT_DEMOGRAPHICS):
        raise Forbidden("Your role may not register patients.")
    clinic = clinic_current()
    if clinic is None:
        raise ServiceError("No clinic is set up yet: run `acupath demo` or create one in the admin.")
    policy = DuplicatePolicy.CONFIRMED_NEW if payload.confirm_new else DuplicatePolicy.REFUSE
    try:
        patient = patient_register(
            actor=request.user, clinic=clinic, details=_details(payload), duplicates=policy, via="api"
        )
    except DuplicateFound as found:
        candidates = [{"patient": c.patient, "reasons": list(c.reasons)} for c in found.candidates]
        return Status(409, {"detail": str(found), "candidates": candidates})
    return Status(201, patient)


@router.get("/{patient_id}", response=PatientRecordOut)
def get_patient(request: HttpRequest, patient_id: uuid.UUID) -> Any:
    patient = access_patient_by_id(request.user, patient_id, Capability.VIEW_DEMOGRAPHICS)
    patient_audited_read(request.user, patient, via="api")
    return patient


@router.put("/{patient_id}", response=PatientRecordOut)
def update_patient(request: HttpRequest, patient_id: uuid.UUID, payload: PatientDetailsIn) -> Patient:
    patient = access_patient_by_id(request.user, patient_id, Capability.EDIT_DEMOGRAPHICS)
    return patient_update(actor=request.user, patient=patient, details=_details(payload), via="api")


@router.post("/{patient_id}/merge", response={201: MergeOut})
def merge_patient(request: HttpRequest, patient_id: uuid.UUID, payload: MergeIn) -> Status[PatientMerge]:
    """Merge the record `merged` into this one (the owner only): every linked record moves here."""
    survivor = access_patient_by_id(request.user, patient_id, Capability.MERGE_PATIENTS)
    merged = access_patient_by_id(request.user, payload.merged, Capability.MERGE_PATIENTS)
    merge = patient_merge(actor=request.user, survivor=survivor, merged=merged, reason=payload.reason, via="api")
    return Status(201, merge)


@router.post("/merges/{merge_id}/reverse", response=MergeOut)
def reverse_merge(request: HttpRequest, merge_id: uuid.UUID) -> PatientMerge:
    """Undo a merge, refused (409) once anything new was added to the surviving record."""
    merge = access_merge_by_id(request.user, merge_id)
    return patient_merge_reverse(actor=request.user, merge=merge, via="api")
