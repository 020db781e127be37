"""A visit in a real browser: the desk marks arrived and checks in, the practitioner runs the
session to its close, and the appointment shows attended. Today is photographed with patients
waiting at a desktop, a 10-inch tablet and a phone."""

import datetime as dt
import os
from pathlib import Path

import pytest
from django.utils import timezone

from acupath.accounts.models import Role
from acupath.knowledge.services import reference_sync
from acupath.scheduling.enums import AppointmentStatus
from acupath.scheduling.models import Appointment
from acupath.scheduling.services import appointment_arrive
from acupath.treatment.tests.conftest import make_plan
from tests.consents import sign_consent
from tests.consultations import consult
from tests.e2e.conftest import ARTIFACTS
from tests.factories import (
    PASSWORD,
    AppointmentTypeFactory,
    ClinicFactory,
    LocationFactory,
    PatientFactory,
    PractitionerFactory,
    RoomFactory,
    UserFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("ACUPATH_SHOTS", ARTIFACTS))
SIZES = [(1280, 900), (1024, 768), (390, 844)]
PEOPLE = [("Kavya", "Hegde", 25), ("Arjun", "Menon", 10), ("Divya", "Pillai", 40), ("Rohan", "Shetty", -30)]


@pytest.fixture
def day(db):
    reference_sync()
    clinic = ClinicFactory(name="Jayanth Acupuncture Clinic")
    site = LocationFactory(clinic=clinic, name="Indiranagar")
    practitioner = PractitionerFactory(
        clinic=clinic,
        location=site,
        display_name="Dr Jayanth Kumar",
        user=UserFactory(username="practitioner", role=Role.PRACTITIONER, first_name="Jayanth"),
    )
    UserFactory(username="desk", role=Role.FRONTDESK, first_name="Lakshmi")
    for n in range(3):
        RoomFactory(location=site, name=f"Room {n + 1}", position=n)
    kind = AppointmentTypeFactory(clinic=clinic)
    now = timezone.now().replace(second=0, microsecond=0)
    booked = []
    for given, family, minutes_ago in PEOPLE:
        patient = PatientFactory(clinic=clinic, given_name=given, family_name=family)
        consult(practitioner, patient)
        make_plan(patient, [("BL23", "both"), ("BL40", "both")])
        sign_consent(patient)
        start = now - dt.timedelta(minutes=minutes_ago)
        booked.append(
            Appointment.objects.create(
                patient=patient, practitioner=practitioner, type=kind, start=start, end=start + dt.timedelta(minutes=45)
            )
        )
    return practitioner, booked


def sign_in(page, base, username):
    page.goto(f"{base}/accounts/sign-in/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def row(page, name):
    return page.locator("tr", has_text=name)


def test_arrive_check_in_session_attended(live_server, page, day):
    _, booked = day
    base = live_server.url
    sign_in(page, base, "desk")

    # Two patients were marked arrived a while ago (one of them late), one arrives now.
    appointment_arrive(actor=None, appointment=booked[2], at=timezone.now() - dt.timedelta(minutes=18))
    appointment_arrive(actor=None, appointment=booked[1], at=timezone.now() - dt.timedelta(minutes=4))
    page.goto(f"{base}/")
    row(page, "Kavya Hegde").get_by_role("button", name="Arrived").click()
    page.wait_for_selector("text=Kavya Hegde has arrived")
    waiting = page.locator("#waiting")
    assert "Waiting 3" in waiting.inner_text().replace("\n", " ")
    # Lateness counts from the start, on the minute, so a run crossing a minute reads one more.
    text = waiting.inner_text()
    assert "waiting 18 min" in text and ("22 min late" in text or "23 min late" in text)
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(SHOTS / f"today-waiting-{width}x{height}.png"), full_page=True)
    page.set_viewport_size({"width": 1024, "height": 1366})

    # Kavya goes to Room 2 of the practitioner's site.
    kavya = waiting.locator("li", has_text="Kavya Hegde")
    kavya.locator("select[name=room]").select_option(label="Room 2")
    kavya.get_by_role("button", name="Check in").click()
    page.wait_for_selector("text=Kavya Hegde is checked in to Room 2")
    assert "In session" in row(page, "Kavya Hegde").inner_text()
    assert page.locator("#waiting li", has_text="Kavya Hegde").count() == 0
    page.context.clear_cookies()

    # The practitioner sees who waits for them, opens Kavya's session, needles in and out, closes.
    sign_in(page, base, "practitioner")
    assert "Waiting for you" in page.locator("#waiting").inner_text()
    assert page.locator("#waiting li").count() == 2
    row(page, "Kavya Hegde").get_by_role("link", name="Open session").click()
    page.wait_for_url("**/sessions/*/")
    page.fill("#id_lot", "HW2611-4471")
    page.click("button:text('Needles in — start the timer')")
    page.wait_for_selector("text=the retention timer is running")
    page.click("button:text('Needles out')")
    page.wait_for_selector("text=Every needle is out and counted")
    page.click("label.nrs-choice:has-text('3')")
    page.click("button:text('Close session')")
    page.wait_for_selector("text=Session closed")

    page.goto(f"{base}/")
    assert "Attended" in row(page, "Kavya Hegde").inner_text()
    kavya_visit = Appointment.objects.get(pk=booked[0].pk)
    assert kavya_visit.status == AppointmentStatus.ATTENDED and kavya_visit.session.room.name == "Room 2"
