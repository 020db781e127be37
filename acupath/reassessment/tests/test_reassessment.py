"""The re-assessment prompt at the clinic's set session, and the recorded continue/change/stop decision."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from acupath.core.errors import Conflict, ServiceError
from acupath.core.models import AuditEvent
from acupath.measures.services import assessment_record
from acupath.reassessment.domain.prompt import MeasureResult, Verdict, reassessment_due, verdict
from acupath.reassessment.models import ReassessmentDecision
from acupath.reassessment.selectors import reassessment_state
from acupath.reassessment.services import reassessment_decide
from acupath.treatment.models import TreatmentSession
from acupath.treatment.tests.conftest import make_plan
from tests.consultations import consult
from tests.factories import PatientFactory

# --- pure rules --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("session", "setting", "decided", "due"),
    [
        (5, 6, False, False),  # one before the set session
        (6, 6, False, True),  # at it
        (7, 6, False, True),  # after it, still undecided
        (7, 6, True, False),  # decided: no more prompt
        (5, 5, False, True),  # a clinic that re-assesses at 5
        (6, 7, False, False),
        (7, 7, False, True),
    ],
)
def test_prompt_from_the_set_session_until_decided(session: int, setting: int, decided: bool, due: bool) -> None:
    assert reassessment_due(session, setting, decided) is due


def test_prompt_setting_must_be_a_session() -> None:
    with pytest.raises(ValueError, match="1 or more"):
        reassessment_due(3, 0, False)


@pytest.mark.parametrize(
    ("results", "expected"),
    [
        ([MeasureResult("nrs", True), MeasureResult("odi", False)], Verdict.RESPONDER),  # pain or function
        ([MeasureResult("nrs", False), MeasureResult("odi", None)], Verdict.NON_RESPONDER),
        ([MeasureResult("nrs", None), MeasureResult("odi", None)], Verdict.NOT_MEASURED),
    ],
)
def test_verdict_pain_or_function(results: list[MeasureResult], expected: Verdict) -> None:
    assert verdict(results) is expected


# --- services, pages and API ---------------------------------------------------------------------


@pytest.fixture
def course(reference, practitioner, patient):
    """An initial consultation (NRS 6 baseline), an approved plan and a way to add closed sessions."""
    consult(practitioner, patient)
    plan = make_plan(patient, [("BL23", "both")])

    def sessions(n: int) -> None:
        start = TreatmentSession.objects.filter(patient=patient).count()
        for i in range(start, start + n):
            at = timezone.now() + dt.timedelta(minutes=i + 1)
            TreatmentSession.objects.create(
                patient=patient, plan=plan, practitioner=practitioner, status="closed", checked_in_at=at, closed_at=at
            )

    return plan, sessions


def set_session(clinic, n: int) -> None:
    clinic.reassessment_session = n
    clinic.save()


@pytest.mark.parametrize(
    ("setting", "held", "due"), [(6, 5, False), (6, 6, True), (6, 7, True), (5, 5, True), (7, 6, False)]
)
def test_state_is_due_at_the_clinic_setting(course, clinic, setting, held, due):
    plan, sessions = course
    set_session(clinic, setting)
    sessions(held)
    state = reassessment_state(plan.patient)
    assert (state.session_number, state.at_session, state.due) == (held, setting, due)


def test_decision_records_the_responder_status_beside_it(course, practitioner, patient):
    plan, sessions = course
    sessions(6)
    assessment_record(actor=practitioner.user, patient=patient, instrument="nrs", answers=3)  # 6 -> 3: 50%, 3 pts
    row = reassessment_decide(actor=practitioner.user, plan=plan, decision="continue", reason="Pain halved.")
    assert (row.session_number, row.decision, row.responder_status) == (6, "continue", "responder")
    assert row.measures[0] == {"instrument": "nrs", "responder": True, "improvement": 3.0, "percent": 50.0}
    assert row.measures[1]["instrument"] == "odi" and row.measures[1]["responder"] is None
    assert AuditEvent.objects.filter(entity="reassessment_decision", entity_id=str(row.public_id)).exists()
    assert not reassessment_state(patient).due


def test_small_change_is_recorded_as_not_a_responder(course, practitioner, patient):
    plan, sessions = course
    sessions(6)
    assessment_record(actor=practitioner.user, patient=patient, instrument="nrs", answers=5)  # 6 -> 5
    row = reassessment_decide(actor=practitioner.user, plan=plan, decision="change", reason="Little change.")
    assert row.responder_status == "non_responder"


def test_decision_refused_before_the_session_twice_and_without_reason(course, practitioner):
    plan, sessions = course
    sessions(5)
    with pytest.raises(Conflict, match="due at session 6"):
        reassessment_decide(actor=practitioner.user, plan=plan, decision="stop", reason="Moving abroad.")
    sessions(1)
    with pytest.raises(ServiceError) as refused:
        reassessment_decide(actor=practitioner.user, plan=plan, decision="pause", reason=" ")
    assert set(refused.value.errors) == {"decision", "reason"}
    reassessment_decide(actor=practitioner.user, plan=plan, decision="stop", reason="Moving abroad.")
    with pytest.raises(Conflict, match="already decided"):
        reassessment_decide(actor=practitioner.user, plan=plan, decision="continue", reason="Again.")
    assert ReassessmentDecision.objects.count() == 1


def url(plan) -> str:
    return f"/api/v1/plans/{plan.public_id}/reassessment-decisions"


def test_api_records_and_lists_decisions(api, course, practitioner):
    plan, sessions = course
    sessions(6)
    early = api.post(url(plan), {"decision": "continue", "reason": "Going well."}, user=practitioner.user)
    assert early.status_code == 201, early.content
    body = early.json()
    assert (body["session_number"], body["decision"], body["responder_status"]) == (6, "continue", "not_measured")
    assert body["decision_text"] == "Continue the course" and body["responder_status_text"]
    listed = api.get(url(plan), user=practitioner.user).json()
    assert [d["id"] for d in listed] == [body["id"]]
    again = api.post(url(plan), {"decision": "stop", "reason": "x"}, user=practitioner.user)
    assert again.status_code == 409


def test_api_refuses_an_unknown_decision_and_an_early_one(api, course, practitioner):
    plan, sessions = course
    sessions(2)
    assert api.post(url(plan), {"decision": "pause", "reason": "x"}, user=practitioner.user).status_code == 422
    early = api.post(url(plan), {"decision": "stop", "reason": "x"}, user=practitioner.user)
    assert early.status_code == 409 and "session 6" in early.json()["detail"]


def test_api_other_patient_and_front_desk_cannot_reach_the_plan(api, course, patient_user, frontdesk, clinic):
    plan, sessions = course
    sessions(6)
    other = PatientFactory(clinic=clinic)
    other_plan = make_plan(other, [("BL23", "both")])
    assert api.get(url(other_plan), user=patient_user).status_code == 404
    assert api.post(url(other_plan), {"decision": "stop", "reason": "x"}, user=patient_user).status_code == 404
    assert api.get(url(plan), user=frontdesk).status_code == 404
    # The patient may read their own decisions but not record one.
    assert api.get(url(plan), user=patient_user).status_code == 200
    assert api.post(url(plan), {"decision": "stop", "reason": "x"}, user=patient_user).status_code == 403


def test_chart_shows_the_prompt_and_records_the_decision(signed_in, course, practitioner, patient):
    _, sessions = course
    sessions(6)
    client = signed_in(practitioner.user)
    chart = reverse("chart:patient_chart", kwargs={"patient_id": patient.public_id})
    page = client.get(chart).content.decode()
    assert "Re-assessment due" in page and "session 6 of the course" in page
    prompt = reverse("reassessment:prompt", kwargs={"patient_id": patient.public_id})
    missing = client.post(prompt, {"decision": "change", "reason": "", "next": chart})
    assert missing.status_code == 200 and "Say why" in missing.content.decode()
    done = client.post(prompt, {"decision": "change", "reason": "Switch to weekly.", "next": chart})
    assert done.status_code == 302 and done["Location"] == chart
    page = client.get(chart).content.decode()
    assert "Change the plan" in page and "decided at session 6" in page and "Responder status when decided" in page


def test_prompt_partial_for_the_session_page(signed_in, course, practitioner, patient):
    _, sessions = course
    sessions(5)
    client = signed_in(practitioner.user)
    prompt = reverse("reassessment:prompt", kwargs={"patient_id": patient.public_id})
    before = client.get(prompt, HTTP_HX_REQUEST="true").content.decode()
    assert "Re-assessment at session 6" in before and "<html" not in before
    sessions(1)
    assert "Re-assessment due" in client.get(prompt, HTTP_HX_REQUEST="true").content.decode()


def test_prompt_page_of_another_patient_is_not_found(signed_in, course, patient_user, clinic):
    other = PatientFactory(clinic=clinic)
    prompt = reverse("reassessment:prompt", kwargs={"patient_id": other.public_id})
    assert signed_in(patient_user).get(prompt).status_code == 404
