"""Pages: record an assessment per instrument, the clinic's licensed wording, the outcome charts."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from acupath.measures.models import Assessment, InstrumentText
from acupath.measures.selectors import outcome_charts
from acupath.measures.services import assessment_record, instrument_text_errors
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


def new_url(patient, code) -> str:
    return f"/patients/{patient.public_id}/assessments/new/?instrument={code}"


def list_url(patient) -> str:
    return f"/patients/{patient.public_id}/assessments/"


def taken(days_ago: float = 0) -> str:
    return timezone.localtime(timezone.now() - dt.timedelta(days=days_ago)).strftime("%Y-%m-%dT%H:%M")


def record(practitioner, patient, code, answers, days_ago):
    at = timezone.now() - dt.timedelta(days=days_ago)
    return assessment_record(actor=practitioner.user, patient=patient, instrument=code, answers=answers, taken_at=at)


@pytest.mark.parametrize(
    ("code", "post", "answers", "score"),
    [
        ("nrs", {"i1": "7"}, 7, 7.0),
        (
            "odi",
            {f"i{n}": v for n, v in zip(range(1, 11), ["2", "2", "2", "2", "2", "2", "2", "1", "1", ""], strict=True)},
            [2, 2, 2, 2, 2, 2, 2, 1, 1, None],
            35.56,
        ),
        ("rmdq", {f"i{n}": "yes" if n <= 7 else "no" for n in range(1, 25)}, [True] * 7 + [False] * 17, 7.0),
        (
            "startback",
            {**{f"i{n}": "agree" if n in (1, 5, 6, 7) else "disagree" for n in range(1, 9)}, "i9": "very_much"},
            [True, False, False, False, True, True, True, False, "very_much"],
            5.0,
        ),
        (
            "psfs",
            {"activity_1": "Gardening", "score_1": "3", "activity_2": "Driving", "score_2": "6"},
            [{"activity": "Gardening", "score": 3}, {"activity": "Driving", "score": 6}],
            4.5,
        ),
    ],
)
def test_each_instrument_is_recorded_in_its_answer_shape(signed_in, practitioner, patient, code, post, answers, score):
    response = signed_in(practitioner.user).post(new_url(patient, code), {"taken_at": taken(), **post}, follow=True)
    assert response.redirect_chain[-1][0] == list_url(patient)
    a = Assessment.objects.get()
    assert (a.instrument, a.answers, a.score, a.context) == (code, answers, score, "clinic")
    assert "recorded" in response.content.decode()


def test_odi_with_too_few_sections_is_shown_as_not_scorable_never_zero(signed_in, practitioner, patient):
    post = {"taken_at": taken(), "i1": "1", "i2": "1", "i3": "1"}
    page = signed_in(practitioner.user).post(new_url(patient, "odi"), post, follow=True).content.decode()
    assert "not scorable: only 3 of 10 sections answered" in page
    assert Assessment.objects.get().score is None


def test_missing_answers_are_named_and_nothing_typed_is_lost(signed_in, practitioner, patient):
    post = {"taken_at": taken(), **{f"i{n}": "yes" for n in range(1, 24)}}  # item 24 missing
    page = signed_in(practitioner.user).post(new_url(patient, "rmdq"), post).content.decode()
    assert "Answer item 24: does it apply to the patient today?" in page
    assert re.search(r'name="i3" value="yes"[^>]*checked', page)
    assert not Assessment.objects.exists()


def test_psfs_rows_must_pair_an_activity_with_a_score(signed_in, practitioner, patient):
    post = {"taken_at": taken(), "activity_1": "Gardening", "score_2": "4"}
    page = signed_in(practitioner.user).post(new_url(patient, "psfs"), post).content.decode()
    assert "Give a score from 0 to 10 for “Gardening”." in page
    assert "Name activity 2, or clear its score." in page


def test_psfs_follow_up_starts_with_the_same_activities(signed_in, practitioner, patient):
    record(practitioner, patient, "psfs", [{"activity": "Lifting my grandchild", "score": 2}], 30)
    page = signed_in(practitioner.user).get(new_url(patient, "psfs")).content.decode()
    assert 'value="Lifting my grandchild"' in page


def test_a_future_time_is_refused(signed_in, practitioner, patient):
    page = (
        signed_in(practitioner.user).post(new_url(patient, "nrs"), {"taken_at": taken(-3), "i1": "3"}).content.decode()
    )
    assert "cannot be taken in the future" in page


# --- licensed wording ---------------------------------------------------------------------------------


def test_licensed_instruments_show_our_labels_and_the_notice_until_the_clinic_supplies_text(
    signed_in, practitioner, patient
):
    page = signed_in(practitioner.user).get(new_url(patient, "odi")).content.decode()
    assert "Lifting" in page
    assert "wording is licensed" in page
    assert "ODI © Jeremy Fairbank, 1980. All Rights Reserved." in page


def test_the_clinics_licensed_text_replaces_the_labels(signed_in, practitioner, patient):
    InstrumentText.objects.create(instrument="odi", item=3, text="Section 3 wording from the clinic's licensed copy")
    InstrumentText.objects.create(instrument="odi", item=3, option="0", text="Statement zero, licensed")
    InstrumentText.objects.create(instrument="startback", item=0, text="Funding statement from the licensed copy")
    client = signed_in(practitioner.user)
    page = client.get(new_url(patient, "odi")).content.decode()
    assert "Section 3 wording from the clinic&#x27;s licensed copy" in page
    assert "Statement zero, licensed" in page
    assert "Wording from the clinic" in page
    startback = client.get(new_url(patient, "startback")).content.decode()
    assert "Funding statement from the licensed copy" in startback
    assert "requires its copyright and funding statement" not in startback


def test_startback_asks_for_the_funding_statement_when_missing(signed_in, practitioner, patient):
    page = signed_in(practitioner.user).get(new_url(patient, "startback")).content.decode()
    assert "Copyright © 2007 University of Keele" in page
    assert "requires its copyright and funding statement" in page


@pytest.mark.parametrize(
    ("code", "item", "option", "field"),
    [
        ("odi", 11, "", "item"),
        ("odi", 3, "6", "option"),
        ("odi", 0, "2", "option"),
        ("startback", 9, "agree", "option"),
        ("rmdq", 4, "maybe", "option"),
        ("psfs", 1, "", "item"),
    ],
)
def test_licensed_text_must_fit_the_structure(code, item, option, field):
    assert field in instrument_text_errors(code, item, option)


@pytest.mark.parametrize(
    ("code", "item", "option"), [("odi", 3, "5"), ("odi", 0, ""), ("startback", 9, "very_much"), ("rmdq", 24, "true")]
)
def test_licensed_text_that_fits_is_accepted(code, item, option):
    assert instrument_text_errors(code, item, option) == {}


# --- the outcome page and charts -------------------------------------------------------------------


def test_outcome_page_shows_change_mcid_and_responder(signed_in, practitioner, patient):
    record(practitioner, patient, "odi", [3] * 10, 60)
    record(practitioner, patient, "odi", [2] * 10, 1)
    page = signed_in(practitioner.user).get(list_url(patient)).content.decode()
    assert "40%" in page
    assert "−20 from baseline" in page
    assert "Responder: important improvement" in page
    assert "ODI © Jeremy Fairbank" in page


def test_outcome_charts_draw_sessions_and_the_mcid_target(practitioner, patient):
    record(practitioner, patient, "nrs", 8, 40)
    record(practitioner, patient, "nrs", 5, 20)
    record(practitioner, patient, "nrs", 3, 2)
    sessions = [timezone.now() - dt.timedelta(days=d) for d in (39, 30, 25, 10, 1)]
    (chart,) = outcome_charts(patient, session_times=sessions)
    assert chart.code == "nrs"
    assert "<svg" in chart.svg
    assert ("target", "Important improvement: at or below 6") in chart.legend
    assert ("session", "Treatment session (4)") in chart.legend  # the one after the last score is counted below
    assert chart.note == "1 treatment session since the last NRS score."
    assert chart.latest.change is not None and chart.latest.change.responder is True


def test_a_single_score_gives_no_chart_yet(practitioner, patient):
    record(practitioner, patient, "rmdq", [True] * 12 + [False] * 12, 3)
    (chart,) = outcome_charts(patient)
    assert chart.svg == ""
    assert "Only the baseline so far" in chart.note


def test_startback_is_a_risk_table_not_a_line(practitioner, patient):
    record(practitioner, patient, "startback", [True] * 8 + ["extremely"], 30)
    record(practitioner, patient, "startback", [False] * 8 + ["slightly"], 1)
    (chart,) = outcome_charts(patient)
    assert (chart.kind, chart.svg) == ("risk", "")
    assert chart.latest.change_text == "High → Low"


def test_charts_come_in_a_fixed_order(practitioner, patient):
    for code, answers in [("psfs", [{"activity": "x", "score": 3}]), ("odi", [1] * 10), ("nrs", 4)]:
        record(practitioner, patient, code, answers, 5)
    assert [c.code for c in outcome_charts(patient)] == ["nrs", "odi", "psfs"]


@pytest.mark.parametrize("count", [2, 20])
def test_outcome_charts_query_count_is_constant(practitioner, patient, django_assert_num_queries, count):
    for n in range(count):
        record(practitioner, patient, "nrs", n % 11, 100 - n)
        record(practitioner, patient, "odi", [n % 6] * 10, 100 - n)
    outcome_charts(patient)  # warm the clinic zone cache
    with django_assert_num_queries(1):
        charts = outcome_charts(patient, session_times=[timezone.now() - dt.timedelta(days=50)])
    assert len(charts) == 2


# --- access -------------------------------------------------------------------------------------------------


def test_front_desk_cannot_open_outcomes_or_record(signed_in, frontdesk, patient):
    client = signed_in(frontdesk)
    assert client.get(list_url(patient)).status_code == 404
    assert client.get(new_url(patient, "nrs")).status_code == 404


def test_patient_sees_their_own_outcomes_but_cannot_record(signed_in, patient, patient_user, clinic):
    client = signed_in(patient_user)
    assert client.get(list_url(patient)).status_code == 200
    assert client.get(new_url(patient, "nrs")).status_code == 404
    assert client.post(new_url(patient, "nrs"), {"taken_at": taken(), "i1": "2"}).status_code == 404
    other = PatientFactory(clinic=clinic)
    assert client.get(list_url(other)).status_code == 404
    assert not Assessment.objects.exists()


def test_unknown_instrument_page_is_not_found(signed_in, practitioner, patient):
    assert signed_in(practitioner.user).get(new_url(patient, "vas")).status_code == 404


@pytest.mark.parametrize("count", [1, 10])
def test_outcome_page_query_count_is_constant(signed_in, practitioner, patient, django_assert_num_queries, count):
    for n in range(count):
        record(practitioner, patient, "nrs", n % 11, 50 - n)
        record(practitioner, patient, "rmdq", [True] * n + [False] * (24 - n), 50 - n)
    client = signed_in(practitioner.user)
    client.get(list_url(patient))
    # session, user, patient access, the assessments, audit insert
    with django_assert_num_queries(5):
        assert client.get(list_url(patient)).status_code == 200


def test_admin_takes_licensed_text_and_refuses_what_does_not_fit(client, db):
    from tests.factories import UserFactory

    admin_user = UserFactory(username="admin", is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    url = "/admin/measures/instrumenttext/add/"
    bad = client.post(url, {"instrument": "odi", "item": "3", "option": "7", "text": "x"})
    assert "the answer codes are: 0, 1, 2, 3, 4, 5" in bad.content.decode()
    good = client.post(url, {"instrument": "odi", "item": "3", "option": "5", "text": "Licensed statement"})
    assert good.status_code == 302
    text = InstrumentText.objects.get()
    assert (text.instrument, text.item, text.option, text.created_by) == ("odi", 3, "5", admin_user)
