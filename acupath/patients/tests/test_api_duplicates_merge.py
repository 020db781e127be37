"""The API: 409 with candidates before a likely duplicate, 201 with confirm_new; merge and reverse."""

import pytest

from acupath.core.models import AuditEvent
from acupath.patients.models import Patient, PatientMerge
from tests.factories import ClinicFactory, PatientFactory

pytestmark = pytest.mark.django_db

KAVYA = {
    "given_name": "Kavya",
    "family_name": "Hegde",
    "birth_date": "1991-03-04",
    "sex": "female",
    "phone": "+91 98450 11111",
    "email": "kavya@example.in",
}


def test_a_likely_duplicate_answers_409_with_the_candidates(api, frontdesk, clinic):
    first = api.post("/api/v1/patients", KAVYA, user=frontdesk).json()
    response = api.post("/api/v1/patients", KAVYA | {"email": "", "phone": "098450-11111"}, user=frontdesk)
    assert response.status_code == 409
    body = response.json()
    assert "may already be registered" in body["detail"]
    assert [c["patient"]["id"] for c in body["candidates"]] == [first["id"]]
    assert set(body["candidates"][0]["reasons"]) == {"phone", "birth_date_and_name"}
    assert Patient.objects.count() == 1


def test_confirm_new_registers_a_second_record_with_201(api, frontdesk, clinic):
    api.post("/api/v1/patients", KAVYA, user=frontdesk)
    response = api.post("/api/v1/patients", KAVYA | {"confirm_new": True}, user=frontdesk)
    assert response.status_code == 201, response.content
    assert Patient.objects.count() == 2


def test_sex_must_be_chosen_and_prefer_not_to_say_is_a_choice(api, frontdesk, clinic):
    without = {k: v for k, v in KAVYA.items() if k != "sex"}
    assert api.post("/api/v1/patients", without, user=frontdesk).status_code == 422
    response = api.post("/api/v1/patients", KAVYA | {"sex": "not_stated"}, user=frontdesk)
    assert response.status_code == 201 and response.json()["sex"] == "not_stated"


def test_the_details_a_clinic_keeps_round_trip(api, frontdesk, clinic):
    details = KAVYA | {
        "address": "12 MG Road",
        "city": "Bengaluru",
        "postal_code": "560001",
        "emergency_name": "Arjun Hegde",
        "emergency_relationship": "husband",
        "emergency_phone": "+91 98450 22222",
        "referrer_name": "Dr Anita Rao",
        "referrer_practice": "Jayanagar Family Clinic",
        "referrer_contact": "anita.rao@example.in",
        "identifier_type": "aadhaar",
        "identifier": "2345 6789 0124",
        "language": "kn",
        "contact_channel": "whatsapp",
        "reminders_whatsapp": True,
        "desk_notes": "Prefers ground-floor room",
    }
    body = api.post("/api/v1/patients", details, user=frontdesk).json()
    assert (body["identifier"], body["language"], body["contact_channel"]) == ("234567890124", "kn", "whatsapp")
    assert body["reminders_whatsapp_since"] is not None and body["reminders_sms_since"] is None
    assert (body["emergency_name"], body["referrer_practice"]) == ("Arjun Hegde", "Jayanagar Family Clinic")


def test_an_invalid_aadhaar_number_says_what_to_fix(api, frontdesk, clinic):
    bad = KAVYA | {"identifier_type": "aadhaar", "identifier": "2345 6789 0123"}
    response = api.post("/api/v1/patients", bad, user=frontdesk)
    assert response.status_code == 422
    assert any("last digit" in d["msg"] for d in response.json()["detail"])


def test_the_owner_merges_and_reverses_through_the_api(api, owner, clinic):
    survivor, merged = PatientFactory(clinic=clinic), PatientFactory(clinic=clinic)
    response = api.post(f"/api/v1/patients/{survivor.public_id}/merge", {"merged": str(merged.public_id)}, user=owner)
    assert response.status_code == 201, response.content
    merge_id = response.json()["id"]
    assert response.json()["survivor"] == str(survivor.public_id)
    reverse = api.post(f"/api/v1/patients/merges/{merge_id}/reverse", {}, user=owner)
    assert reverse.status_code == 200 and reverse.json()["reversed_at"]
    again = api.post(f"/api/v1/patients/merges/{merge_id}/reverse", {}, user=owner)
    assert again.status_code == 409
    assert AuditEvent.objects.filter(entity="patient_merge").count() == 4


@pytest.mark.parametrize("role", ["frontdesk", "practitioner"])
def test_only_the_owner_may_merge(api, request, clinic, role):
    user = request.getfixturevalue(role)
    user = getattr(user, "user", user)
    survivor, merged = PatientFactory(clinic=clinic), PatientFactory(clinic=clinic)
    response = api.post(f"/api/v1/patients/{survivor.public_id}/merge", {"merged": str(merged.public_id)}, user=user)
    assert response.status_code == 404
    assert not PatientMerge.objects.exists()


def test_a_record_of_another_clinic_is_not_found(api, owner, clinic):
    survivor = PatientFactory(clinic=clinic)
    theirs = PatientFactory(clinic=ClinicFactory(name="Elsewhere"))
    response = api.post(f"/api/v1/patients/{survivor.public_id}/merge", {"merged": str(theirs.public_id)}, user=owner)
    assert response.status_code == 404


def test_reversing_someone_elses_merge_id_is_not_found(api, frontdesk, owner, clinic):
    a, b = PatientFactory(clinic=clinic), PatientFactory(clinic=clinic)
    merge_id = api.post(f"/api/v1/patients/{a.public_id}/merge", {"merged": str(b.public_id)}, user=owner).json()["id"]
    assert api.post(f"/api/v1/patients/merges/{merge_id}/reverse", {}, user=frontdesk).status_code == 404
