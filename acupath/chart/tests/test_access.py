"""Who sees what of a patient's record, through the real pages."""

import pytest

from acupath.core.models import AuditEvent
from tests.consultations import consult
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def consulted(patient, practitioner):
    consult(practitioner, patient, notes="Private clinical note about the pelvis")
    return patient


def test_practitioner_sees_the_clinical_chart_and_the_read_is_audited(signed_in, practitioner, consulted):
    page = signed_in(practitioner.user).get(f"/patients/{consulted.public_id}/")
    assert page.status_code == 200
    assert b"Outcome measures" in page.content
    assert AuditEvent.objects.filter(entity="patient_chart", patient_id=consulted.public_id, action="read").exists()


def test_front_desk_sees_demographics_but_no_clinical_notes(signed_in, frontdesk, consulted):
    page = signed_in(frontdesk).get(f"/patients/{consulted.public_id}/")
    assert page.status_code == 200
    assert b"Outcome measures" not in page.content
    assert b"Consultations" not in page.content
    assert b"visible to practitioners only" in page.content


def test_front_desk_cannot_open_the_consultation_form(signed_in, frontdesk, consulted):
    assert signed_in(frontdesk).get(f"/patients/{consulted.public_id}/consultations/new/").status_code == 404


def test_patient_cannot_open_another_patients_chart(signed_in, patient_user, clinic):
    other = PatientFactory(clinic=clinic)
    assert signed_in(patient_user).get(f"/patients/{other.public_id}/").status_code == 404


def test_patient_home_shows_their_appointments_and_pain_chart(signed_in, patient_user, consulted, practitioner):
    from django.utils import timezone

    from acupath.measures.services import assessment_record

    assessment_record(actor=practitioner.user, patient=consulted, instrument="nrs", answers=3, taken_at=timezone.now())
    page = signed_in(patient_user).get("/")
    assert page.status_code == 200
    assert b"Your next appointments" in page.content
    assert b"<svg" in page.content


def test_signed_out_visitor_is_sent_to_sign_in(client, patient):
    response = client.get(f"/patients/{patient.public_id}/")
    assert response.status_code == 302
    assert "/accounts/sign-in/" in response["Location"]
