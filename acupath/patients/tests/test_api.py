import pytest

from acupath.core.models import AuditEvent
from tests.factories import PASSWORD, PatientFactory

pytestmark = pytest.mark.django_db


def test_token_sign_in_returns_a_token(api, practitioner):
    response = api.post("/api/v1/auth/token", {"username": "doc", "password": PASSWORD})
    assert response.status_code == 200
    assert len(response.json()["token"]) >= 32


def test_token_sign_in_with_wrong_password_is_401(api, practitioner):
    response = api.post("/api/v1/auth/token", {"username": "doc", "password": "wrong"})
    assert response.status_code == 401


def test_patient_list_without_token_is_401(api, patient):
    assert api.get("/api/v1/patients").status_code == 401


def test_patient_list_with_a_made_up_token_is_401(api, patient):
    response = api.client.get("/api/v1/patients", HTTP_AUTHORIZATION="Bearer not-a-real-token")
    assert response.status_code == 401


def test_practitioner_lists_all_patients_paged(api, practitioner, clinic):
    PatientFactory.create_batch(3, clinic=clinic)
    body = api.get("/api/v1/patients", user=practitioner.user, limit=2).json()
    assert body["count"] == 3
    assert len(body["items"]) == 2
    assert {"id", "given_name", "family_name", "birth_date", "sex", "phone", "email"} <= set(body["items"][0])


def test_patient_list_searches_by_name(api, practitioner, clinic):
    PatientFactory(clinic=clinic, given_name="Meera", family_name="Iyer")
    PatientFactory(clinic=clinic, given_name="Ravi", family_name="Shetty")
    body = api.get("/api/v1/patients", user=practitioner.user, q="mee").json()
    assert [p["family_name"] for p in body["items"]] == ["Iyer"]


def test_patient_user_sees_only_their_own_record(api, patient_user, patient, clinic):
    PatientFactory.create_batch(2, clinic=clinic)
    body = api.get("/api/v1/patients", user=patient_user).json()
    assert body["count"] == 1
    assert body["items"][0]["id"] == str(patient.public_id)


def test_patient_user_cannot_read_another_patient(api, patient_user, clinic):
    other = PatientFactory(clinic=clinic)
    response = api.get(f"/api/v1/patients/{other.public_id}", user=patient_user)
    assert response.status_code == 404


def test_practitioner_reads_one_patient_and_it_is_audited(api, practitioner, patient):
    response = api.get(f"/api/v1/patients/{patient.public_id}", user=practitioner.user)
    assert response.status_code == 200
    assert response.json()["family_name"] == "Rao"
    event = AuditEvent.objects.filter(entity="patient", patient_id=patient.public_id).get()
    assert (event.action, event.actor, event.via) == ("read", practitioner.user, "api")


def test_unknown_patient_id_is_404_not_500(api, practitioner):
    response = api.get("/api/v1/patients/00000000-0000-0000-0000-000000000000", user=practitioner.user)
    assert response.status_code == 404


def test_create_patient_answers_201_with_id(api, frontdesk, clinic):
    payload = {
        "given_name": "Kavya",
        "family_name": "Hegde",
        "birth_date": "1991-03-04",
        "sex": "female",
        "phone": "+91 98450 11111",
        "email": "kavya@example.in",
    }
    response = api.post("/api/v1/patients", payload, user=frontdesk)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["family_name"] == "Hegde"
    assert len(body["id"]) == 36
    assert AuditEvent.objects.filter(action="create", entity="patient").count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"birth_date": "not-a-date"}, "birth_date"),
        ({"sex": "dragon"}, "sex"),
        ({"given_name": ""}, "given_name"),
        ({"birth_date": "2999-01-01"}, "birth_date"),
        ({"email": "nope"}, "email"),
        ({"phone": "call me"}, "phone"),
    ],
)
def test_create_patient_with_bad_input_names_the_field(api, frontdesk, clinic, change, field):
    payload = {
        "given_name": "Kavya",
        "family_name": "Hegde",
        "birth_date": "1991-03-04",
        "sex": "female",
        "phone": "+91 98450 11111",
        "email": "kavya@example.in",
    } | change
    response = api.post("/api/v1/patients", payload, user=frontdesk)
    assert response.status_code == 422
    assert any(field in d["loc"] for d in response.json()["detail"]), response.json()


def test_patient_role_may_not_create_patients(api, patient_user, clinic):
    payload = {
        "given_name": "X",
        "family_name": "Y",
        "birth_date": "1990-01-01",
        "sex": "male",
        "phone": "",
        "email": "x@example.in",
    }
    assert api.post("/api/v1/patients", payload, user=patient_user).status_code == 403


def test_openapi_document_is_served(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/patients" in response.json()["paths"]
