"""Safety facts that change the plan, through the API and the page: depth and angle per point,
retention limits, and the coded facts of the consultation reaching the draft."""

import pytest
from django.urls import reverse

from acupath.planning.models import PlanPoint, TreatmentPlan
from acupath.planning.tests.helpers import consult
from acupath.planning.tests.test_plan_api import approve, drafted, plans_url
from acupath.planning.tests.test_plan_page import post_data
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


def with_point(body, code, side="both", **fields):
    point = {"code": code, "side": side, "role": "local", "rationale": "", "level": ""} | fields
    return [*[{k: p[k] for k in ("code", "side", "role", "rationale", "level")} for p in body["points"]], point]


@pytest.mark.parametrize(("depth", "status"), [(10, 201), (11, 422)])
def test_gb21_depth_at_the_lung_maximum_is_saved_and_one_mm_over_is_refused(
    api, reference, practitioner, patient, depth, status
):
    # GB21: catalogue maximum 1.0 cm; Chen et al. 2018 measured 14.6-17.4 mm from skin to pleura.
    consult(practitioner, patient)
    body = drafted(api, practitioner.user, patient)
    points = with_point(body, "GB21", depth_mm=depth, angle="oblique")
    response = approve(api, practitioner.user, patient, body, points=points, override_reasons={"GB21": "shoulder"})
    assert response.status_code == status, response.content
    if status == 201:
        [gb21] = [p for p in response.json()["points"] if p["code"] == "GB21"]
        assert (gb21["depth_mm"], gb21["angle"]) == (10, "oblique")
        assert PlanPoint.objects.get(plan__patient=patient, point_id="GB21").depth_mm == 10
    else:
        message = response.json()["detail"][0]["msg"]
        assert "Over the lung" in message and "11 mm (over the 10 mm maximum)" in message
        assert "Enter 10 mm or less" in message and "thorax_max_depth" not in message
        assert not TreatmentPlan.objects.filter(patient=patient).exists()


def test_gv3_deeper_than_its_spinal_maximum_needs_a_reason(api, reference, practitioner, patient):
    consult(practitioner, patient)
    body = drafted(api, practitioner.user, patient)
    points = [p | {"depth_mm": 26} if p["code"] == "GV3" else p for p in with_point(body, "BL25")[:-1]]
    assert any(p["code"] == "GV3" for p in points)
    refused = approve(api, practitioner.user, patient, body, points=points)
    assert refused.status_code == 422
    assert "Over the spinal canal" in refused.json()["detail"][0]["msg"]
    assert "reason is required" in refused.json()["detail"][0]["msg"]
    reason = "Heavily built patient; canal depth checked on imaging."
    saved = approve(api, practitioner.user, patient, body, points=points, override_reasons={"GV3": reason})
    assert saved.status_code == 201, saved.content
    assert PlanPoint.objects.get(plan__patient=patient, point_id="GV3").override_reason == reason


def test_an_unknown_angle_is_refused_by_the_api(api, reference, practitioner, patient):
    consult(practitioner, patient)
    body = drafted(api, practitioner.user, patient)
    response = approve(api, practitioner.user, patient, body, points=with_point(body, "BL25", angle="sideways"))
    assert response.status_code == 422


@pytest.mark.parametrize(("minutes", "status"), [(9, 422), (10, 201), (60, 201), (61, 422)])
def test_plan_retention_below_10_or_above_60_minutes_is_refused(api, reference, practitioner, patient, minutes, status):
    consult(practitioner, patient)
    body = drafted(api, practitioner.user, patient)
    response = approve(api, practitioner.user, patient, body, retention_minutes=minutes)
    assert response.status_code == status, response.content
    if status == 422:
        assert "10 to 60" in response.json()["detail"][0]["msg"]


@pytest.mark.parametrize(("minutes", "refused"), [(9, "under 10"), (61, "over 60")])
def test_plan_page_refuses_retention_outside_10_to_60_and_keeps_what_was_typed(
    signed_in, reference, practitioner, patient, minutes, refused
):
    consult(practitioner, patient)
    data = post_data(patient, retention_minutes=minutes, change_note="kept note")
    page = signed_in(practitioner.user).post(reverse("chart:plan_new", kwargs={"patient_id": patient.public_id}), data)
    assert page.status_code == 200
    html = page.content.decode()
    assert f"Retention {refused} minutes is refused" in html
    assert 'value="kept note"' in html
    assert not TreatmentPlan.objects.filter(patient=patient).exists()


def test_plan_page_saves_depth_and_angle_and_shows_a_bad_depth_on_its_row(signed_in, reference, practitioner, patient):
    consult(practitioner, patient)
    url = reverse("chart:plan_new", kwargs={"patient_id": patient.public_id})
    data = post_data(patient)
    count = len(data["point_code"])
    first = data["point_code"][0]
    bad = data | {"point_depth": ["abc", *[""] * (count - 1)], "point_angle": ["oblique", *[""] * (count - 1)]}
    page = signed_in(practitioner.user).post(url, bad)
    assert page.status_code == 200
    rows = {row.code: row for row in page.context["rows"]}
    assert "whole millimetres" in rows[first].error and rows[first].depth == "abc"
    good = data | {"point_depth": ["20", *[""] * (count - 1)], "point_angle": ["oblique", *[""] * (count - 1)]}
    assert signed_in(practitioner.user).post(url, good).status_code == 302
    saved = PlanPoint.objects.get(plan__patient=patient, point_id=first)
    assert (saved.depth_mm, saved.angle) == (20, "oblique")


def test_anticoagulated_pregnant_patient_plan_page_names_each_rule_in_words(
    signed_in, reference, practitioner, patient
):
    consult(practitioner, patient, pregnant=True, pregnancy_weeks=10, anticoagulant=True, leg_pain="posterior_leg")
    page = signed_in(practitioner.user).get(reverse("chart:plan_new", kwargs={"patient_id": patient.public_id}))
    html = page.content.decode()
    for title in (
        "Lumbosacral point in the first trimester",
        "Near a major vessel, with an anticoagulant or bleeding disorder",
        "Anticoagulant or bleeding disorder",
        "Pregnancy",
    ):
        assert title in html, title
    for code in ("pregnancy_lumbosacral_first_trimester", "anticoagulant_major_vessel", "thorax_max_depth"):
        assert code not in html


@pytest.mark.parametrize(
    ("fact", "rule", "left_out"),
    [
        ("peripheral_neuropathy", "neuropathy_distal_leg", "KI3"),
        ("diabetes", "neuropathy_distal_leg", "KI3"),
        ("bleeding_disorder", "anticoagulant_major_vessel", "BL40"),
    ],
)
def test_coded_facts_of_the_consultation_change_the_draft(api, reference, practitioner, patient, fact, rule, left_out):
    consult(practitioner, patient, causes=("arthritis",))
    assert left_out in {p["code"] for p in drafted(api, practitioner.user, patient)["points"]}
    other = PatientFactory(clinic=patient.clinic)
    consult(practitioner, other, causes=("arthritis",), **{fact: True})
    body = drafted(api, practitioner.user, other)
    assert left_out not in {p["code"] for p in body["points"]}
    assert (left_out, rule) in {(e["code"], e["rule"]) for e in body["excluded"]}
    assert all(e["title"] for e in body["excluded"])


@pytest.mark.parametrize(
    ("fact", "rule"),
    [
        ("metal_allergy", "metal_allergy_needles"),
        ("epilepsy", "epilepsy_supervision"),
        ("needle_fear", "needle_fear_gentle"),
        ("immunosuppressed", "immunosuppressed_infection"),
    ],
)
def test_coded_facts_add_their_warning_to_the_draft(api, reference, practitioner, patient, fact, rule):
    consult(practitioner, patient, **{fact: True})
    body = drafted(api, practitioner.user, patient)
    [warning] = [w for w in body["warnings"] if w["rule"] == rule]
    assert warning["title"] and warning["code"] is None


@pytest.mark.parametrize(("fear", "most"), [(False, 16), (True, 6)])
def test_needle_fear_draft_has_at_most_six_needles(api, reference, practitioner, patient, fear, most):
    consult(practitioner, patient, needle_fear=fear, leg_pain="posterior_leg", causes=("sciatica",))
    body = drafted(api, practitioner.user, patient)
    assert body["needle_count"] <= most
    if fear:
        assert body["retention_minutes"] == 15  # first treatment of an anxious patient


def test_front_desk_and_another_patient_cannot_save_a_plan_with_depths(
    api, reference, practitioner, frontdesk, patient, patient_user, clinic
):
    other = PatientFactory(clinic=clinic)
    consult(practitioner, other)
    body = drafted(api, practitioner.user, other)
    payload = {"points": with_point(body, "BL25", depth_mm=20, angle="perpendicular")}
    for user in (frontdesk, patient_user):
        assert api.post(plans_url(other), payload, user=user).status_code == 404
    assert not TreatmentPlan.objects.filter(patient=other).exists()
