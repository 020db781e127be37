"""The thin pathway, driven through the real UI in headless Chromium."""

import datetime as dt

import pytest
from django.utils import timezone

from acupath.accounts.models import Role
from acupath.core.models import AuditEvent
from acupath.knowledge.services import reference_sync
from acupath.patients.models import Patient
from acupath.scheduling.models import Appointment, WorkingHours
from acupath.treatment.models import TreatmentSession
from tests.factories import (
    PASSWORD,
    AppointmentTypeFactory,
    ClinicFactory,
    PractitionerFactory,
    RoomFactory,
    UserFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page, base, username):
    page.goto(f"{base}/accounts/sign-in/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def sign_out(page):
    page.click("text=Sign out")


@pytest.fixture
def clinic_setup(db):
    reference_sync()
    clinic = ClinicFactory(name="Jayanth Acupuncture Clinic")
    practitioner = PractitionerFactory(
        clinic=clinic, user=UserFactory(username="practitioner", role=Role.PRACTITIONER, first_name="Jayanth")
    )
    # Works every day 08:00-18:00, so the follow-up below books within the clinic's rules.
    WorkingHours.objects.bulk_create(
        WorkingHours(practitioner=practitioner, weekday=d, start=dt.time(8), end=dt.time(18)) for d in range(7)
    )
    UserFactory(username="frontdesk", role=Role.FRONTDESK)
    RoomFactory(location__clinic=clinic, name="Room 1")
    AppointmentTypeFactory(clinic=clinic, code="treatment", name="Treatment", minutes=45)
    return clinic


def test_front_desk_and_practitioner_walk_the_whole_pathway(live_server, page, shot, clinic_setup):
    base = live_server.url

    # Front desk registers the patient; a bad date is refused without losing what was typed.
    sign_in(page, base, "frontdesk")
    page.click("text=Patients")
    page.click("text=Register a patient")
    page.fill("#id_given_name", "Kavya")
    page.fill("#id_family_name", "Hegde")
    page.fill("#id_birth_date", "2999-01-01")
    page.select_option("#id_sex", "female")
    page.fill("#id_phone", "+91 98450 22222")
    page.click("button:text('Register patient')")
    assert page.locator(".error").first.inner_text() == "Date of birth cannot be in the future."
    assert page.input_value("#id_given_name") == "Kavya"
    page.fill("#id_birth_date", "1988-07-14")
    shot("01-register-patient")
    page.click("button:text('Register patient')")
    page.wait_for_selector("h1:text('Kavya Hegde')")
    assert "Clinical notes are visible to practitioners only" in page.content()
    sign_out(page)

    # The practitioner finds her and records the initial consultation.
    sign_in(page, base, "practitioner")
    page.click("text=Patients")
    page.fill("#q", "Heg")
    page.click("text=Hegde, Kavya")
    page.click("text=New consultation")
    page.check("input[name=causes][value=posture]")
    page.check("input[name=causes][value=sciatica]")
    page.fill("#id_onset_date", (timezone.localdate() - dt.timedelta(weeks=20)).isoformat())
    page.select_option("#id_region", "lumbar")
    page.select_option("#id_leg_pain", "posterior_leg")
    page.fill("#id_pain_now", "7")
    page.select_option("#id_pattern", "cold_damp")
    # Every red-flag question is asked and answered: here, no to each.
    for answer in page.locator(".rf-answer label.pick:has(input[value='no'])").all():
        answer.click()
    # The baseline questionnaires are answered later in this journey: say so, as the form asks.
    page.check("input[name=baseline-later]")
    shot("02-consultation")
    page.click("button:text('Save consultation')")
    page.wait_for_selector("text=Consultation saved.")

    # She drafts the plan from the consultation and keeps BL23 (both sides) and BL40 (left).
    page.click("text=Write plan")
    for code in page.eval_on_selector_all("tr.plan-row", "rows => rows.map(r => r.dataset.code)"):
        if code not in ("BL23", "BL40"):
            page.click(f"tr.plan-row[data-code='{code}'] .plan-remove")
    page.select_option("tr.plan-row[data-code='BL40'] select[name=point_side]", "left")
    shot("03-plan")
    page.click("button:text('Approve plan')")
    page.wait_for_selector("text=Plan saved and approved.")

    # She hands the tablet over: Kavya reads the consent and signs it (typed here).
    page.click("text=Patient signs (tablet)")
    page.check("#id_agree")
    page.fill("#id_typed_signature", "Kavya Hegde")
    page.click("button:text('Sign the consent')")
    page.wait_for_selector("text=the consent is signed")
    page.click("text=Back to the chart")

    # The session: needles from the plan, retention, pain before and after.
    page.click("text=Record a past session")
    page.fill("#id_pain_before", "7")
    page.fill("#id_lot", "HW2611-4471")
    page.fill("#id_retention_minutes", "25")
    page.fill("#id_pain_after", "4")
    shot("04-session")
    page.click("button:text('Save session')")
    page.wait_for_selector("text=every needle is accounted for")

    # A follow-up appointment.
    page.click("text=Book appointment")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    page.fill("#id_day", tomorrow.isoformat())
    page.fill("#id_time", "10:00")
    page.click("button:text('Book')")
    page.wait_for_selector("text=Appointment booked.")
    page.wait_for_selector("#outcome-nrs svg")
    shot("05-patient-chart")

    patient = Patient.objects.get(family_name="Hegde")
    session = TreatmentSession.objects.get(patient=patient)
    assert (session.needles_inserted, session.needles_removed, session.pain_before, session.pain_after) == (3, 3, 7, 4)
    assert session.planned_minutes == 25
    assert Appointment.objects.get(patient=patient).start.date() == tomorrow
    audited = set(AuditEvent.objects.filter(patient_id=patient.public_id).values_list("action", "entity"))
    assert {
        ("create", "patient"),
        ("create", "consultation"),
        ("create", "treatment_plan"),
        ("create", "treatment_session"),
        ("update", "treatment_session"),
        ("create", "appointment"),
        ("read", "patient_chart"),
        ("read", "patient_demographics"),
    } <= audited
