import pytest

from acupath.core.models import AuditEvent
from acupath.patients.consent_models import Consent
from tests.consents import TINY_PNG, sign_consent
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db

BODY = {"kind": "acupuncture", "signed_by": "Asha Rao", "signature": "Asha Rao"}


def url(patient, tail=""):
    return f"/api/v1/patients/{patient.public_id}/consents{tail}"


def test_signing_answers_201_with_the_text_version_signed(api, patient, practitioner):
    r = api.post(url(patient), BODY | {"signature": TINY_PNG}, user=practitioner.user)
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["kind"], body["text_version"], body["signature_kind"], body["channel"]) == (
        "acupuncture",
        1,
        "drawn",
        "api",
    )
    assert body["withdrawn_at"] is None and Consent.objects.get(public_id=body["id"]).patient == patient


def test_a_bad_signature_answers_422_naming_the_field(api, patient, practitioner):
    r = api.post(url(patient), BODY | {"signature": "data:image/svg+xml;base64,PHN2Zz4="}, user=practitioner.user)
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["body", "signature"]


def test_an_unknown_kind_answers_422(api, patient, practitioner):
    assert api.post(url(patient), BODY | {"kind": "tattoo"}, user=practitioner.user).status_code == 422


def test_another_patients_id_is_not_found_for_a_patient(api, patient_user, clinic):
    other = PatientFactory(clinic=clinic)
    assert api.post(url(other), BODY, user=patient_user).status_code == 404
    assert api.get(url(other), user=patient_user).status_code == 404
    assert not Consent.objects.exists()


def test_a_patient_signs_and_lists_their_own(api, patient_user, patient):
    assert api.post(url(patient), BODY, user=patient_user).status_code == 201
    listed = api.get(url(patient), user=patient_user).json()
    assert [c["signed_by"] for c in listed] == ["Asha Rao"]
    assert AuditEvent.objects.filter(entity="consent_list", patient_id=patient.public_id).exists()


def test_a_made_up_patient_id_is_not_found(api, practitioner):
    assert api.post("/api/v1/patients/00000000-0000-4000-8000-000000000000/consents", BODY,
                    user=practitioner.user).status_code == 404  # fmt: skip


def test_withdrawal_answers_with_its_time_and_a_second_one_is_409(api, patient, practitioner):
    consent = sign_consent(patient)
    r = api.post(url(patient, f"/{consent.public_id}/withdraw"), {"reason": "Changed my mind"}, user=practitioner.user)
    assert r.status_code == 200 and r.json()["withdrawn_at"] and r.json()["withdrawn_reason"] == "Changed my mind"
    assert api.post(url(patient, f"/{consent.public_id}/withdraw"), {}, user=practitioner.user).status_code == 409


def test_a_consent_of_another_patient_cannot_be_withdrawn_through_this_one(api, patient, practitioner, clinic):
    other = PatientFactory(clinic=clinic)
    consent = sign_consent(other)
    r = api.post(url(patient, f"/{consent.public_id}/withdraw"), {}, user=practitioner.user)
    assert r.status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


def test_a_patient_cannot_withdraw_another_patients_consent(api, patient_user, clinic):
    other = PatientFactory(clinic=clinic)
    consent = sign_consent(other)
    assert api.post(url(other, f"/{consent.public_id}/withdraw"), {}, user=patient_user).status_code == 404


def test_the_current_text_is_readable_before_signing(api, patient, patient_user):
    r = api.get(f"/api/v1/patients/{patient.public_id}/consent-texts/acupuncture", user=patient_user)
    assert r.status_code == 200 and r.json()["version"] == 1 and "pneumothorax" in r.json()["body"]


def test_openapi_describes_the_consent_endpoints_with_coded_fields_as_enums(client):
    document = client.get("/api/v1/openapi.json").json()
    assert {
        "/api/v1/patients/{patient_id}/consents",
        "/api/v1/patients/{patient_id}/consents/{consent_id}/withdraw",
    } <= set(document["paths"])
    schemas = document["components"]["schemas"]
    assert schemas["ConsentKind"]["enum"] == ["acupuncture"]
    assert set(schemas["SignatureKind"]["enum"]) == {"drawn", "typed"}
