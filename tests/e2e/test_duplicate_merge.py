"""Register a duplicate and merge: the desk is warned, registers anyway, and the owner merges."""

from pathlib import Path

import pytest

from acupath.accounts.models import Role
from acupath.knowledge.services import reference_sync
from acupath.patients.enums import PatientStatus
from acupath.patients.models import Patient, PatientMerge
from acupath.patients.services import PatientDetails, patient_register
from tests.consultations import consult
from tests.factories import ClinicFactory, PractitionerFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/work/shots/patients")
SIZES = {"1280x900": (1280, 900), "1024x768": (1024, 768), "390x844": (390, 844)}


def sign_in(page, base, username):
    page.goto(f"{base}/accounts/sign-in/")
    page.fill("#id_username", username)
    page.fill("#id_password", "correct-horse-battery")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


@pytest.fixture
def registered(db):
    reference_sync()
    clinic = ClinicFactory(name="Jayanth Acupuncture Clinic")
    doc = PractitionerFactory(clinic=clinic, user=UserFactory(username="practitioner", role=Role.PRACTITIONER))
    UserFactory(username="frontdesk", role=Role.FRONTDESK)
    UserFactory(username="owner", role=Role.OWNER)
    details = PatientDetails(
        given_name="Kavya", family_name="Hegde", birth_date=__import__("datetime").date(1991, 3, 4), sex="female",
        phone="+91 98450 11111", email="kavya@example.in", address="12, 11th Main, Jayanagar", city="Bengaluru",
        postal_code="560011", emergency_name="Arjun Hegde", emergency_relationship="husband",
        emergency_phone="+91 98450 22222", referrer_name="Dr Anita Rao", referrer_practice="Jayanagar Family Clinic",
        referrer_contact="anita.rao@example.in", identifier_type="aadhaar", identifier="2345 6789 0124",
        language="kn", contact_channel="whatsapp", reminders_whatsapp=True, reminders_email=True,
        desk_notes="Prefers the ground-floor room.",
    )  # fmt: skip
    kavya = patient_register(actor=None, clinic=clinic, details=details)
    consult(doc, kavya, pregnant=True, pregnancy_weeks=20, anticoagulant=True, allergies="Latex")
    return kavya


def test_register_a_duplicate_and_merge(live_server, page, registered):
    base = live_server.url
    sign_in(page, base, "frontdesk")
    page.goto(f"{base}/patients/new/")
    page.fill("#id_given_name", "kavya")
    page.fill("#id_family_name", "Hegde")
    page.fill("#id_birth_date", "1991-03-04")
    page.select_option("#id_sex", "female")
    page.fill("#id_phone", "098450-11111")
    page.click("text=Register patient")
    page.screenshot(path=str(SHOTS / "register-duplicate-warning-1024.png"), full_page=True)
    warning = page.locator("#duplicates")
    assert "may already be registered" in warning.inner_text()
    assert "Same phone number" in warning.inner_text() and "Hegde, Kavya" in warning.inner_text()
    assert page.input_value("#id_phone") == "098450-11111"  # nothing typed is lost
    assert Patient.objects.count() == 1
    page.check("#id_confirm_new")
    page.click("text=Register patient")
    page.wait_for_selector("h1:text('kavya Hegde')")
    duplicate = Patient.objects.exclude(pk=registered.pk).get()
    page.click("text=Sign out")

    sign_in(page, base, "owner")
    page.goto(f"{base}/patients/{registered.public_id}/merge/")
    row = page.locator("tr", has_text="Hegde, kavya")
    row.locator("input[name=reason]").fill("registered twice at the desk")
    row.locator("button", has_text="Merge into").click()
    page.wait_for_selector("text=is merged into this one")
    page.screenshot(path=str(SHOTS / "merged-1024.png"), full_page=True)
    duplicate.refresh_from_db()
    assert duplicate.status == PatientStatus.MERGED and duplicate.merged_into == registered

    page.click("text=kavya Hegde, ")  # the merge record, listed on the surviving record
    page.click("text=Reverse this merge")
    page.wait_for_selector("text=The merge is reversed")
    duplicate.refresh_from_db()
    assert duplicate.status == PatientStatus.ACTIVE and PatientMerge.objects.get().reversed_at is not None


def test_patient_page_screenshots(live_server, page, registered):
    SHOTS.mkdir(parents=True, exist_ok=True)
    sign_in(page, live_server.url, "practitioner")
    for name, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{live_server.url}/patients/{registered.public_id}/")
        strip = page.locator(".safety").inner_text()
        assert "Pregnant · 20 weeks today" in strip and "Anticoagulant" in strip and "Latex" in strip
        assert "2345 6789 0124" in page.locator(".patient-details").inner_text()
        page.screenshot(path=str(SHOTS / f"patient-{name}.png"), full_page=False)
        page.screenshot(path=str(SHOTS / f"patient-{name}-full.png"), full_page=True)
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto(f"{live_server.url}/patients/{registered.public_id}/details/")
    page.screenshot(path=str(SHOTS / "details-form-1024x768.png"), full_page=True)
