"""The plans API against a real database: drafts from recorded consultations, saves, versions."""

import pytest

from acupath.core.models import AuditEvent
from acupath.knowledge.models import Acupoint
from acupath.planning.models import PlanPoint, TreatmentPlan
from acupath.planning.tests.helpers import consult, decide
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db

LOCAL_ROLES = {"local", "ashi"}


def draft_url(patient):
    return f"/api/v1/patients/{patient.public_id}/plans/draft"


def plans_url(patient):
    return f"/api/v1/patients/{patient.public_id}/plans"


def drafted(api, user, patient):
    response = api.post(draft_url(patient), user=user)
    assert response.status_code == 200, response.content
    return response.json()


def by_role(body):
    local = {p["code"] for p in body["points"] if p["role"] in LOCAL_ROLES}
    distal = {p["code"] for p in body["points"] if p["role"] == "distal"}
    return local, distal


def approve(api, user, patient, body, **changes):
    payload = {
        "points": [{k: p[k] for k in ("code", "side", "role", "rationale", "level")} for p in body["points"]],
        "electroacupuncture": body["electroacupuncture"],
        "retention_minutes": body["retention_minutes"],
        "course": body["course"],
        "advice": body["advice"],
    } | changes
    return api.post(plans_url(patient), payload, user=user)


# --- drafting by cause and leg-pain distribution ------------------------------------------------

CAUSES = [
    # cause, weeks since onset, expected local, expected distal (or calming)
    ("posture", 20, {"BL23", "GV3"}, {"BL40"}),
    ("strain_injury", 1, {"BL23", "GV3"}, {"GV26", "BL40"}),
    ("disc_spinal", 20, {"EX-B2", "BL23"}, {"BL40"}),
    ("arthritis", 20, {"BL23", "GV3"}, {"BL40", "KI3"}),
    ("sciatica", 20, {"GB30", "BL23"}, {"BL40"}),
    ("stress_tension", 20, {"BL23", "GV3"}, {"BL40"}),
]


@pytest.mark.parametrize(("cause", "weeks", "local", "distal"), CAUSES)
def test_draft_by_cause_has_the_expected_local_and_distal_points(
    api, reference, practitioner, patient, cause, weeks, local, distal
):
    consult(practitioner, patient, causes=(cause,), weeks=weeks)
    body = drafted(api, practitioner.user, patient)
    got_local, got_distal = by_role(body)
    assert local <= got_local
    assert distal <= got_distal
    if cause == "stress_tension":
        assert {"EX-HN3"} <= {p["code"] for p in body["points"] if p["role"] == "calming"}
    assert all(p["rationale"] for p in body["points"])


LEG_PAIN = [
    ("none", {"BL23", "GV3"}, {"BL40"}, {"BL57", "GB34"}),
    ("buttock_thigh", {"GB30", "BL54"}, {"BL40"}, {"BL57", "GB34"}),
    ("posterior_leg", {"BL54"}, {"BL57", "BL40"}, {"GB34"}),
    ("below_knee", {"BL54"}, {"BL57", "BL40"}, {"GB34"}),
    ("lateral_leg", {"GB30"}, {"GB34", "BL40"}, {"BL57"}),
]


@pytest.mark.parametrize(("leg_pain", "local", "distal", "absent"), LEG_PAIN)
def test_draft_by_leg_pain_follows_the_bladder_or_gallbladder_channel(
    api, reference, practitioner, patient, leg_pain, local, distal, absent
):
    consult(practitioner, patient, leg_pain=leg_pain)
    body = drafted(api, practitioner.user, patient)
    got_local, got_distal = by_role(body)
    assert local <= got_local
    assert distal <= got_distal
    assert not absent & {p["code"] for p in body["points"]}


def test_draft_answers_the_whole_documented_shape(api, reference, practitioner, patient):
    consult(practitioner, patient, leg_pain="posterior_leg", causes=("posture", "stress_tension"))
    body = drafted(api, practitioner.user, patient)
    assert set(body) >= {
        "points",
        "excluded",
        "warnings",
        "electroacupuncture",
        "retention_minutes",
        "course",
        "advice",
    }
    assert set(body["points"][0]) >= {"code", "side", "role", "rationale"}
    assert set(body["course"]) >= {"sessions", "per_week", "weeks", "reassess_after", "maintenance_interval_weeks"}
    assert body["course"]["sessions"] >= 1
    assert body["retention_minutes"] == 20  # first treatment: shorter
    assert {"workstation_setup", "relaxation_breathing"} <= {a["code"] for a in body["advice"]}


# --- safety: pregnancy ----------------------------------------------------------------------------

# Clinical reference §5.1: the traditional list, and the regions WHO 1999 §2.1 rules out.
FORBIDDEN_IN_PREGNANCY = {"LI4", "SP6", "BL60", "BL67", "GB21"}


@pytest.mark.parametrize("weeks", [None, 8, 20, 34])
@pytest.mark.parametrize(
    ("pattern", "leg_pain"),
    [("qi_stagnation", "posterior_leg"), ("liver_kidney_yin_deficiency", "below_knee"), ("", "none")],
)
def test_pregnant_patients_draft_has_no_point_contraindicated_in_pregnancy(
    api, reference, practitioner, patient, weeks, pattern, leg_pain
):
    consult(
        practitioner,
        patient,
        pregnant=True,
        pregnancy_weeks=weeks,
        pattern=pattern,
        leg_pain=leg_pain,
        causes=("posture", "sciatica"),
    )
    body = drafted(api, practitioner.user, patient)
    codes = {p["code"] for p in body["points"]}
    assert codes, "a pregnant patient still gets distal points"
    assert not codes & FORBIDDEN_IN_PREGNANCY
    # First trimester (or weeks unknown) contraindicated, later a caution: out of drafts either way.
    regions = {"lumbar", "sacral", "lower_abdomen", "upper_abdomen"}
    in_regions = set(Acupoint.objects.filter(code__in=codes, region__in=regions).values_list("code", flat=True))
    assert not in_regions
    assert not {p["level"] for p in body["points"]} & regions
    excluded = {(e["code"], e["rule"]) for e in body["excluded"]}
    later = weeks is not None and weeks >= 13
    assert ("BL23", "pregnancy_lumbosacral_later" if later else "pregnancy_lumbosacral_first_trimester") in excluded
    assert any(w["rule"] == "distal_only" for w in body["warnings"])
    assert body["electroacupuncture"] is False


def test_saving_bl23_for_a_pregnant_patient_is_refused_naming_the_rule(api, reference, practitioner, patient):
    consult(practitioner, patient, pregnant=True, pregnancy_weeks=12)
    body = drafted(api, practitioner.user, patient)
    body["points"].append({"code": "UB23", "side": "both", "role": "local", "rationale": "", "level": ""})
    response = approve(api, practitioner.user, patient, body, override_reasons={"BL23": "she insists"})
    assert response.status_code == 422
    message = response.json()["detail"][0]["msg"]
    assert "BL23" in message
    assert "Lumbosacral point in the first trimester" in message and "cannot be overridden" in message
    assert "pregnancy_lumbosacral" not in message  # people read titles, not codes
    assert not TreatmentPlan.objects.filter(patient=patient).exists()


def test_a_pregnancy_caution_needs_a_reason_and_the_reason_is_kept_and_audited(api, reference, practitioner, patient):
    consult(practitioner, patient, pregnant=True, pregnancy_weeks=30)
    body = drafted(api, practitioner.user, patient)
    assert "LI4" not in {p["code"] for p in body["points"]}
    body["points"].append({"code": "li-4", "side": "left", "role": "distal", "rationale": "", "level": ""})
    refused = approve(api, practitioner.user, patient, body)
    assert refused.status_code == 422
    message = refused.json()["detail"][0]["msg"]
    assert "LI4" in message and "Point traditionally avoided in pregnancy" in message
    assert "reason is required" in message

    reason = "Labour is due and induction is planned with the obstetric team."
    saved = approve(api, practitioner.user, patient, body, override_reasons={"LI4": reason})
    assert saved.status_code == 201, saved.content
    point = PlanPoint.objects.get(plan__patient=patient, point_id="LI4")
    assert point.override_reason == reason
    plan = saved.json()
    assert {
        "code": "LI4",
        "rule": "pregnancy_forbidden_points",
        "title": "Point traditionally avoided in pregnancy",
        "severity": "caution",
    } in plan["safety"]["overrides"]
    event = AuditEvent.objects.get(entity="plan_safety_override", patient_id=patient.public_id)
    assert (event.actor, event.via) == (practitioner.user, "api")
    assert "LI4" in event.summary and reason not in event.summary


# --- safety: pacemaker ---------------------------------------------------------------------------


def test_electroacupuncture_is_drafted_for_chronic_leg_pain_without_a_device(api, reference, practitioner, patient):
    consult(practitioner, patient, leg_pain="posterior_leg", weeks=30)
    assert drafted(api, practitioner.user, patient)["electroacupuncture"] is True


def test_a_pacemaker_never_gets_electroacupuncture_by_draft_or_by_edit(api, reference, practitioner, patient):
    consult(practitioner, patient, leg_pain="posterior_leg", weeks=30, pacemaker=True)
    body = drafted(api, practitioner.user, patient)
    assert body["electroacupuncture"] is False
    assert any(w["rule"] == "pacemaker_no_electro" for w in body["warnings"])
    for reasons in ({}, {"electroacupuncture": "patient asked for it"}):
        response = approve(api, practitioner.user, patient, body, electroacupuncture=True, override_reasons=reasons)
        assert response.status_code == 422
        assert "Pacemaker or implanted device" in response.json()["detail"][0]["msg"]
    assert not TreatmentPlan.objects.filter(patient=patient).exists()
    assert approve(api, practitioner.user, patient, body).status_code == 201


# --- red flags -----------------------------------------------------------------------------------


def test_unresolved_red_flags_give_no_plan_at_all(api, reference, practitioner, patient):
    consultation = consult(practitioner, patient, red_flags={"structural_deformity": True})
    response = api.post(draft_url(patient), user=practitioner.user)
    assert response.status_code == 409
    body = response.json()
    assert "A new change in the shape of the spine" in body["detail"]  # in words, not codes
    assert "structural_deformity" not in body["detail"]
    assert (body["code"], body["blocked_by"]["red_flags"]) == ("red_flags_undecided", ["structural_deformity"])
    assert "points" not in body
    blocked = approve(
        api,
        practitioner.user,
        patient,
        {
            "points": [{"code": "BL40", "side": "both", "role": "distal", "rationale": "", "level": ""}],
            "electroacupuncture": False,
            "retention_minutes": 20,
            "course": None,
            "advice": None,
        },
    )
    assert blocked.status_code == 409
    assert "Planning is stopped" in blocked.json()["detail"]
    decide(practitioner, consultation, "structural_deformity")
    assert api.post(draft_url(patient), user=practitioner.user).status_code == 200


def test_draft_without_a_consultation_is_a_conflict_that_says_what_to_do(api, reference, practitioner, patient):
    response = api.post(draft_url(patient), user=practitioner.user)
    assert response.status_code == 409
    assert "consultation" in response.json()["detail"]


# --- saving, versions, course and advice ---------------------------------------------------------


def test_saved_plan_carries_course_advice_and_the_drafts_exclusions(api, reference, practitioner, patient):
    consult(practitioner, patient, pregnant=True, causes=("posture",))
    body = drafted(api, practitioner.user, patient)
    response = approve(api, practitioner.user, patient, body, change_note="first plan")
    assert response.status_code == 201
    plan = TreatmentPlan.objects.get(patient=patient)
    assert (plan.sessions, plan.per_week) == (body["course"]["sessions"], body["course"]["per_week"])
    assert plan.course["phases"] == body["course"]["phases"]
    assert plan.course["reassess_instruments"] == body["course"]["reassess_instruments"]
    assert plan.course["maintenance_interval_weeks"] == body["course"]["maintenance_interval_weeks"]
    assert [a["code"] for a in plan.advice] == [a["code"] for a in body["advice"]]
    assert any(e["code"] == "BL23" and e["rule"].startswith("pregnancy_lumbosacral") for e in plan.safety["excluded"])
    assert any(w["rule"] == "pregnancy_general" for w in plan.safety["warnings"])


def test_versions_are_listed_newest_first_with_points_and_changes(api, reference, practitioner, patient):
    consult(practitioner, patient)
    body = drafted(api, practitioner.user, patient)
    assert approve(api, practitioner.user, patient, body).status_code == 201
    body["points"] = [p for p in body["points"] if p["code"] != "GV3"]
    body["points"].append({"code": "Du4", "side": "midline", "role": "local", "rationale": "", "level": ""})
    assert approve(api, practitioner.user, patient, body, change_note="GV4 instead of GV3").status_code == 201
    listed = api.get(plans_url(patient), user=practitioner.user).json()
    assert listed["count"] == 2
    newest, oldest = listed["items"]
    assert (newest["version"], newest["status"], oldest["status"]) == (2, "approved", "superseded")
    assert newest["added"] == ["GV4 (midline)"]
    assert newest["removed"] == ["GV3 (midline)"]
    assert newest["change_note"] == "GV4 instead of GV3"
    assert newest["created_by"]
    assert "GV4" in {p["code"] for p in newest["points"]}


def test_an_unknown_code_is_refused_naming_it(api, reference, practitioner, patient):
    consult(practitioner, patient)
    body = drafted(api, practitioner.user, patient)
    body["points"].append({"code": "XY99", "side": "both", "role": "local", "rationale": "", "level": ""})
    response = approve(api, practitioner.user, patient, body)
    assert response.status_code == 422
    assert "XY99" in response.json()["detail"][0]["msg"]


# --- who may do what -----------------------------------------------------------------------------


def test_front_desk_cannot_draft_save_or_list_plans(api, reference, practitioner, frontdesk, patient):
    consult(practitioner, patient)
    assert api.post(draft_url(patient), user=frontdesk).status_code == 404
    assert api.get(plans_url(patient), user=frontdesk).status_code == 404
    body = drafted(api, practitioner.user, patient)
    assert approve(api, frontdesk, patient, body).status_code == 404


def test_owner_may_draft_and_approve(api, reference, practitioner, owner, patient):
    consult(practitioner, patient)
    body = drafted(api, owner, patient)
    assert approve(api, owner, patient, body).status_code == 201


def test_patient_reads_their_own_plans_but_cannot_write_or_read_anothers(
    api, reference, practitioner, patient, patient_user, clinic
):
    consult(practitioner, patient)
    body = drafted(api, practitioner.user, patient)
    assert approve(api, practitioner.user, patient, body).status_code == 201
    mine = api.get(plans_url(patient), user=patient_user)
    assert mine.status_code == 200
    assert mine.json()["count"] == 1
    assert api.post(draft_url(patient), user=patient_user).status_code == 404
    assert approve(api, patient_user, patient, body).status_code == 404
    other = PatientFactory(clinic=clinic)
    consult(practitioner, other)
    assert api.get(plans_url(other), user=patient_user).status_code == 404


def test_plans_api_needs_a_token(api, reference, practitioner, patient):
    assert api.get(plans_url(patient)).status_code == 401
    assert api.post(draft_url(patient)).status_code == 401


def test_draft_and_list_are_audited_as_reads(api, reference, practitioner, patient):
    consult(practitioner, patient)
    drafted(api, practitioner.user, patient)
    api.get(plans_url(patient), user=practitioner.user)
    reads = set(AuditEvent.objects.filter(patient_id=patient.public_id, action="read").values_list("entity", "via"))
    assert {("plan_draft", "api"), ("treatment_plan_list", "api")} <= reads


# --- query counts --------------------------------------------------------------------------------


def test_plan_list_query_count_does_not_grow_with_versions(
    api, reference, practitioner, patient, django_assert_num_queries
):
    consult(practitioner, patient)
    body = drafted(api, practitioner.user, patient)
    approve(api, practitioner.user, patient, body)
    # 6 of them issue the test's bearer token (user, the lockout's checks, token, its last-used mark,
    # sign-in audit); the endpoint itself:
    # token check, patient, plans, their points (with catalogue rows), the read audit.
    with django_assert_num_queries(11):
        assert api.get(plans_url(patient), user=practitioner.user).status_code == 200
    for _ in range(3):
        approve(api, practitioner.user, patient, body)
    with django_assert_num_queries(11):
        assert api.get(plans_url(patient), user=practitioner.user).json()["count"] == 4


def test_draft_query_count_is_constant(api, reference, practitioner, patient, django_assert_num_queries):
    consult(practitioner, patient)
    drafted(api, practitioner.user, patient)
    # 6 for the test's bearer token (as above); then token check, patient, the treatment gate (consultations,
    # their decisions, referrals), the latest consultation, ODI, any session yet, the latest STarT
    # Back, the clinic's re-assessment session, the read audit. The catalogue and rules come from
    # the cached data files.
    with django_assert_num_queries(17):
        drafted(api, practitioner.user, patient)
