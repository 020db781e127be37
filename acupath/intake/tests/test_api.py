"""/api/v1/patients/{id}/consultations and /api/v1/consultations/{id}/red-flag-decisions."""

import pytest

from acupath.core.models import AuditEvent
from acupath.intake.domain.red_flags import CES_EMERGENCY_PHRASE
from acupath.intake.models import Consultation, RedFlagReview
from acupath.intake.selectors import treatment_gate
from acupath.measures.models import Assessment
from tests.consultations import all_no
from tests.factories import PatientFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("one_token")]

BODY = {
    "kind": "initial",
    "causes": ["posture", "sciatica"],
    "onset_date": "2026-01-05",
    "region": "lumbar",
    "leg_pain": "posterior_leg",
    "pain_now": 7,
    "pattern": "cold_damp",
    "history": {
        "pregnant": False,
        "anticoagulant": True,
        "pacemaker": False,
        "skin_lesion_sites": ["lumbar"],
        "medications": "apixaban 5 mg twice daily",
        "allergies": "nickel",
    },
    "lifestyle": {"work_posture": "desk job, 9 hours a day"},
    "red_flags": all_no(),
    "consulted_at": "2026-03-02T10:30:00+05:30",
}


def url(patient) -> str:
    return f"/api/v1/patients/{patient.public_id}/consultations"


def decisions(consultation_id) -> str:
    return f"/api/v1/consultations/{consultation_id}/red-flag-decisions"


def test_a_consultation_is_recorded_with_its_duration_class(api, practitioner, patient):
    response = api.post(url(patient), BODY, user=practitioner.user)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["duration_class"] == "subacute"  # 8 weeks on 2 March
    assert body["causes"] == ["posture", "sciatica"]
    assert body["history"]["anticoagulant"] is True
    assert body["history"]["skin_lesion_sites"] == ["lumbar"]
    assert body["lifestyle"]["work_posture"] == "desk job, 9 hours a day"
    assert body["alerts"] == []
    assert body["open_red_flags"] == []
    assert body["patient_id"] == str(patient.public_id)
    consultation = Consultation.objects.get(public_id=body["id"])
    assert consultation.practitioner == practitioner
    baseline = Assessment.objects.get(patient=patient)
    assert (baseline.instrument, baseline.score, baseline.starts_episode) == ("nrs", 7.0, True)


def test_saddle_anaesthesia_answers_with_the_same_day_alert(api, practitioner, patient):
    body = api.post(url(patient), BODY | {"red_flags": all_no(saddle_anaesthesia=True)}, user=practitioner.user).json()
    assert [(a["flag"], a["urgency"], a["category"]) for a in body["alerts"]] == [
        ("saddle_anaesthesia", "emergency", "cauda_equina")
    ]
    assert CES_EMERGENCY_PHRASE in body["alerts"][0]["action"].lower()
    assert body["alerts"][0]["decision"] is None
    assert body["open_red_flags"] == ["saddle_anaesthesia"]
    assert treatment_gate(patient).open_alerts


def test_alerts_are_most_urgent_first_with_their_tiers(api, practitioner, patient):
    flags = all_no(inflammatory=True, cancer_history=True, bowel_dysfunction=True, structural_deformity=True)
    body = api.post(url(patient), BODY | {"red_flags": flags}, user=practitioner.user).json()
    assert [(a["flag"], a["urgency"]) for a in body["alerts"]] == [
        ("bowel_dysfunction", "emergency"),
        ("cancer_history", "urgent"),
        ("structural_deformity", "soon"),
        ("inflammatory", "routine"),
    ]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": "follow_up"}, "kind"),
        ({"causes": ["gremlins"]}, "causes"),
        ({"causes": []}, "causes"),
        ({"region": "neck"}, "region"),
        ({"leg_pain": "toes"}, "leg_pain"),
        ({"pain_now": 11}, "pain_now"),
        ({"pattern": "wind_heat"}, "pattern"),
        ({"onset_date": "2999-01-01"}, "onset_date"),
        ({"red_flags": all_no(headache=True)}, "red_flags"),
        ({"red_flags": all_no(age_over_threshold=True)}, "red_flags"),
        ({"notes": "x" * 4001}, "notes"),
        ({"history": {"pregnancy_weeks": 12}}, "pregnancy_weeks"),
        ({"history": {"skin_lesion_sites": ["elbow"]}}, "skin_lesion_sites"),
    ],
)
def test_bad_input_is_422_naming_the_field(api, practitioner, patient, change, field):
    response = api.post(url(patient), BODY | change, user=practitioner.user)
    assert response.status_code == 422
    fields = [d["loc"][-1] for d in response.json()["detail"]]
    assert field in fields
    assert not Consultation.objects.exists()


def test_get_lists_consultations_oldest_first_with_decisions(api, practitioner, patient):
    user = practitioner.user
    first = api.post(url(patient), BODY | {"red_flags": all_no(inflammatory=True)}, user=user).json()
    api.post(
        decisions(first["id"]),
        {"flag": "inflammatory", "decision": "refer_routine", "reason": "GP to consider rheumatology."},
        user=user,
    )
    api.post(url(patient), BODY | {"kind": "reassessment", "consulted_at": "2026-04-02T10:30:00+05:30"}, user=user)
    body = api.get(url(patient), user=user).json()
    assert [c["kind"] for c in body] == ["initial", "reassessment"]
    assert body[0]["alerts"][0]["decision"]["decision"] == "refer_routine"
    assert body[0]["open_red_flags"] == []


def test_reads_and_writes_are_audited(api, practitioner, patient):
    user = practitioner.user
    created = api.post(url(patient), BODY, user=user).json()
    api.get(url(patient), user=user)
    events = set(AuditEvent.objects.filter(patient_id=patient.public_id).values_list("action", "entity", "via"))
    assert {
        ("create", "consultation", "api"),
        ("read", "consultation", "api"),
        ("create", "assessment", "api"),
    } <= events
    assert AuditEvent.objects.filter(entity="consultation", entity_id=created["id"]).exists()


# --- access ---------------------------------------------------------------------------------------


def test_front_desk_gets_not_found(api, frontdesk, patient):
    assert api.get(url(patient), user=frontdesk).status_code == 404
    assert api.post(url(patient), BODY, user=frontdesk).status_code == 404


def test_patient_reads_their_own_consultations_but_may_not_write(api, practitioner, patient, patient_user):
    api.post(url(patient), BODY, user=practitioner.user)
    response = api.get(url(patient), user=patient_user)
    assert response.status_code == 200
    assert len(response.json()) == 1
    assert api.post(url(patient), BODY, user=patient_user).status_code == 403


def test_patient_cannot_reach_another_patients_consultations(api, patient_user, clinic):
    other = PatientFactory(clinic=clinic)
    assert api.get(url(other), user=patient_user).status_code == 404
    assert api.post(url(other), BODY, user=patient_user).status_code == 404


# --- red-flag decisions ---------------------------------------------------------------------------


@pytest.fixture
def flagged(api, practitioner, patient):
    flags = all_no(saddle_anaesthesia=True, cancer_history=True)
    return api.post(url(patient), BODY | {"red_flags": flags}, user=practitioner.user).json()


def test_a_decision_is_recorded_and_answered(api, practitioner, flagged):
    response = api.post(
        decisions(flagged["id"]),
        {"flag": "saddle_anaesthesia", "decision": "refer_emergency", "reason": "Sent to A&E by ambulance at 11:05."},
        user=practitioner.user,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["flag"], body["decision"], body["reason"]) == (
        "saddle_anaesthesia",
        "refer_emergency",
        "Sent to A&E by ambulance at 11:05.",
    )
    assert body["consultation_id"] == flagged["id"]
    assert body["open_red_flags"] == ["cancer_history"]
    assert (body["referral"]["tier"], body["referral"]["destination"]) == ("emergency", "emergency_department")
    assert RedFlagReview.objects.filter(flag="saddle_anaesthesia", decision="refer_emergency").exists()
    assert AuditEvent.objects.filter(entity="red_flag_review", action="create", via="api").exists()


def test_deciding_every_flag_closes_the_flags_but_the_referrals_still_hold_planning(
    api, practitioner, patient, flagged
):
    for flag, decision in (("saddle_anaesthesia", "refer_emergency"), ("cancer_history", "refer_urgent")):
        body = api.post(
            decisions(flagged["id"]),
            {"flag": flag, "decision": decision, "reason": "Referred today."},
            user=practitioner.user,
        ).json()
    assert body["open_red_flags"] == []
    gate = treatment_gate(patient)
    assert gate.open_alerts == []
    assert [r.tier for r in gate.referrals] == ["emergency", "urgent"]


def test_a_later_decision_replaces_the_earlier_one_until_a_referral_is_made(api, practitioner, patient):
    user = practitioner.user
    c = api.post(url(patient), BODY | {"red_flags": all_no(inflammatory=True)}, user=user).json()
    api.post(decisions(c["id"]), {"flag": "inflammatory", "decision": "not_relevant", "reason": "x"}, user=user)
    api.post(decisions(c["id"]), {"flag": "inflammatory", "decision": "refer_routine", "reason": "y"}, user=user)
    review = RedFlagReview.objects.get(flag="inflammatory")
    assert (review.decision, review.reason) == ("refer_routine", "y")
    assert AuditEvent.objects.filter(entity="red_flag_review", action="update").count() == 1
    again = api.post(decisions(c["id"]), {"flag": "inflammatory", "decision": "not_relevant", "reason": "z"}, user=user)
    assert again.status_code == 422
    assert "record the referral's outcome" in again.json()["detail"][0]["msg"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"flag": "weight_loss", "decision": "not_relevant", "reason": "x"}, "flag"),
        ({"flag": "cancer_history", "decision": "ignore", "reason": "x"}, "decision"),
        ({"flag": "cancer_history", "decision": "refer_urgent", "reason": "  "}, "reason"),
        ({"flag": "cancer_history", "decision": "not_relevant", "reason": "x"}, "decision"),
        ({"flag": "saddle_anaesthesia", "decision": "refer_urgent", "reason": "x"}, "decision"),
    ],
)
def test_bad_decisions_are_422(api, practitioner, flagged, body, field):
    response = api.post(decisions(flagged["id"]), body, user=practitioner.user)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", field]


def test_only_practitioners_may_decide_everyone_else_gets_not_found(api, flagged, frontdesk, patient_user, clinic):
    body = {"flag": "cancer_history", "decision": "not_relevant", "reason": "x"}
    assert api.post(decisions(flagged["id"]), body, user=frontdesk).status_code == 404
    assert api.post(decisions(flagged["id"]), body, user=patient_user).status_code == 404
    assert api.post(decisions("00000000-0000-0000-0000-000000000000"), body, user=frontdesk).status_code == 404
    assert api.post(decisions("not-a-uuid"), body, user=patient_user).status_code in (404, 422)
    assert not RedFlagReview.objects.exists()


def test_owner_may_decide(api, owner, flagged):
    body = {"flag": "cancer_history", "decision": "refer_urgent", "reason": "GP letter."}
    assert api.post(decisions(flagged["id"]), body, user=owner).status_code == 201


# --- query counts ---------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 8])
def test_list_query_count_is_constant(api, practitioner, patient, one_token, django_assert_num_queries, count):
    user = practitioner.user
    for n in range(count):
        c = api.post(
            url(patient),
            BODY | {"red_flags": all_no(inflammatory=True), "consulted_at": f"2026-03-{n + 2:02d}T10:00:00+05:30"},
            user=user,
        ).json()
        api.post(decisions(c["id"]), {"flag": "inflammatory", "decision": "refer_routine", "reason": "x"}, user=user)
    headers = one_token(user)
    # token and user, patient access, consultations (with patient), their decisions (with referrals
    # and their patients), audit insert
    with django_assert_num_queries(5):
        response = api.client.get(url(patient), **headers)
    assert len(response.json()) == count


def test_the_operations_are_documented_in_the_openapi_schema(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"post", "get"} <= set(paths["/api/v1/patients/{patient_id}/consultations"])
    assert "post" in paths["/api/v1/consultations/{consultation_id}/red-flag-decisions"]
    assert {"post", "get"} <= set(paths["/api/v1/patients/{patient_id}/assessments"])


def test_the_red_flag_and_referral_operations_are_documented_with_coded_enums(client):
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    assert "get" in paths["/api/v1/red-flags"]
    assert "post" in paths["/api/v1/referrals/{referral_id}/outcome"]
    assert "get" in paths["/api/v1/referrals/{referral_id}/letter.pdf"]
    components = schema["components"]["schemas"]
    assert set(components["ReferralOutcome"]["enum"]) == {"cleared", "confirmed", "not_attended"}
    assert set(components["RedFlagTier"]["enum"]) == {"emergency", "urgent", "soon", "routine"}
