"""The safety rules again at needling: depth, angle and coded techniques per point, retention limits."""

import importlib

import pytest

from acupath.core.errors import ServiceError
from acupath.knowledge.domain.catalogue import Angle
from acupath.planning.domain.facts import Technique as RuleTechnique
from acupath.planning.enums import NeedleAngle, Technique
from acupath.treatment.models import SessionPoint, TreatmentSession
from acupath.treatment.services import NeedledPoint, session_insert_needles, session_start
from acupath.treatment.tests.conftest import make_plan, needles
from tests.consultations import consult

pytestmark = pytest.mark.django_db

# The data migration's mapping, imported by path (a migration module's name starts with a digit).
codes_for = importlib.import_module("acupath.treatment.migrations.0004_code_session_point_techniques").codes_for


def insert(practitioner, session, *points):
    return session_insert_needles(actor=practitioner.user, session=session, batch=needles(*points))


def test_the_coded_lists_are_the_rules_lists() -> None:
    assert set(Technique.values) == {t.value for t in RuleTechnique}
    assert set(NeedleAngle.values) == {a.value for a in Angle}


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("", []),
        ("even method", ["even"]),
        ("Tonifying, then warming needle", ["moxibustion_indirect", "reinforcing"]),
        ("direct moxa cone on skin", ["moxibustion_direct"]),
        ("cupping after", ["cupping"]),
        ("pricked to bleed", ["bloodletting"]),
        ("EA 2 Hz", ["electroacupuncture"]),
        ("sedating", ["reducing"]),
        ("as usual", ["manual"]),
    ],
)
def test_free_text_techniques_map_to_codes(text: str, codes: list[str]) -> None:
    assert codes_for(text) == codes


@pytest.mark.parametrize("technique", ["cupping", "bloodletting"])
def test_anticoagulant_refuses_cupping_or_bloodletting_at_needling_even_with_a_reason(practitioner, started, technique):
    consult(practitioner, started.patient, kind="reassessment", anticoagulant=True)
    point = NeedledPoint("BL23", "both", 2, techniques=(technique, "even"), override_reason="INR 2.1 today")
    with pytest.raises(ServiceError) as refused:
        insert(practitioner, started, point)
    message = refused.value.errors["points"]
    assert "No bloodletting or cupping" in message and "cannot be overridden" in message
    assert TreatmentSession.objects.get(pk=started.pk).needles_inserted == 0
    ok = insert(practitioner, started, NeedledPoint("BL23", "both", 2, techniques=("even",)))
    assert SessionPoint.objects.get(session=ok).techniques == ["even"]


def test_direct_moxibustion_is_refused_with_neuropathy(practitioner, started):
    consult(practitioner, started.patient, kind="reassessment", peripheral_neuropathy=True)
    with pytest.raises(ServiceError, match="No direct moxibustion"):
        insert(practitioner, started, NeedledPoint("BL23", "both", 2, techniques=("moxibustion_direct",)))
    insert(practitioner, started, NeedledPoint("BL23", "both", 2, techniques=("moxibustion_indirect",)))


@pytest.mark.parametrize(("depth", "refused"), [(None, True), (10, False), (11, True)])
def test_gb21_at_needling_needs_a_depth_within_the_lung_maximum(practitioner, consulted, room, depth, refused):
    plan = make_plan(consulted, [("GB21", "left", "shoulder pain, needled obliquely")])
    session = session_start(
        actor=practitioner.user, patient=consulted, practitioner=practitioner, room=room, pain_before=5, plan=plan
    )
    point = NeedledPoint("GB21", "left", 1, depth_mm=depth, angle="oblique")
    if refused:
        with pytest.raises(ServiceError) as refusal:
            insert(practitioner, session, point)
        assert "cannot be overridden" in refusal.value.errors["points"]
        assert ("enter the depth" if depth is None else "Enter 10 mm or less") in refusal.value.errors["points"]
    else:
        insert(practitioner, session, point)
        saved = SessionPoint.objects.get(session=session)
        assert (saved.depth_mm, saved.angle) == (10, "oblique")
        assert any(n.startswith("Over the lung:") for n in saved.safety_notes)


def test_planned_depth_carries_to_needling_and_a_deeper_entry_needs_a_reason(practitioner, started):
    # GV4 is planned at 15 mm (conftest); 26 mm is over its 25 mm spinal-canal maximum.
    insert(practitioner, started, ("Du4", "midline", 1))
    assert SessionPoint.objects.get(session=started, point_id="GV4").depth_mm == 15
    with pytest.raises(ServiceError, match=r"Over the spinal canal.*reason is required"):
        insert(practitioner, started, NeedledPoint("GV4", "midline", 1, depth_mm=26))
    insert(practitioner, started, NeedledPoint("GV4", "midline", 1, depth_mm=26, override_reason="large build"))
    deep = SessionPoint.objects.filter(session=started, point_id="GV4").order_by("-id").first()
    assert (deep.depth_mm, deep.override_reason) == (26, "large build")


@pytest.mark.parametrize("bad", [{"techniques": ("scraping",)}, {"angle": "sideways"}, {"depth_mm": 0}])
def test_unknown_technique_angle_or_depth_is_refused(practitioner, started, bad):
    with pytest.raises(ServiceError):
        insert(practitioner, started, NeedledPoint("BL23", "both", 2, **bad))


@pytest.mark.parametrize(("minutes", "ok"), [(9, False), (10, True), (60, True), (61, False)])
def test_session_retention_below_10_or_above_60_is_refused_by_the_api(api, plan, practitioner, room, minutes, ok):
    body = {"patient": str(plan.patient.public_id), "room": str(room.public_id), "planned_minutes": minutes}
    response = api.post("/api/v1/sessions", body, user=practitioner.user)
    assert response.status_code == (201 if ok else 422), response.content
    if not ok:
        assert "enter 10 to 60" in response.json()["detail"][0]["msg"]


@pytest.mark.parametrize(("minutes", "error"), [(9, "under 10"), (61, "over 60")])
def test_check_in_page_refuses_retention_outside_10_to_60(signed_in, practitioner, plan, room, minutes, error):
    r = signed_in(practitioner.user).post(
        "/sessions/start/",
        {
            "patient": str(plan.patient.public_id),
            "room": str(room.public_id),
            "pain_before": "5",
            "planned_minutes": minutes,
        },
    )
    assert r.status_code == 422
    assert f"Retention {error} minutes is refused" in r.content.decode()
    assert not TreatmentSession.objects.filter(patient=plan.patient).exists()


def test_needles_api_takes_techniques_depth_and_angle_and_answers_them(api, started, practitioner):
    body = {
        "points": [
            {"code": "BL23", "side": "both", "count": 2, "techniques": ["reinforcing", "moxibustion_indirect"],
             "depth_mm": 25, "angle": "perpendicular"},
        ],
        "gauge": "0.25", "length_mm": 40, "lot": "HW2611-0001",
    }  # fmt: skip
    r = api.post(f"/api/v1/sessions/{started.public_id}/needles", body, user=practitioner.user)
    assert r.status_code == 200, r.content
    [point] = r.json()["points"]
    assert (point["techniques"], point["depth_mm"], point["angle"]) == (
        ["moxibustion_indirect", "reinforcing"],
        25,
        "perpendicular",
    )
    bad = body | {"points": [body["points"][0] | {"techniques": ["scraping"]}]}
    assert api.post(f"/api/v1/sessions/{started.public_id}/needles", bad, user=practitioner.user).status_code == 422


def test_needles_form_posts_depth_angle_and_techniques(signed_in, practitioner, started):
    data = {
        "r0_code": "BL23", "r0_use": "1", "r0_side": "both", "r0_count": "2", "r0_plan": "1",
        "r0_depth": "20", "r0_angle": "perpendicular", "r0_techniques": ["even", "moxibustion_indirect"],
        "gauge": "0.25", "length_mm": "40", "lot": "HW-77",
    }  # fmt: skip
    client = signed_in(practitioner.user)
    page = client.get(f"/sessions/{started.public_id}/").content.decode()
    assert 'name="r0_depth"' in page and "Transverse" in page and "Moxibustion, direct" in page
    r = client.post(f"/sessions/{started.public_id}/needles/", data)
    assert r.status_code in (200, 302), r.content[:300]
    saved = SessionPoint.objects.get(session=started, point_id="BL23")
    assert (saved.depth_mm, saved.angle, saved.techniques) == (20, "perpendicular", ["even", "moxibustion_indirect"])
    shown = client.get(f"/sessions/{started.public_id}/").content.decode()
    assert "20 mm, perpendicular" in shown and "Even method" in shown


def test_needles_form_keeps_a_bad_depth_and_says_what_to_fix(signed_in, practitioner, started):
    data = {
        "r0_code": "BL23", "r0_use": "1", "r0_side": "both", "r0_count": "2", "r0_plan": "1", "r0_depth": "2x",
        "gauge": "0.25", "length_mm": "40", "lot": "HW-77",
    }  # fmt: skip
    r = signed_in(practitioner.user).post(f"/sessions/{started.public_id}/needles/", data)
    assert r.status_code == 422
    html = r.content.decode()
    assert "whole millimetres" in html and 'value="2x"' in html
    assert TreatmentSession.objects.get(pk=started.pk).needles_inserted == 0


def test_another_patient_cannot_post_needles_with_techniques(api, started, patient_user):
    body = {"points": [{"code": "BL23", "side": "both", "count": 2, "techniques": ["even"], "depth_mm": 20}]}
    assert api.post(f"/api/v1/sessions/{started.public_id}/needles", body, user=patient_user).status_code == 404
