import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from acupath.accounts.permissions import Capability, can
from acupath.clinic.selectors import clinic_current
from acupath.core.errors import Forbidden, ServiceError
from acupath.patients.access import access_patient_by_id
from acupath.patients.models import Patient
from acupath.patients.schemas import PatientIn, PatientOut, PatientPage
from acupath.patients.selectors import patient_audited_read, patient_page
from acupath.patients.services import PatientDetails, patient_register

router = Router(tags=["patients"])


class PageQuery(Schema):
    q: str = ""
    offset: int = 0
    limit: int = 50


@router.get("", response=PatientPage)
def list_patients(request: HttpRequest, params: Query[PageQuery]) -> dict[str, Any]:
    limit = max(1, min(params.limit, 200))
    items, count = patient_page(request.user, params.q, max(0, params.offset), limit, via="api")
    return {"items": items, "count": count}


@router.post("", response={201: PatientOut})
def create_patient(request: HttpRequest, payload: PatientIn) -> Status[Patient]:
    if not can(request.user, Capability.EDIT_DEMOGRAPHICS):
        raise Forbidden("Your role may not register patients.")
    clinic = clinic_current()
    if clinic is None:
        raise ServiceError("No clinic is set up yet: run `acupath demo` or create one in the admin.")
    patient = patient_register(actor=request.user, clinic=clinic, details=PatientDetails(**payload.dict()), via="api")
    return Status(201, patient)


@router.get("/{patient_id}", response=PatientOut)
def get_patient(request: HttpRequest, patient_id: uuid.UUID) -> Any:
    patient = access_patient_by_id(request.user, patient_id, Capability.VIEW_DEMOGRAPHICS)
    patient_audited_read(request.user, patient, via="api")
    return patient
