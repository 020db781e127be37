"""/api/v1/patients/{id}/consents: sign, list and withdraw a patient's consents."""

import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from acupath.patients.access import access_consent_by_id, access_patient_for_consent
from acupath.patients.consent_models import Consent, ConsentChannel, ConsentKind, ConsentText
from acupath.patients.consent_schemas import ConsentIn, ConsentOut, ConsentTextOut, ConsentWithdrawIn
from acupath.patients.consent_selectors import consents_of
from acupath.patients.consent_services import ConsentSigning, consent_record, consent_text_current, consent_withdraw

router = Router(tags=["consents"])


@router.get("/{patient_id}/consents", response=list[ConsentOut])
def list_consents(request: HttpRequest, patient_id: uuid.UUID) -> Any:
    patient = access_patient_for_consent(request.user, patient_id)
    return consents_of(request.user, patient, via="api")


@router.get("/{patient_id}/consent-texts/{kind}", response=ConsentTextOut)
def current_consent_text(request: HttpRequest, patient_id: uuid.UUID, kind: ConsentKind) -> ConsentText:
    """The text the patient would sign now (their clinic's current version)."""
    patient = access_patient_for_consent(request.user, patient_id)
    return consent_text_current(clinic=patient.clinic, kind=kind)


@router.post("/{patient_id}/consents", response={201: ConsentOut})
def sign_consent(request: HttpRequest, patient_id: uuid.UUID, payload: ConsentIn) -> Status[Consent]:
    patient = access_patient_for_consent(request.user, patient_id)
    consent = consent_record(
        actor=request.user,
        patient=patient,
        signing=ConsentSigning(
            kind=payload.kind,
            signed_by=payload.signed_by,
            signature=payload.signature,
            channel=ConsentChannel.API,
            text_version=payload.text_version,
        ),
        via="api",
    )
    return Status(201, consent)


@router.post("/{patient_id}/consents/{consent_id}/withdraw", response=ConsentOut)
def withdraw_consent(
    request: HttpRequest, patient_id: uuid.UUID, consent_id: uuid.UUID, payload: ConsentWithdrawIn
) -> Consent:
    consent = access_consent_by_id(request.user, patient_id, consent_id)
    return consent_withdraw(actor=request.user, consent=consent, reason=payload.reason, via="api")
