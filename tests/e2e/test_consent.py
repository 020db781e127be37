"""Signing the consent to acupuncture on a tablet: read, draw a signature with a finger, sign;
then the check-in that needed it. Screenshots at tablet (both ways round) and phone sizes."""

from pathlib import Path

import pytest

from acupath.accounts.models import Role
from acupath.knowledge.services import reference_sync
from acupath.patients.consent_models import Consent
from acupath.treatment.tests.conftest import make_plan
from tests.consultations import consult
from tests.factories import PASSWORD, ClinicFactory, PatientFactory, PractitionerFactory, RoomFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/work/shots/consent")


@pytest.fixture
def meera(db):
    reference_sync()
    clinic = ClinicFactory(name="Jayanth Acupuncture Clinic")
    practitioner = PractitionerFactory(
        clinic=clinic,
        display_name="Dr Jayanth Kumar",
        user=UserFactory(username="practitioner", role=Role.PRACTITIONER, first_name="Jayanth"),
    )
    RoomFactory(location__clinic=clinic, name="Room 1")
    patient = PatientFactory(clinic=clinic, given_name="Meera", family_name="Iyer")
    consult(practitioner, patient)
    make_plan(patient, [("BL23", "both"), ("BL40", "both")])
    return patient


def sign_in(page, base):
    page.goto(f"{base}/accounts/sign-in/")
    page.fill("#id_username", "practitioner")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def draw(page):
    """A signature-like scrawl, drawn with the mouse as a finger would."""
    box = page.locator("#signature-pad").bounding_box()
    x, y, w, h = box["x"], box["y"], box["width"], box["height"]
    page.mouse.move(x + w * 0.12, y + h * 0.65)
    page.mouse.down()
    for i in range(1, 41):
        t = i / 40
        page.mouse.move(x + w * (0.12 + 0.5 * t), y + h * (0.65 - 0.35 * abs(((t * 6) % 2) - 1)), steps=2)
    page.mouse.up()
    page.mouse.move(x + w * 0.55, y + h * 0.7)
    page.mouse.down()
    page.mouse.move(x + w * 0.8, y + h * 0.55, steps=8)
    page.mouse.up()


@pytest.mark.parametrize("size", [(1024, 768), (768, 1024), (390, 844)], ids=["landscape", "portrait", "phone"])
def test_a_patient_signs_the_consent_on_the_tablet_and_can_then_be_checked_in(browser, live_server, meera, size):
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    base = live_server.url
    name = f"{size[0]}x{size[1]}"
    try:
        sign_in(page, base)
        page.goto(f"{base}/sessions/start/?patient={meera.public_id}")
        assert page.locator("text=No signed consent to acupuncture for this course").first.is_visible()
        page.screenshot(path=str(SHOTS / f"checkin-refused-{name}.png"), full_page=True)
        page.click("text=Open the Consent page")
        page.wait_for_selector("#signature-pad")
        page.check("#id_agree")
        page.locator("#signature-pad").scroll_into_view_if_needed()
        draw(page)
        assert page.input_value("#id_signature").startswith("data:image/png;base64,")
        page.screenshot(path=str(SHOTS / f"sign-{name}.png"), full_page=True)
        page.locator(".signature-box").screenshot(path=str(SHOTS / f"sign-box-{name}.png"))
        page.click("button:text('Sign the consent')")
        page.wait_for_selector("text=the consent is signed")
        page.screenshot(path=str(SHOTS / f"signed-{name}.png"), full_page=True)
        consent = Consent.objects.get(patient=meera)
        assert consent.signature_kind == "drawn" and consent.text.version == 1
        page.goto(f"{base}/sessions/start/?patient={meera.public_id}")
        assert page.locator("text=No signed consent").count() == 0
        page.goto(f"{base}/patients/{meera.public_id}/")
        assert page.locator("#consent >> text=text version 1").is_visible()
        page.locator("#consent").screenshot(path=str(SHOTS / f"chart-consent-{name}.png"))
    finally:
        context.close()
