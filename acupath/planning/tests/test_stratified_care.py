"""STarT Back risk shapes the plan (stratified care, Hill et al. Lancet 2011).

High risk: psychologically informed advice and a referral option; medium: an exercise adjunct;
low: neither. Through the pure rules, the draft API, the saved plan and the plan page.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from acupath.measures.services import assessment_record
from acupath.planning.domain.advice import advice_for
from acupath.planning.domain.course import load_course_rules, stratified_care
from acupath.planning.tests import facts
from acupath.planning.tests.helpers import consult
from acupath.planning.tests.test_plan_api import approve, drafted, plans_url

# total, distress: low (total 2), medium (total 5, distress 2), high (total 7, distress 5)
STARTBACK = {
    "low": [True, True, False, False, False, False, False, False, "slightly"],
    "medium": [True, True, True, False, False, True, True, False, "moderately"],
    "high": [True, True, False, False, True, True, True, True, "extremely"],
}
ADVICE = {"low": set(), "medium": {"exercise_adjunct"}, "high": {"psychologically_informed"}}


@pytest.mark.parametrize("risk", ["low", "medium", "high"])
def test_risk_group_advice_and_referral(risk: str) -> None:
    codes = {a.code for a in advice_for(facts(), startback_risk=risk)}
    assert codes & {"exercise_adjunct", "psychologically_informed"} == ADVICE[risk]
    care = stratified_care(risk)
    assert care is not None and "Hill" in care.source and "Lancet 2011" in care.source
    assert (care.referral_code is not None) is (risk == "high")


def test_without_startback_nothing_is_stratified() -> None:
    assert stratified_care(None) is None
    codes = {a.code for a in advice_for(facts())}
    assert not codes & {"exercise_adjunct", "psychologically_informed"}


def test_high_risk_advice_comes_first() -> None:
    assert advice_for(facts(causes={"posture"}), startback_risk="high")[0].code == "psychologically_informed"


def test_every_risk_group_has_a_note() -> None:
    assert sorted(g.risk for g in load_course_rules().stratified_care.groups) == ["high", "low", "medium"]


@pytest.mark.parametrize("risk", ["low", "medium", "high"])
def test_draft_and_saved_plan_carry_the_risk_group(api, reference, practitioner, patient, risk):
    user = practitioner.user
    consult(practitioner, patient)
    assessment_record(actor=user, patient=patient, instrument="startback", answers=STARTBACK[risk])
    body = drafted(api, user, patient)
    care = body["stratified_care"]
    assert care["risk"] == risk
    assert {a["code"] for a in body["advice"]} & {"exercise_adjunct", "psychologically_informed"} == ADVICE[risk]
    assert (care["referral_code"] == "psychologically_informed_care") is (risk == "high")
    saved = approve(api, user, patient, body)
    assert saved.status_code == 201, saved.content
    listed = api.get(plans_url(patient), user=user).json()["items"][0]
    assert listed["stratified_care"]["risk"] == risk


def test_plan_page_shows_the_referral_option_for_high_risk(signed_in, reference, practitioner, patient):
    consult(practitioner, patient)
    assessment_record(actor=practitioner.user, patient=patient, instrument="startback", answers=STARTBACK["high"])
    page = (
        signed_in(practitioner.user)
        .get(reverse("chart:plan_new", kwargs={"patient_id": patient.public_id}))
        .content.decode()
    )
    assert "High risk" in page and "Referral option:" in page and "Hill et al." in page


def test_plan_page_without_startback_asks_for_it(signed_in, reference, practitioner, patient):
    consult(practitioner, patient)
    page = (
        signed_in(practitioner.user)
        .get(reverse("chart:plan_new", kwargs={"patient_id": patient.public_id}))
        .content.decode()
    )
    assert "No STarT Back is scored" in page
