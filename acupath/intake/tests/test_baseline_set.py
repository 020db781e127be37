"""The initial consultation records the baseline set: NRS, the clinic's function measure, STarT Back."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from acupath.intake.tests.test_api import BODY
from acupath.intake.tests.test_api import url as consultations_url
from acupath.intake.tests.test_views import consultation_post
from acupath.measures.models import Assessment

ODI = [2] * 10  # 40%
RMDQ = [True] * 10 + [False] * 14
STARTBACK = [True, True, False, False, True, True, True, True, "extremely"]  # high risk


def rows(patient):
    return list(Assessment.objects.filter(patient=patient).order_by("instrument").values_list("instrument", "context"))


def test_api_initial_consultation_records_the_baseline_set(api, practitioner, patient):
    body = BODY | {"baseline": {"odi": ODI, "startback": STARTBACK}}
    response = api.post(consultations_url(patient), body, user=practitioner.user)
    assert response.status_code == 201, response.content
    assert rows(patient) == [("nrs", "consultation"), ("odi", "consultation"), ("startback", "consultation")]
    consulted_at = response.json()["consulted_at"]
    listed = api.get(f"/api/v1/patients/{patient.public_id}/assessments", user=practitioner.user).json()
    assert {a["instrument"]: a["baseline_status"] for a in listed} == {
        "nrs": "on_time",
        "odi": "on_time",
        "startback": "on_time",
    }
    at = dt.datetime.fromisoformat(consulted_at)
    assert all(dt.datetime.fromisoformat(a["taken_at"]) == at for a in listed)


def test_api_bad_baseline_answers_refuse_the_whole_consultation(api, practitioner, patient):
    body = BODY | {"baseline": {"odi": [2] * 9, "nrs": 4}}
    response = api.post(consultations_url(patient), body, user=practitioner.user)
    assert response.status_code == 422
    text = str(response.json())
    assert "ODI answers" in text and "'nrs' is not a baseline questionnaire" in text
    assert patient.consultations.count() == 0 and rows(patient) == []


def test_function_measure_taken_later_is_a_late_baseline(api, practitioner, patient):
    assert api.post(consultations_url(patient), BODY, user=practitioner.user).status_code == 201
    api.post(
        f"/api/v1/patients/{patient.public_id}/assessments",
        {"instrument": "odi", "answers": ODI},
        user=practitioner.user,
    )
    listed = api.get(f"/api/v1/patients/{patient.public_id}/assessments", user=practitioner.user).json()
    odi = next(a for a in listed if a["instrument"] == "odi")
    # BODY's consultation is dated in the past (consulted_at), so today's ODI is outside the window.
    assert (odi["is_baseline"], odi["baseline_status"]) == (True, "late")


def form_url(patient) -> str:
    return reverse("chart:consultation_new", kwargs={"patient_id": patient.public_id})


def answers_post(prefix: str, values: list) -> dict[str, str]:
    out = {}
    for n, v in enumerate(values, start=1):
        out[f"{prefix}-i{n}"] = (
            ("yes" if v else "no")
            if prefix == "rmdq"
            else ("agree" if v is True else "disagree" if v is False else str(v))
        )
    return out


def test_page_asks_for_the_clinics_function_measure_and_startback(signed_in, practitioner, patient, clinic):
    client = signed_in(practitioner.user)
    page = client.get(form_url(patient)).content.decode()
    assert "Baseline questionnaires" in page and "Oswestry Disability Index" in page and "STarT Back" in page
    clinic.function_measure = "rmdq"
    clinic.save()
    page = client.get(form_url(patient)).content.decode()
    assert "Roland-Morris Disability Questionnaire" in page and "Oswestry Disability Index" not in page


def test_page_requires_the_baseline_set_or_an_explicit_later(signed_in, practitioner, patient, clinic):
    clinic.function_measure = "rmdq"
    clinic.save()
    client = signed_in(practitioner.user)
    post = consultation_post()
    post.pop("baseline-later")
    refused = client.post(form_url(patient), post)
    assert refused.status_code == 200
    assert "Answer item 1" in refused.content.decode() and patient.consultations.count() == 0
    post |= answers_post("rmdq", RMDQ) | answers_post("startback", STARTBACK)
    saved = client.post(form_url(patient), post)
    assert saved.status_code == 302, saved.content.decode()[:2000]
    assert [i for i, _ in rows(patient)] == ["nrs", "rmdq", "startback"]


@pytest.mark.parametrize("kind", ["reassessment"])
def test_page_does_not_ask_the_baseline_at_a_reassessment(signed_in, practitioner, patient, kind):
    client = signed_in(practitioner.user)
    post = consultation_post(kind=kind)
    post.pop("baseline-later")
    assert client.post(form_url(patient), post).status_code == 302
    assert [i for i, _ in rows(patient)] == ["nrs"]


def test_chart_labels_a_late_baseline(signed_in, api, practitioner, patient):
    api.post(consultations_url(patient), BODY, user=practitioner.user)
    api.post(
        f"/api/v1/patients/{patient.public_id}/assessments",
        {"instrument": "odi", "answers": ODI},
        user=practitioner.user,
    )
    page = signed_in(practitioner.user).get(reverse("chart:patient_chart", kwargs={"patient_id": patient.public_id}))
    html = page.content.decode()
    assert "Late baseline" in html and "after the initial consultation" in html
