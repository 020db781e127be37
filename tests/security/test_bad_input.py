"""Bad input answers 4xx naming what to fix, never a 500 (PostgreSQL refuses NUL in text)."""

import json

import pytest
from django.test import override_settings

from acupath.config.api import api as ninja_api
from acupath.patients.models import Patient
from conftest import bearer


@pytest.mark.django_db
def test_nul_in_json_body_refused_with_422_naming_the_field(client, frontdesk):
    payload = {"given_name": "Asha\x00", "family_name": "Rao", "birth_date": "1980-01-01", "sex": "female"}
    response = client.post("/api/v1/patients", payload, content_type="application/json", **bearer(frontdesk))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "given_name"]
    assert not Patient.objects.exists()


@pytest.mark.django_db
def test_nul_in_nested_json_names_its_path(client, frontdesk):
    payload = {"details": [{"note": "ok"}, {"note": "bad\x00"}]}
    response = client.post("/api/v1/patients", payload, content_type="application/json", **bearer(frontdesk))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "details", 1, "note"]


@pytest.mark.django_db
def test_nul_in_query_string_refused_with_422(client, frontdesk):
    response = client.get("/api/v1/patients", {"q": "as\x00ha"}, **bearer(frontdesk))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "q"]


@pytest.mark.django_db
def test_nul_in_a_page_form_refused_with_400(client, owner):
    client.force_login(owner)
    response = client.post("/patients/", {"q": "x\x00"})
    assert response.status_code == 400
    assert b"NUL character" in response.content


@pytest.mark.django_db
@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1024)
def test_body_over_the_limit_answers_json_413(client, frontdesk):
    body = json.dumps({"given_name": "A" * 4096})
    response = client.post("/api/v1/patients", body, content_type="application/json", **bearer(frontdesk))
    assert response.status_code == 413
    assert "too large" in response.json()["detail"]


@pytest.mark.django_db
def test_clean_input_passes_through(client, frontdesk):
    response = client.get("/api/v1/patients", {"q": "asha"}, **bearer(frontdesk))
    assert response.status_code == 200


def test_openapi_component_names_are_distinct():
    """ninja names a second schema of the same name `PointIn2`; two different schemas with one
    title are as confusing to a client generator."""
    schemas = ninja_api.get_openapi_schema()["components"]["schemas"]
    numbered = sorted(name for name in schemas if name[-1].isdigit())
    assert numbered == [], f"rename these schemas distinctly: {numbered}"
    titles: dict[str, list[str]] = {}
    for name, schema in schemas.items():
        titles.setdefault(schema.get("title", name), []).append(name)
    assert {t: n for t, n in titles.items() if len(n) > 1} == {}
