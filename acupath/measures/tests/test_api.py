"""/api/v1/patients/{id}/assessments: scored results, change from baseline, access and audit."""

import datetime as dt

import pytest
from django.utils import timezone

from acupath.clinic.selectors import clinic_zone
from acupath.core.models import AuditEvent
from acupath.measures.models import Assessment
from acupath.measures.services import assessment_record
from conftest import bearer
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db

ODI_32 = [2, 2, 2, 2, 2, 2, 1, 1, 1, 1]


def url(patient) -> str:
    return f"/api/v1/patients/{patient.public_id}/assessments"


def iso(days_ago: float) -> str:
    return (timezone.now() - dt.timedelta(days=days_ago)).isoformat()


@pytest.fixture(autouse=True)
def _one_token_per_user(api, monkeypatch):
    """Sign in once per user and test (checking a password is deliberately slow)."""
    issued: dict[int, dict[str, str]] = {}

    def headers(user):
        if user is None:
            return {}
        if user.pk not in issued:
            issued[user.pk] = bearer(user)
        return issued[user.pk]

    monkeypatch.setattr(api, "_headers", headers)


def post(api, user, patient, instrument, answers, days_ago=0.0):
    return api.post(url(patient), {"instrument": instrument, "answers": answers, "taken_at": iso(days_ago)}, user=user)


@pytest.mark.parametrize(
    ("instrument", "answers", "expected"),
    [
        ("nrs", 7, {"score": 7.0, "band": "severe", "risk": None, "distress_subscale": None}),
        ("odi", ODI_32, {"score": 32.0, "band": "moderate", "risk": None}),
        ("rmdq", [True] * 7 + [False] * 17, {"score": 7.0, "band": None}),
        (
            "startback",
            [True, False, False, False, True, True, True, True, "very_much"],
            {"score": 6.0, "risk": "high", "distress_subscale": 5},
        ),
        ("psfs", [{"activity": "Bending to garden", "score": 3}, {"activity": "Sitting", "score": 4}], {"score": 3.5}),
    ],
)
def test_each_instrument_is_scored_and_answered_with_201(api, practitioner, patient, instrument, answers, expected):
    response = post(api, practitioner.user, patient, instrument, answers)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["instrument"] == instrument
    assert body["scorable"] is True
    assert body["is_baseline"] is True
    assert body["change"] is None  # the first one is the baseline
    assert {k: body[k] for k in expected} == expected
    assert Assessment.objects.get(public_id=body["id"]).score == expected["score"]


def test_odi_with_too_few_sections_is_not_scorable_and_null_never_zero(api, practitioner, patient):
    body = post(api, practitioner.user, patient, "odi", [1, 1, 1, None, None, None, None, None, None, None]).json()
    assert (body["scorable"], body["score"], body["band"]) == (False, None, None)
    assert "3 of 10" in body["not_scorable_reason"]
    assert body["change"] is None


def test_change_from_baseline_once_a_baseline_exists(api, practitioner, patient):
    user = practitioner.user
    post(api, user, patient, "odi", [3] * 10, days_ago=40)  # 60%
    body = post(api, user, patient, "odi", [2] * 10, days_ago=1).json()  # 40%
    assert body["is_baseline"] is False
    change = body["change"]
    assert (change["from_baseline"], change["percent"], change["mcid_met"], change["responder"]) == (
        -20.0,
        33.33,
        True,
        True,
    )
    assert change["baseline"] == 60.0


def test_nrs_33_percent_but_one_point_is_not_a_response(api, practitioner, patient):
    user = practitioner.user
    post(api, user, patient, "nrs", 3, days_ago=20)
    change = post(api, user, patient, "nrs", 2).json()["change"]
    assert (change["from_baseline"], change["mcid_met"], change["percent"]) == (-1.0, False, 33.33)
    assert (change["responder"], change["mdc"], change["mdc_met"]) == (False, 2.0, False)


def test_nrs_1_to_0_is_not_a_response_but_10_to_7_is(api, practitioner, patient, clinic):
    user = practitioner.user
    other_patient = PatientFactory(clinic=clinic)
    post(api, user, patient, "nrs", 1, days_ago=20)
    small = post(api, user, patient, "nrs", 0).json()["change"]
    assert (small["percent"], small["responder"]) == (100.0, False)
    post(api, user, other_patient, "nrs", 10, days_ago=20)
    large = post(api, user, other_patient, "nrs", 7).json()["change"]
    assert (large["percent"], large["improvement"], large["responder"]) == (30.0, 3.0, True)


def test_psfs_change_names_the_activities_compared(api, practitioner, patient):
    user = practitioner.user
    before = [{"activity": "Gardening", "score": 2}, {"activity": "Driving", "score": 4}]
    post(api, user, patient, "psfs", before, days_ago=20)
    after = [{"activity": "gardening", "score": 6}, {"activity": "Running", "score": 9}]
    change = post(api, user, patient, "psfs", after).json()["change"]
    assert change["activities_compared"] == ["Gardening"]
    assert (change["baseline"], change["improvement"], change["mdc"], change["responder"]) == (2.0, 4.0, 3.0, True)


def test_startback_change_reports_the_risk_groups(api, practitioner, patient):
    user = practitioner.user
    post(api, user, patient, "startback", [True] * 8 + ["extremely"], days_ago=30)
    change = post(api, user, patient, "startback", [False] * 8 + ["slightly"]).json()["change"]
    assert (change["baseline_risk"], change["risk"], change["mcid_met"], change["responder"]) == (
        "high",
        "low",
        None,
        None,
    )


@pytest.mark.parametrize(
    ("instrument", "answers", "message"),
    [
        ("odi", [1, 1, 7, 1, 1, 1, 1, 1, 1, 1], "ODI section 3 (Lifting): expected an integer 0-5 or null, got 7"),
        ("odi", [1] * 9, "ODI answers: expected a list of exactly 10 answers, one per section, got a list of 9"),
        ("nrs", "7", "NRS item 1 (Pain intensity): expected an integer 0-10, got '7'"),
        (
            "startback",
            [False] * 8 + ["very much"],
            "STarT Back item 9 (Bothersomeness): expected one of not_at_all, slightly, moderately, very_much, "
            "extremely, got 'very much'",
        ),
        (
            "rmdq",
            [False] * 23 + [None],
            "RMDQ item 24 (Stays in bed most of the time): expected true or false, got null",
        ),
        ("psfs", [{"activity": "Walking", "score": 11}], "PSFS activity 1 (Walking): expected an integer 0-10, got 11"),
    ],
)
def test_bad_answers_are_422_naming_the_item_and_what_was_expected(
    api, practitioner, patient, instrument, answers, message
):
    response = post(api, practitioner.user, patient, instrument, answers)
    assert response.status_code == 422
    assert response.json()["detail"] == [{"loc": ["body", "answers"], "msg": message, "type": "value_error"}]
    assert not Assessment.objects.exists()


def test_unknown_instrument_is_422(api, practitioner, patient):
    response = post(api, practitioner.user, patient, "vas", 40)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "instrument"]
    assert "nrs, odi, rmdq, startback, psfs" in response.json()["detail"][0]["msg"]


def test_a_future_time_is_refused(api, practitioner, patient):
    response = post(api, practitioner.user, patient, "nrs", 4, days_ago=-2)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "taken_at"]


def test_taken_at_defaults_to_now_and_a_time_without_zone_is_the_clinics(api, practitioner, patient):
    user = practitioner.user
    now_body = api.post(url(patient), {"instrument": "nrs", "answers": 5}, user=user).json()
    taken = dt.datetime.fromisoformat(now_body["taken_at"])
    assert abs(taken - timezone.now()) < dt.timedelta(minutes=1)
    local = api.post(url(patient), {"instrument": "nrs", "answers": 5, "taken_at": "2026-01-05T10:30:00"}, user=user)
    assert dt.datetime.fromisoformat(local.json()["taken_at"]) == dt.datetime(2026, 1, 5, 5, 0, tzinfo=dt.UTC)


def test_get_lists_in_time_order_with_changes(api, practitioner, patient):
    user = practitioner.user
    post(api, user, patient, "nrs", 4, days_ago=1)
    post(api, user, patient, "nrs", 8, days_ago=30)
    post(api, user, patient, "odi", ODI_32, days_ago=10)
    body = api.get(url(patient), user=user).json()
    assert [(a["instrument"], a["score"]) for a in body] == [("nrs", 8.0), ("odi", 32.0), ("nrs", 4.0)]
    assert body[2]["change"]["from_baseline"] == -4.0


def test_every_read_and_write_is_audited(api, practitioner, patient):
    user = practitioner.user
    created = post(api, user, patient, "nrs", 5).json()
    api.get(url(patient), user=user)
    events = list(
        AuditEvent.objects.filter(entity="assessment").order_by("id").values_list("action", "entity_id", "via")
    )
    assert events == [("create", created["id"], "api"), ("read", "", "api")]
    assert AuditEvent.objects.filter(entity="assessment", patient_id=patient.public_id).count() == 2


# --- who may reach it -----------------------------------------------------------------------------


def test_front_desk_gets_not_found_for_reads_and_writes(api, frontdesk, patient):
    assert api.get(url(patient), user=frontdesk).status_code == 404
    assert post(api, frontdesk, patient, "nrs", 5).status_code == 404


def test_patient_reads_their_own_but_may_not_write(api, practitioner, patient, patient_user):
    post(api, practitioner.user, patient, "nrs", 6)
    response = api.get(url(patient), user=patient_user)
    assert response.status_code == 200
    assert len(response.json()) == 1
    assert post(api, patient_user, patient, "nrs", 2).status_code == 403
    assert Assessment.objects.count() == 1


def test_patient_cannot_reach_another_patients_assessments(api, patient_user, clinic):
    other = PatientFactory(clinic=clinic)
    assert api.get(url(other), user=patient_user).status_code == 404
    assert post(api, patient_user, other, "nrs", 2).status_code == 404


def test_owner_may_write(api, owner, patient):
    assert post(api, owner, patient, "nrs", 2).status_code == 201


def test_unknown_patient_and_no_token(api, practitioner, patient):
    assert (
        api.get("/api/v1/patients/00000000-0000-0000-0000-000000000000/assessments", user=practitioner.user).status_code
        == 404
    )
    assert api.get(url(patient)).status_code == 401


# --- query counts do not grow with the history ----------------------------------------------------


def _history(practitioner, patient, count):
    for n in range(count):
        at = timezone.now() - dt.timedelta(days=60 - n)
        assessment_record(actor=practitioner.user, patient=patient, instrument="nrs", answers=n % 11, taken_at=at)
        assessment_record(actor=practitioner.user, patient=patient, instrument="odi", answers=ODI_32, taken_at=at)


@pytest.mark.parametrize("count", [1, 12])
def test_list_query_count_is_constant(api, practitioner, patient, django_assert_num_queries, count):
    _history(practitioner, patient, count)
    headers = bearer(practitioner.user)
    clinic_zone()  # cached per process: warm in a running server
    # token and user, patient access, the assessments, audit insert
    with django_assert_num_queries(4):
        response = api.client.get(url(patient), **headers)
    assert len(response.json()) == 2 * count


@pytest.mark.parametrize("count", [1, 12])
def test_create_query_count_is_constant(api, practitioner, patient, django_assert_num_queries, count):
    _history(practitioner, patient, count)
    headers = bearer(practitioner.user)
    body = {"instrument": "nrs", "answers": 3}
    clinic_zone()  # cached per process: warm in a running server
    # token and user, patient access, savepoint, insert, audit, release, the history for the change
    with django_assert_num_queries(7):
        response = api.client.post(url(patient), body, content_type="application/json", **headers)
    assert response.status_code == 201
