import pytest
from django.utils import timezone

from acupath.patients.consent_models import Consent, ConsentText
from tests.consents import TINY_PNG, sign_consent
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


def sign_url(patient):
    return f"/patients/{patient.public_id}/consent/"


def form(**changes):
    return {"agree": "on", "signed_by": "Asha Rao", "signature": "", "typed_signature": "", "text_version": 1} | changes


def test_the_tablet_page_shows_the_text_the_name_and_todays_date(signed_in, practitioner, patient):
    page = signed_in(practitioner.user).get(sign_url(patient)).content.decode()
    assert "Consent to acupuncture" in page and "pneumothorax" in page and "Version 1" in page
    assert 'value="Asha Rao"' in page and f"{timezone.localdate():%-d %B %Y}" in page
    assert "vendor/signature_pad/signature_pad.umd.min.js" in page


def test_a_drawn_signature_on_the_tablet_records_the_consent(signed_in, practitioner, patient):
    r = signed_in(practitioner.user).post(sign_url(patient), form(signature=TINY_PNG))
    consent = Consent.objects.get(patient=patient)
    assert r.status_code == 302 and r["Location"].endswith(f"/consent/{consent.public_id}/")
    assert (consent.signature_kind, consent.channel, consent.text.version) == ("drawn", "clinic", 1)


def test_signing_without_a_signature_is_refused_and_keeps_what_was_typed(signed_in, practitioner, patient):
    r = signed_in(practitioner.user).post(sign_url(patient), form(signed_by="Asha K Rao", agree=""))
    page = r.content.decode()
    assert r.status_code == 422 and not Consent.objects.exists()
    assert "Sign in the box" in page and "Tick the box" in page and 'value="Asha K Rao"' in page


def test_another_patients_consent_pages_are_not_found_for_a_patient(signed_in, patient_user, clinic):
    other = PatientFactory(clinic=clinic)
    consent = sign_consent(other)
    client = signed_in(patient_user)
    assert client.get(sign_url(other)).status_code == 404
    assert client.post(sign_url(other), form(typed_signature="Me")).status_code == 404
    assert client.get(f"/patients/{other.public_id}/consent/{consent.public_id}/").status_code == 404


def test_staff_record_a_withdrawal_on_the_consent_page(signed_in, practitioner, patient):
    consent = sign_consent(patient)
    client = signed_in(practitioner.user)
    url = f"/patients/{patient.public_id}/consent/{consent.public_id}/"
    assert "Withdraw this consent" in client.get(url).content.decode()
    assert client.post(url, {"reason": "Prefers not to continue"}).status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_reason == "Prefers not to continue" and consent.withdrawn_by == practitioner.user
    assert "Withdrawn" in client.get(url).content.decode()


def test_the_chart_shows_the_consent_version_date_and_withdrawal(signed_in, practitioner, patient):
    client = signed_in(practitioner.user)
    assert (
        "No signed consent to acupuncture for this course"
        in client.get(f"/patients/{patient.public_id}/").content.decode()
    )
    consent = sign_consent(patient)
    page = client.get(f"/patients/{patient.public_id}/").content.decode()
    assert "text version 1" in page and f"{timezone.localtime(consent.signed_at):%-d %b %Y}" in page
    consent.withdrawn_at = timezone.now()
    consent.save()
    page = client.get(f"/patients/{patient.public_id}/").content.decode()
    assert "The patient withdrew it on" in page and "withdrawn" in page


def test_the_owner_saves_a_new_version_and_a_practitioner_may_not(signed_in, owner, practitioner, patient):
    assert signed_in(practitioner.user).get("/patients/consent-texts/acupuncture/").status_code == 404
    client = signed_in(owner)
    page = client.get("/patients/consent-texts/acupuncture/").content.decode()
    assert "Save as version 2" in page
    text = ConsentText.objects.get(version=1)
    r = client.post(
        "/patients/consent-texts/acupuncture/",
        {"title": text.title, "body": text.body + "\n\nCall us with any question.", "statement": text.statement,
         "change_note": "Added a line"},
    )  # fmt: skip
    assert r.status_code == 302 and ConsentText.objects.filter(version=2, change_note="Added a line").exists()
    assert client.get("/patients/consent-texts/unknown/").status_code == 404


def test_a_patient_signs_their_own_consent_in_the_portal(signed_in, patient_user, patient):
    client = signed_in(patient_user)
    assert "Read and sign" in client.get("/").content.decode()
    assert "pneumothorax" in client.get("/my/consent/").content.decode()
    assert client.post("/my/consent/", form(typed_signature="Asha Rao")).status_code == 302
    consent = Consent.objects.get(patient=patient)
    assert (consent.channel, consent.signature_kind, consent.witnessed_by) == ("portal", "typed", None)
    assert "You signed this consent" in client.get("/my/consent/").content.decode()


def test_staff_have_no_portal_consent_page(signed_in, practitioner):
    assert signed_in(practitioner.user).get("/my/consent/").status_code == 404
