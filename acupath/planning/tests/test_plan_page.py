"""The plan page: draft, safety panel, edits by code, approval, errors that keep what was typed."""

import pytest
from django.urls import reverse

from acupath.planning.models import TreatmentPlan
from acupath.planning.selectors import plan_draft
from acupath.planning.services import PlanInput, PlanPointInput, plan_save
from acupath.planning.tests.helpers import consult
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


def url(patient):
    return reverse("chart:plan_new", kwargs={"patient_id": patient.public_id})


def post_data(patient, **changes):
    draft = plan_draft(patient)
    data = {
        "point_code": [p.code for p in draft.points],
        "point_side": [p.side.value for p in draft.points],
        "point_role": [p.role.value for p in draft.points],
        "point_rationale": [p.rationale for p in draft.points],
        "point_level": [p.level.value if p.level else "" for p in draft.points],
        "point_reason": ["" for _ in draft.points],
        "point_pinyin": ["" for _ in draft.points],
        "retention_minutes": draft.retention_minutes,
        "sessions": draft.course.sessions,
        "per_week": draft.course.per_week,
        "advice": [a.code for a in draft.advice],
        "change_note": "",
        "notes": "",
        "add_code": "",
    }
    return data | changes


def add_point(data, code, side="both", role="local", reason=""):
    for key, value in (
        ("point_code", code),
        ("point_side", side),
        ("point_role", role),
        ("point_rationale", ""),
        ("point_level", ""),
        ("point_reason", reason),
        ("point_pinyin", ""),
    ):
        data[key] = [*data[key], value]
    return data


def test_the_page_opens_on_the_draft_with_rationale_and_exclusions(signed_in, reference, practitioner, patient):
    consult(practitioner, patient, pregnant=True, pregnancy_weeks=10, leg_pain="posterior_leg")
    page = signed_in(practitioner.user).get(url(patient))
    assert page.status_code == 200
    html = page.content.decode()
    assert page.context["source"] == "draft"
    assert "Command point of the back" in html  # BL40's rationale
    assert "Lumbosacral point" in html and "pregnancy_lumbosacral" not in html
    assert "Safety check for this patient" in html
    codes = [row.code for row in page.context["rows"]]
    assert "BL40" in codes and "BL23" not in codes


def test_front_desk_and_patients_cannot_open_the_plan_page(
    signed_in, client, reference, practitioner, frontdesk, patient, patient_user
):
    consult(practitioner, patient)
    assert signed_in(frontdesk).get(url(patient)).status_code == 404
    client.logout()
    assert signed_in(patient_user).get(url(patient)).status_code == 404


def test_approving_saves_a_version_and_goes_back_to_the_chart(signed_in, reference, practitioner, patient):
    consult(practitioner, patient)
    response = signed_in(practitioner.user).post(url(patient), post_data(patient, change_note="first plan"))
    assert response.status_code == 302
    plan = TreatmentPlan.objects.get(patient=patient)
    assert (plan.version, plan.change_note, plan.created_by) == (1, "first plan", practitioner.user)


def test_a_refused_point_is_shown_on_its_row_and_nothing_typed_is_lost(signed_in, reference, practitioner, patient):
    consult(practitioner, patient, pregnant=True, pregnancy_weeks=10)
    data = add_point(post_data(patient, change_note="add BL23 please", notes="typed notes"), "BL23")
    data = add_point(data, "LI4", side="left", role="distal")
    page = signed_in(practitioner.user).post(url(patient), data)
    assert page.status_code == 200
    rows = {row.code: row for row in page.context["rows"]}
    assert "Lumbosacral point" in rows["BL23"].error
    assert "reason is required" in rows["LI4"].error
    assert rows["LI4"].side == "left"
    html = page.content.decode()
    assert 'value="add BL23 please"' in html
    assert "typed notes" in html
    assert not TreatmentPlan.objects.exists()


def test_a_caution_kept_with_a_reason_is_saved(signed_in, reference, practitioner, patient):
    consult(practitioner, patient, pregnant=True, pregnancy_weeks=30)
    data = add_point(post_data(patient), "LI4", role="distal", reason="Induction agreed with the midwife.")
    assert signed_in(practitioner.user).post(url(patient), data).status_code == 302
    assert TreatmentPlan.objects.get(patient=patient).points.get(point_id="LI4").override_reason


def test_a_code_typed_but_not_added_blocks_approval(signed_in, reference, practitioner, patient):
    consult(practitioner, patient)
    page = signed_in(practitioner.user).post(url(patient), post_data(patient, add_code="GB34"))
    assert page.status_code == 200
    assert "not added to the plan" in page.content.decode()
    assert not TreatmentPlan.objects.exists()


def test_adding_an_unknown_code_names_it_next_to_the_box(signed_in, reference, practitioner, patient):
    consult(practitioner, patient)
    response = signed_in(practitioner.user).get(url(patient), {"add_code": "XY 99"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#add-error"
    assert "XY 99" in response.content.decode()


def test_adding_by_any_spelling_gives_a_row_and_asks_for_a_reason_under_a_caution(
    signed_in, reference, practitioner, patient
):
    consult(practitioner, patient, pregnant=True)
    client = signed_in(practitioner.user)
    row = client.get(url(patient), {"add_code": "li 4", "add_side": "left"}, HTTP_HX_REQUEST="true")
    html = row.content.decode()
    assert 'name="point_code" value="LI4"' in html
    assert 'name="point_reason"' in html and 'type="text"' in html
    assert "Point traditionally avoided in pregnancy" in html
    refused = client.get(url(patient), {"add_code": "UB23"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'value="BL23"' in refused and "may stimulate the uterus" in refused


def test_red_flags_block_the_page(signed_in, reference, practitioner, patient):
    consult(practitioner, patient, red_flags={"saddle_anaesthesia": True})
    page = signed_in(practitioner.user).get(url(patient))
    html = page.content.decode()
    assert "No plan for now: planning and needling are stopped" in html
    assert "Numbness or tingling between the legs" in html
    assert 'id="plan-form"' not in html


def test_revising_starts_from_the_current_version_and_lists_the_history(signed_in, reference, practitioner, patient):
    consult(practitioner, patient)
    plan_save(
        actor=practitioner.user,
        patient=patient,
        consultation=None,
        data=PlanInput(points=(PlanPointInput("BL40", "left", "distal"),), change_note="only BL40"),
    )
    page = signed_in(practitioner.user).get(url(patient))
    assert page.context["source"] == "current"
    assert [(r.code, r.side) for r in page.context["rows"]] == [("BL40", "left")]
    assert "only BL40" in page.content.decode()
    redrafted = signed_in(practitioner.user).get(url(patient), {"draft": "1"})
    assert redrafted.context["source"] == "draft"
    assert len(redrafted.context["rows"]) > 1


def test_plan_page_query_count_does_not_grow_with_versions(
    signed_in, reference, practitioner, patient, clinic, django_assert_num_queries
):
    consult(practitioner, patient)
    client = signed_in(practitioner.user)
    data = PlanInput(points=(PlanPointInput("BL40", "both", "distal"),))
    plan_save(actor=practitioner.user, patient=patient, consultation=None, data=data)
    client.get(url(patient))
    # 15: the page, plus the latest STarT Back and the clinic setting that shape the draft.
    with django_assert_num_queries(15) as first:
        client.get(url(patient))
    for _ in range(4):
        plan_save(actor=practitioner.user, patient=patient, consultation=None, data=data)
    PatientFactory.create_batch(3, clinic=clinic)
    with django_assert_num_queries(len(first)):
        client.get(url(patient))
