import datetime as dt

import pytest

from acupath.core.errors import ServiceError
from acupath.core.models import AuditEvent
from acupath.intake.domain.red_flags import screening_questions
from acupath.intake.enums import PrevisitStatus
from acupath.intake.models import RedFlagReview
from acupath.intake.selectors import previsit_alerts, previsit_pending, red_flag_badges
from acupath.intake.services import (
    History,
    PrevisitInput,
    previsit_submit,
    red_flag_decide,
)
from acupath.measures.models import Assessment
from tests.consultations import consult
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


def test_consultation_records_duration_class_and_nrs_baseline(practitioner, patient):
    consultation = consult(practitioner, patient)
    assert consultation.duration_class == "chronic"
    baseline = Assessment.objects.get(patient=patient)
    assert (baseline.instrument, baseline.score, baseline.band) == ("nrs", 6, "moderate")


def test_bad_consultation_input_names_every_field(practitioner, patient):
    with pytest.raises(ServiceError) as caught:
        consult(practitioner, patient, causes=("gremlins",), pain_now=11, onset_date=dt.date(2999, 1, 1))
    assert {"causes", "pain_now", "onset_date"} <= set(caught.value.errors)


# --- pre-visit answers ------------------------------------------------------------------------------

ALL_NO = dict.fromkeys((q.code for q in screening_questions()), False)


def previsit(patient, actor=None, **changes):
    data = {"pain_now": 6, "region": "lumbar", "causes": ("posture",), "red_flags": dict(ALL_NO)} | changes
    return previsit_submit(actor=actor, patient=patient, data=PrevisitInput(**data))


def test_previsit_is_stored_under_the_consultation_field_names(patient, patient_user):
    answers = previsit(
        patient,
        patient_user,
        onset_date=dt.date(2026, 1, 5),
        history=History(anticoagulant=True, skin_lesion_sites=("lumbar",), medications="warfarin"),
    )
    assert answers.status == PrevisitStatus.SUBMITTED
    assert answers.answers["onset_date"] == "2026-01-05"
    assert answers.answers["anticoagulant"] is True
    assert answers.answers["skin_lesion_sites"] == ["lumbar"]
    assert answers.answers["medications"] == "warfarin"
    assert answers.red_flags == ALL_NO
    assert AuditEvent.objects.filter(entity="previsit_answers", action="create", actor=patient_user).exists()


def test_every_safety_question_needs_an_answer(patient):
    missing = dict(ALL_NO)
    del missing["saddle_anaesthesia"], missing["night_pain"]
    with pytest.raises(ServiceError) as caught:
        previsit(patient, red_flags=missing)
    assert "2, 10" in caught.value.errors["red_flags"]


def test_a_new_submission_replaces_the_unused_one(patient):
    first = previsit(patient)
    second = previsit(patient, pain_now=8)
    first.refresh_from_db()
    assert first.status == PrevisitStatus.REPLACED
    assert previsit_pending(patient) == second


def test_patient_yes_raises_alerts_at_once(patient):
    answers = previsit(patient, red_flags=ALL_NO | {"saddle_anaesthesia": True})
    assert [a.flag for a in previsit_alerts(answers)] == ["saddle_anaesthesia"]
    badge = red_flag_badges([patient.id])[patient.id]
    assert (badge.cauda_equina, badge.from_patient) == (True, True)
    assert badge.text == "Red flag: urgent referral, same day"


def test_a_consultation_marks_the_previsit_used(practitioner, patient):
    answers = previsit(patient)
    consultation = consult(practitioner, patient, previsit=answers)
    answers.refresh_from_db()
    assert (answers.status, answers.consultation) == (PrevisitStatus.USED, consultation)
    assert previsit_pending(patient) is None
    assert red_flag_badges([patient.id]) == {}


def test_another_patients_previsit_is_refused(practitioner, patient, clinic):
    other = PatientFactory(clinic=clinic)
    with pytest.raises(ServiceError, match="another patient"):
        consult(practitioner, patient, previsit=previsit(other))


# --- red flags, badges for lists -----------------------------------------------------------------------


def test_badges_follow_the_treatment_gate_and_its_decisions(practitioner, patient, clinic, django_assert_num_queries):
    flagged = consult(practitioner, patient, red_flags={"structural_deformity": True})
    clear = PatientFactory(clinic=clinic)
    consult(practitioner, clear)
    with django_assert_num_queries(4):
        badges = red_flag_badges([patient.id, clear.id])
    assert set(badges) == {patient.id}
    assert (badges[patient.id].cauda_equina, badges[patient.id].from_patient) == (False, False)
    assert badges[patient.id].text == "Red flag: decision needed"
    red_flag_decide(
        actor=practitioner.user, consultation=flagged, flag="structural_deformity", decision="refer_soon", reason="GP"
    )
    assert red_flag_badges([patient.id]) == {}
    assert RedFlagReview.objects.count() == 1


def test_consultation_kind_decides_whether_a_new_episode_starts(practitioner, patient):
    consult(practitioner, patient)
    consult(practitioner, patient, kind="reassessment")
    assert list(Assessment.objects.order_by("id").values_list("starts_episode", flat=True)) == [True, False]
