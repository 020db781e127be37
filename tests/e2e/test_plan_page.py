"""A practitioner drafts, edits on the body chart and by code, and approves a plan in the browser."""

import pytest

from acupath.accounts.models import Role
from acupath.core.models import AuditEvent
from acupath.knowledge.services import reference_sync
from acupath.planning.models import TreatmentPlan
from tests.consultations import consult
from tests.factories import PASSWORD, ClinicFactory, PatientFactory, PractitionerFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def pregnant_patient(db):
    reference_sync()
    clinic = ClinicFactory(name="Jayanth Acupuncture Clinic")
    practitioner = PractitionerFactory(
        clinic=clinic,
        user=UserFactory(username="practitioner", role=Role.PRACTITIONER, first_name="Jayanth", last_name="Rao"),
    )
    patient = PatientFactory(clinic=clinic, given_name="Divya", family_name="Kamath")
    consult(
        practitioner,
        patient,
        weeks=10,
        causes=("posture", "stress_tension"),
        leg_pain="posterior_leg",
        pregnant=True,
        pregnancy_weeks=22,
    )
    return patient


def sign_in(page, base, username):
    page.goto(f"{base}/accounts/sign-in/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def row(page, code):
    return page.locator(f"tr.plan-row[data-code='{code}']")


def test_practitioner_drafts_edits_on_the_body_chart_and_approves(live_server, page, shot, pregnant_patient):
    base = live_server.url
    sign_in(page, base, "practitioner")
    page.goto(f"{base}/patients/{pregnant_patient.public_id}/")
    page.click("text=Write plan")
    page.click("#draft-button")

    # The draft: points with their rationale, and what safety kept out and why.
    assert row(page, "BL40").is_visible()
    assert "Command point of the back" in row(page, "BL40").inner_text()
    assert row(page, "BL23").count() == 0
    safety = page.locator(".plan-safety")
    assert "BL23" in safety.inner_text()
    assert "Lumbosacral point" in safety.inner_text()  # the rule by its title, never its code
    assert "pregnancy_lumbosacral" not in safety.inner_text()
    assert "without needling the excluded area" in safety.inner_text()  # the distal-only fallback, in words
    assert "distal_only" not in safety.inner_text()

    # Edit: remove a point, change a side, add one from the body chart.
    removed = page.eval_on_selector_all("tr.plan-row", "rows => rows.map(r => r.dataset.code)")[-1]
    row(page, removed).locator(".plan-remove").click()
    assert row(page, removed).count() == 0
    row(page, "BL40").locator("select[name=point_side]").select_option("left")
    page.click(".bc-point[data-code='GB34'] .bc-mark >> nth=0", force=True)
    page.click(".bc-side[data-side='right']")
    row(page, "GB34").wait_for()
    assert row(page, "GB34").locator("select[name=point_side]").input_value() == "right"

    # An unknown code is named; a caution point asks for a reason.
    page.fill("#add-code", "XY99")
    page.click("#add-button")
    page.wait_for_selector("#add-error:has-text('XY99')")
    page.fill("#add-code", "li 4")
    page.click("#add-button")
    row(page, "LI4").wait_for()
    assert "Point traditionally avoided in pregnancy" in row(page, "LI4").inner_text()  # the rule by its title
    page.fill("#id_change_note", "Drafted; BL40 on the left; GB34 from the chart")
    page.click("#approve-button")

    # Refused without the reason; nothing typed is lost.
    page.wait_for_selector("tr.plan-row[data-code='LI4'] .error")
    assert "reason is required" in row(page, "LI4").inner_text()
    assert page.input_value("#id_change_note") == "Drafted; BL40 on the left; GB34 from the chart"
    assert row(page, "GB34").locator("select[name=point_side]").input_value() == "right"
    assert row(page, "BL40").locator("select[name=point_side]").input_value() == "left"
    row(page, "LI4").locator("input[name=point_reason]").fill("Due date passed; induction agreed with her midwife.")
    page.click("#approve-button")
    page.wait_for_selector("text=Plan saved and approved.")

    plan = TreatmentPlan.objects.get(patient=pregnant_patient)
    points = dict(plan.points.values_list("point_id", "side"))
    assert points["BL40"] == "left"
    assert points["GB34"] == "right"
    assert removed not in points
    assert plan.points.get(point_id="LI4").override_reason.startswith("Due date passed")
    assert AuditEvent.objects.filter(entity="plan_safety_override", patient_id=pregnant_patient.public_id).exists()

    # A second version: the history says who changed what.
    page.click("text=Revise plan")
    row(page, "GB34").locator(".plan-remove").click()
    page.fill("#id_change_note", "GB34 not needed")
    page.click("#approve-button")
    page.wait_for_selector("text=Plan saved and approved.")
    page.click("text=Revise plan")
    history = page.locator(".plan-history")
    assert "v2" in history.inner_text()
    assert "Removed: GB34 (right)" in history.inner_text()
    assert "Jayanth Rao" in history.inner_text()
    page.click("#draft-button")
    page.wait_for_selector(".plan-safety")
    shot("issue5-plan")
