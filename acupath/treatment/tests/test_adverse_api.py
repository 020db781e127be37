"""/api/v1 adverse events and the pages around them: record, read, print, acknowledge, access."""

import pytest
from django.utils import timezone

from acupath.accounts.models import Role
from acupath.clinic.selectors import clinic_zone
from acupath.core.models import AuditEvent
from acupath.treatment.models import AdverseEventAlert
from tests.factories import PatientFactory, UserFactory
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db

SERIOUS = {
    "type": "pneumothorax",
    "severity": "severe",
    "seriousness": ["hospitalisation"],
    "causality": "probable",
    "outcome": "recovering",
    "action_taken": "Needles removed; ambulance called.",
    "description": "Breathless 10 minutes after GB21.",
}


@pytest.fixture
def owner_user(db):
    return UserFactory(username="chief", role=Role.OWNER, email="chief@clinic.test")


@pytest.fixture
def serious(api, started, practitioner, owner_user):
    r = api.post(f"/api/v1/sessions/{started.public_id}/adverse-events", SERIOUS, user=practitioner.user)
    assert r.status_code == 201, r.content
    return r.json()


def test_recording_a_serious_event_answers_it_with_its_open_alert(serious, started):
    assert (serious["type"], serious["serious"], serious["seriousness"]) == ("pneumothorax", True, ["hospitalisation"])
    assert (serious["causality"], serious["outcome"], serious["session"]) == (
        "probable",
        "recovering",
        str(started.public_id),
    )
    assert serious["alert"]["acknowledged_at"] is None


def test_other_without_description_answers_422_naming_the_field(api, started, practitioner):
    body = SERIOUS | {"type": "other", "description": "", "seriousness": [], "severity": "mild"}
    r = api.post(f"/api/v1/sessions/{started.public_id}/adverse-events", body, user=practitioner.user)
    assert r.status_code == 422
    assert [d["loc"] for d in r.json()["detail"]] == [["body", "description"]]


def test_an_unknown_code_answers_422(api, started, practitioner):
    r = api.post(
        f"/api/v1/sessions/{started.public_id}/adverse-events",
        SERIOUS | {"causality": "likely"},
        user=practitioner.user,
    )
    assert r.status_code == 422


def test_reading_an_event_is_audited(api, serious, practitioner):
    r = api.get(f"/api/v1/adverse-events/{serious['id']}", user=practitioner.user)
    assert r.status_code == 200 and r.json()["description"] == SERIOUS["description"]
    assert AuditEvent.objects.filter(entity="adverse_event", action="read", entity_id=serious["id"]).exists()


def test_the_incident_report_prints_the_whole_record(api, serious, practitioner):
    r = api.get(f"/api/v1/adverse-events/{serious['id']}/incident-report.pdf", user=practitioner.user)
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    text = pdf_text(r.content)
    for expected in (
        "Adverse event incident report",
        "SERIOUS ADVERSE EVENT: Hospital admission, or a longer hospital stay",
        "Asha Rao",
        "Pneumothorax (collapsed lung)",
        "Breathless 10 minutes after GB21.",
        "Needles removed; ambulance called.",
        "Probable / likely",
        "Recovering",
        "Not yet acknowledged",
    ):
        assert expected in text, expected
    assert AuditEvent.objects.filter(entity="incident_report", action="read", entity_id=serious["id"]).exists()


def test_the_owner_acknowledges_through_the_api_and_the_list_empties(api, serious, owner_user):
    listed = api.get("/api/v1/adverse-event-alerts", user=owner_user).json()
    assert [a["event"] for a in listed] == [serious["id"]]
    r = api.post(f"/api/v1/adverse-events/{serious['id']}/acknowledge", {"note": "seen"}, user=owner_user)
    assert r.status_code == 200 and r.json()["alert"]["note"] == "seen"
    assert api.get("/api/v1/adverse-event-alerts", user=owner_user).json() == []
    again = api.post(f"/api/v1/adverse-events/{serious['id']}/acknowledge", {}, user=owner_user)
    assert again.status_code == 409


def test_follow_up_through_the_api(api, serious, practitioner):
    body = {"outcome": "recovered", "causality": "probable", "seriousness": ["hospitalisation"], "note": "home day 3"}
    r = api.post(f"/api/v1/adverse-events/{serious['id']}/follow-up", body, user=practitioner.user)
    assert r.status_code == 200 and (r.json()["outcome"], r.json()["follow_up"]) == ("recovered", "home day 3")


def test_nobody_without_clinical_access_reaches_an_event(api, serious, practitioner, frontdesk, patient_user):
    other_patient = PatientFactory(clinic=practitioner.clinic)
    stranger = UserFactory(username="stranger", role=Role.PATIENT)
    other_patient.user = stranger
    other_patient.save()
    eid = serious["id"]
    for user in (frontdesk, patient_user, stranger):
        for path in (f"/api/v1/adverse-events/{eid}", f"/api/v1/adverse-events/{eid}/incident-report.pdf"):
            assert api.get(path, user=user).status_code == 404, (user.username, path)
        assert api.post(f"/api/v1/adverse-events/{eid}/acknowledge", {}, user=user).status_code == 404
        body = {"outcome": "recovered", "causality": "possible", "note": "x"}
        assert api.post(f"/api/v1/adverse-events/{eid}/follow-up", body, user=user).status_code == 404
    # A practitioner reads it but does not acknowledge for the owner; the alert list is the owner's.
    assert api.post(f"/api/v1/adverse-events/{eid}/acknowledge", {}, user=practitioner.user).status_code == 404
    assert api.get("/api/v1/adverse-event-alerts", user=practitioner.user).status_code == 403
    assert (
        api.get("/api/v1/adverse-events/00000000-0000-4000-8000-000000000000", user=practitioner.user).status_code
        == 404
    )


def test_the_owner_home_page_shows_the_serious_event_until_acknowledged(signed_in, serious, owner_user, practitioner):
    client = signed_in(owner_user)
    html = client.get("/").content.decode()
    assert "Needs your attention" in html and "Pneumothorax (collapsed lung)" in html and "Asha Rao" in html
    assert AuditEvent.objects.filter(entity="adverse_event_alerts", action="read", actor=owner_user).exists()
    r = client.post(f"/adverse-events/{serious['id']}/acknowledge/", {"next": "home"})
    assert r.status_code == 302 and r["Location"] == "/"
    assert AdverseEventAlert.objects.get().acknowledged_by == owner_user
    assert "Needs your attention" not in client.get("/").content.decode()


def test_the_practitioner_home_page_has_no_owner_panel(signed_in, serious, practitioner):
    assert "Needs your attention" not in signed_in(practitioner.user).get("/").content.decode()


def test_the_event_page_shows_the_record_and_links_the_report(signed_in, serious, practitioner, frontdesk, started):
    client = signed_in(practitioner.user)
    html = client.get(f"/adverse-events/{serious['id']}/").content.decode()
    assert "Serious adverse event:" in html and f"/api/v1/adverse-events/{serious['id']}/incident-report.pdf" in html
    session_html = client.get(f"/sessions/{started.public_id}/").content.decode()
    assert f"/adverse-events/{serious['id']}/" in session_html and "Print report" in session_html
    assert signed_in(frontdesk).get(f"/adverse-events/{serious['id']}/").status_code == 404


def test_the_session_page_records_a_serious_event_and_keeps_what_was_typed_on_error(signed_in, started, owner_user):
    client = signed_in(started.practitioner.user)
    post = {
        "form": "ae", "ae-kind": "syncope", "ae-severity": "moderate", "ae-causality": "probable",
        "ae-outcome": "recovering", "ae-seriousness": ["life_threatening"], "ae-action_taken": "laid flat",
        "ae-description": "fainted, slow to come round", "ae-needles": "0",
        "ae-occurred_at": timezone.localtime(timezone.now(), clinic_zone()).strftime("%Y-%m-%dT%H:%M"),
    }  # fmt: skip
    refused = client.post(f"/sessions/{started.public_id}/adverse-events/", post)
    assert refused.status_code == 422
    html = refused.content.decode()
    assert "A fatal or life-threatening event is severe" in html and "fainted, slow to come round" in html
    done = client.post(f"/sessions/{started.public_id}/adverse-events/", post | {"ae-severity": "severe"})
    assert done.status_code == 302
    assert AdverseEventAlert.objects.filter(event__kind="syncope").exists()
