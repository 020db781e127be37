"""Issue 12 acceptance: suspected cauda equina leads to an emergency referral, and no order of API
calls or form posts can start a plan or a session until its outcome clears them.

It lives outside the apps because it crosses them (intake, planning, treatment, chart) the way a
user does.
"""

from decimal import Decimal

import pytest
from django.utils import timezone

from acupath.core.errors import Conflict
from acupath.core.models import AuditEvent
from acupath.intake.models import Referral
from acupath.planning.enums import PlanStatus
from acupath.planning.models import TreatmentPlan
from acupath.planning.services import PlanInput, PlanPointInput, plan_save
from acupath.treatment.enums import SessionStatus
from acupath.treatment.models import TreatmentSession
from acupath.treatment.services import NeedleBatch, NeedledPoint, session_insert_needles, session_start
from conftest import bearer
from tests.consents import sign_consent
from tests.consultations import all_no, consult
from tests.factories import PatientFactory
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db

CONSULTATION = {
    "kind": "initial",
    "causes": ["disc_spinal", "sciatica"],
    "onset_date": "2026-01-05",
    "region": "lumbar",
    "leg_pain": "below_knee",
    "pain_now": 8,
    "red_flags": all_no(saddle_anaesthesia=True, bladder_dysfunction="unsure"),
}
PLAN = {
    "points": [{"code": "BL23", "side": "both", "role": "local", "rationale": "", "level": ""}],
    "electroacupuncture": False,
    "retention_minutes": 20,
    "course": None,
    "advice": None,
}


def _post(api, path, body, headers):
    return api.client.post(path, body, content_type="application/json", **headers)


def _every_route_refuses(api, client, headers, patient, practitioner, room, expect: str) -> None:
    """Plan draft, plan save (API, page), session start (API, page, service on an approved plan)."""
    pid = patient.public_id
    draft = api.client.post(f"/api/v1/patients/{pid}/plans/draft", **headers)
    assert draft.status_code == 409 and expect in draft.json()["detail"]
    saved = _post(api, f"/api/v1/patients/{pid}/plans", PLAN, headers)
    assert saved.status_code == 409 and expect in saved.json()["detail"]
    assert saved.json()["blocked_by"]["referrals"] or saved.json()["blocked_by"]["red_flags"]
    started = _post(api, "/api/v1/sessions", {"patient": str(pid), "room": str(room.public_id)}, headers)
    assert started.status_code == 409 and expect in started.json()["detail"]
    page = client.post(
        f"/patients/{pid}/plans/new/",
        {"point_code": ["BL23"], "point_side": ["both"], "point_role": ["local"], "retention_minutes": "20"},
    )
    assert page.status_code in (200, 422) and "planning and needling are stopped" in page.content.decode()
    session_page = client.post(
        "/sessions/start/",
        {"patient": str(pid), "room": str(room.public_id), "planned_minutes": "20", "pain_before": "5"},
    )
    assert session_page.status_code in (200, 422) and expect in session_page.content.decode()
    with pytest.raises(Conflict, match=expect):
        session_start(actor=practitioner.user, patient=patient, practitioner=practitioner, room=room, pain_before=5)
    assert not TreatmentSession.objects.filter(patient=patient, status=SessionStatus.OPEN).exists()


def test_suspected_cauda_equina_holds_every_route_until_the_emergency_referral_clears(
    reference, api, client, practitioner, patient, room
):
    headers = bearer(practitioner.user)
    client.force_login(practitioner.user)
    # An approved plan from before the flag was raised: it must not let a session start either.
    consult(practitioner, patient)
    sign_consent(patient, at=timezone.now())  # so only the referral can be what holds the session
    plan_save(
        actor=practitioner.user, patient=patient, consultation=None, data=PlanInput((PlanPointInput("BL23", "both"),))
    )
    # A session already open when the flag is raised cannot take needles.
    open_session = session_start(
        actor=practitioner.user, patient=patient, practitioner=practitioner, room=room, pain_before=5
    )

    created = _post(api, f"/api/v1/patients/{patient.public_id}/consultations", CONSULTATION, headers)
    assert created.status_code == 201, created.content
    body = created.json()
    assert [(a["flag"], a["urgency"], a["answer"]) for a in body["alerts"]] == [
        ("bladder_dysfunction", "emergency", "unsure"),
        ("saddle_anaesthesia", "emergency", "yes"),
    ]
    with pytest.raises(Conflict, match="Needling is stopped"):
        session_insert_needles(
            actor=practitioner.user,
            session=open_session,
            batch=NeedleBatch((NeedledPoint("BL23", "both"),), gauge_mm=Decimal("0.25"), length_mm=40, lot="L1"),
        )
    TreatmentSession.objects.filter(pk=open_session.pk).update(status=SessionStatus.CLOSED, closed_at=timezone.now())
    _every_route_refuses(api, client, headers, patient, practitioner, room, "Red flags need a decision first")

    decisions = f"/api/v1/consultations/{body['id']}/red-flag-decisions"
    for weaker in ("refer_urgent", "refer_routine", "not_relevant"):
        refused = _post(api, decisions, {"flag": "saddle_anaesthesia", "decision": weaker, "reason": "x"}, headers)
        assert refused.status_code == 422
        assert "emergency flag (same day)" in refused.json()["detail"][0]["msg"]
        assert refused.json()["tier"] == "emergency"
    referral_ids = set()
    for flag in ("saddle_anaesthesia", "bladder_dysfunction"):
        decided = _post(
            api, decisions, {"flag": flag, "decision": "refer_emergency", "reason": "Sent to A&E at 11:05."}, headers
        )
        assert decided.status_code == 201, decided.content
        referral_ids.add(decided.json()["referral"]["id"])
    [referral_id] = referral_ids  # one emergency referral carries both findings
    referral = Referral.objects.get(public_id=referral_id)
    assert referral.flags == ["saddle_anaesthesia", "bladder_dysfunction"]
    _every_route_refuses(api, client, headers, patient, practitioner, room, "Treatment waits for the outcome")

    # The letter to the emergency department says why, how urgently, who and by whom.
    letter = api.client.get(f"/api/v1/referrals/{referral_id}/letter.pdf", **headers)
    assert letter.status_code == 200 and letter["Content-Type"] == "application/pdf"
    text = pdf_text(letter.content)
    for words in (
        "Emergency Department",
        "Emergency (same day)",
        "Numbness or tingling between the legs",
        "New trouble passing or controlling urine",
        "Unsure when asked",
        patient.full_name,
        f"{patient.birth_date:%d %b %Y}",
        practitioner.display_name,
    ):
        assert words in text, words
    assert AuditEvent.objects.filter(entity="referral", action="read", via="api").exists()
    page_letter = client.get(f"/patients/{patient.public_id}/referrals/{referral_id}/letter.pdf")
    assert page_letter.status_code == 200 and "Numbness or tingling" in pdf_text(page_letter.content)

    outcome = f"/api/v1/referrals/{referral_id}/outcome"
    today = timezone.localdate().isoformat()
    confirmed = _post(
        api, outcome, {"outcome": "confirmed", "assessed_by": "Dr Shah, ED", "assessed_on": today}, headers
    )
    assert confirmed.status_code == 200 and confirmed.json()["blocks_treatment"] is True
    _every_route_refuses(api, client, headers, patient, practitioner, room, "confirmed a serious cause")
    # A new consultation answering no cannot reopen it either.
    consult(practitioner, patient, kind="reassessment")
    _every_route_refuses(api, client, headers, patient, practitioner, room, "no acupuncture for this back problem")

    missed = {"outcome": "not_attended", "assessed_by": "Clinic phone call", "assessed_on": today}
    assert _post(api, outcome, missed, headers).status_code == 200
    _every_route_refuses(api, client, headers, patient, practitioner, room, "has not attended")

    cleared = {"outcome": "cleared", "assessed_by": "Dr Shah, ED", "assessed_on": today, "note": "MRI normal."}
    assert _post(api, outcome, cleared, headers).json()["blocks_treatment"] is False
    assert api.client.post(f"/api/v1/patients/{patient.public_id}/plans/draft", **headers).status_code == 200
    assert _post(api, f"/api/v1/patients/{patient.public_id}/plans", PLAN, headers).status_code == 201
    assert TreatmentPlan.objects.filter(patient=patient, status=PlanStatus.APPROVED).count() == 1
    sign_consent(patient, at=timezone.now())  # the consultation after the referral began a new course
    started = _post(api, "/api/v1/sessions", {"patient": str(patient.public_id), "room": str(room.public_id)}, headers)
    assert started.status_code == 201, started.content


def test_the_consultation_page_shows_the_referral_its_tier_the_stopped_plan_and_the_outcome_form(
    reference, client, practitioner, patient
):
    from acupath.intake.services import red_flag_decide

    consultation = consult(practitioner, patient, red_flags={"saddle_anaesthesia": True})
    red_flag_decide(
        actor=practitioner.user,
        consultation=consultation,
        flag="saddle_anaesthesia",
        decision="refer_emergency",
        reason="Sent to A&E.",
    )
    referral = Referral.objects.get()
    client.force_login(practitioner.user)
    url = f"/patients/{patient.public_id}/consultations/{consultation.public_id}/red-flags/"
    page = client.get(url).content.decode()
    assert "Emergency referral, same day" in page
    assert "tier: <strong>Emergency (same day)</strong>" in page
    assert "Treatment plan stopped" in page
    assert "Record outcome" in page
    assert f"/referrals/{referral.public_id}/letter.pdf" in page
    # A bad outcome post keeps what was typed and says what to fix.
    outcome_url = f"/patients/{patient.public_id}/referrals/{referral.public_id}/outcome/"
    bad = client.post(outcome_url, {"outcome": "cleared", "assessed_by": "Dr Shah", "assessed_on": "2999-01-01"})
    text = bad.content.decode()
    assert "cannot be in the future" in text and 'value="Dr Shah"' in text
    referral.refresh_from_db()
    assert referral.outcome == ""
    good = {"outcome": "cleared", "assessed_by": "Dr Shah", "assessed_on": timezone.localdate().isoformat()}
    assert client.post(outcome_url, good).status_code == 302
    assert "No red flag or referral holds treatment back" in client.get(url).content.decode()


def test_referral_routes_answer_not_found_to_other_users(
    reference, api, client, practitioner, patient, frontdesk, clinic
):
    from acupath.intake.services import red_flag_decide

    consultation = consult(practitioner, patient, red_flags={"major_trauma": True})
    review = red_flag_decide(
        actor=practitioner.user, consultation=consultation, flag="major_trauma", decision="refer_emergency", reason="x"
    )
    rid = review.referral.public_id
    body = {"outcome": "cleared", "assessed_by": "x", "assessed_on": timezone.localdate().isoformat()}
    other_patient_user = PatientFactory(clinic=clinic)
    for user in (frontdesk,):
        headers = bearer(user)
        assert api.client.get(f"/api/v1/referrals/{rid}", **headers).status_code == 404
        assert api.client.get(f"/api/v1/referrals/{rid}/letter.pdf", **headers).status_code == 404
        assert _post(api, f"/api/v1/referrals/{rid}/outcome", body, headers).status_code == 404
    client.force_login(frontdesk)
    assert client.get(f"/patients/{patient.public_id}/referrals/{rid}/letter.pdf").status_code == 404
    client.force_login(practitioner.user)
    # Another patient's id in the page URL does not reach this referral.
    assert client.get(f"/patients/{other_patient_user.public_id}/referrals/{rid}/letter.pdf").status_code == 404
    assert Referral.objects.get().outcome == ""


def test_a_patient_may_not_reach_a_referral(reference, api, practitioner, patient, patient_user, clinic):
    from acupath.intake.services import red_flag_decide

    other = PatientFactory(clinic=clinic)
    consultation = consult(practitioner, other, red_flags={"fever_unwell": True})
    review = red_flag_decide(
        actor=practitioner.user, consultation=consultation, flag="fever_unwell", decision="refer_emergency", reason="x"
    )
    headers = bearer(patient_user)
    assert api.client.get(f"/api/v1/referrals/{review.referral.public_id}", **headers).status_code == 404


def test_the_screening_questions_are_listed_for_api_clients(api, practitioner):
    response = api.client.get("/api/v1/red-flags", **bearer(practitioner.user))
    assert response.status_code == 200
    rows = response.json()
    assert {"code", "question", "tier"} <= set(rows[0])
    codes = [r["code"] for r in rows]
    assert "major_trauma" in codes and "minor_trauma_osteoporosis" in codes and "age_over_threshold" not in codes
    assert {r["code"]: r["tier"] for r in rows}["major_trauma"] == "emergency"


def test_a_consultation_with_unanswered_questions_is_refused_with_their_codes(api, practitioner, patient):
    answers = all_no()
    del answers["unilateral_leg_weakness"], answers["no_improvement"]
    response = _post(
        api,
        f"/api/v1/patients/{patient.public_id}/consultations",
        CONSULTATION | {"red_flags": answers},
        bearer(practitioner.user),
    )
    assert response.status_code == 422
    assert response.json()["missing_red_flags"] == ["unilateral_leg_weakness", "no_improvement"]
    assert "not answered yet: 7 (unilateral_leg_weakness), 11 (no_improvement)" in response.json()["detail"][0]["msg"]


def test_a_previsit_yes_changes_to_no_through_the_api_only_with_a_clarification(api, practitioner, patient):
    from acupath.intake.services import PrevisitInput, previsit_submit

    previsit_submit(actor=None, patient=patient, data=PrevisitInput(red_flags=all_no(major_trauma=True)))
    url = f"/api/v1/patients/{patient.public_id}/consultations"
    headers = bearer(practitioner.user)
    refused = _post(api, url, CONSULTATION | {"red_flags": all_no()}, headers)
    assert refused.status_code == 422
    assert [d["loc"][-1] for d in refused.json()["detail"]] == ["clarify_major_trauma"]
    text = "Fell one step at home, no head or back blow; walked in."
    saved = _post(
        api, url, CONSULTATION | {"red_flags": all_no(), "red_flag_clarifications": {"major_trauma": text}}, headers
    )
    assert saved.status_code == 201
    assert saved.json()["red_flag_clarifications"] == {"major_trauma": text}


def test_the_age_flag_is_computed_at_the_consultation_and_must_be_decided(practitioner, clinic, reference):
    today = timezone.localdate()
    older = PatientFactory(clinic=clinic, birth_date=today.replace(year=today.year - 51))
    at_threshold = PatientFactory(clinic=clinic, birth_date=today.replace(year=today.year - 50))
    flagged = consult(practitioner, older)
    assert flagged.red_flags["age_over_threshold"] is True
    assert flagged.red_flag_reasons["age_over_threshold"].startswith("Aged 51 at this consultation")
    assert "age_over_threshold" not in consult(practitioner, at_threshold).red_flags
    with pytest.raises(Conflict, match="Age over the threshold"):
        plan_save(
            actor=practitioner.user, patient=older, consultation=None, data=PlanInput((PlanPointInput("BL23", "both"),))
        )
