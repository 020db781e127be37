"""Pages: the consultation form (pre-filled from the portal), red-flag decisions, the pre-visit questionnaire."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from acupath.clinic.selectors import clinic_zone
from acupath.core.models import AuditEvent
from acupath.intake.domain.red_flags import CES_EMERGENCY_PHRASE, load_red_flags, screening_questions
from acupath.intake.enums import PrevisitStatus
from acupath.intake.models import Consultation, PrevisitAnswers, RedFlagReview
from acupath.intake.services import PrevisitInput, previsit_submit
from tests.consultations import consult
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db

ALL_NO = {q.code: False for q in screening_questions()}


def checked(page: str, name: str, value: str) -> bool:
    return re.search(rf'name="{name}" value="{value}"[^>]*checked', page) is not None


def form_url(patient) -> str:
    return f"/patients/{patient.public_id}/consultations/new/"


def consultation_post(**changes) -> dict:
    data = {
        "kind": "initial",
        "causes": ["posture"],
        "onset_date": (timezone.localdate() - dt.timedelta(weeks=20)).isoformat(),
        "region": "lumbar",
        "leg_pain": "none",
        "pain_now": "6",
        "baseline-later": "on",  # the baseline questionnaires are tested in intake/tests/test_baseline_set.py
    }
    data.update({f"rf_{code}": "no" for code in ALL_NO})
    return data | changes


def submit_previsit(patient, **changes):
    data = {"pain_now": 7, "region": "lumbar", "leg_pain": "below_knee", "causes": ("strain_injury",)}
    data |= {"worse_with": "sitting in the car", "red_flags": dict(ALL_NO)} | changes
    return previsit_submit(actor=patient.user, patient=patient, data=PrevisitInput(**data))


# --- the consultation form --------------------------------------------------------------------------


def test_form_without_previsit_has_no_prefill_banner(signed_in, practitioner, patient):
    page = signed_in(practitioner.user).get(form_url(patient)).content.decode()
    assert "Pre-filled from what" not in page
    assert 'value="initial" selected' in page


def test_form_is_prefilled_from_the_latest_unused_previsit_and_says_so(signed_in, practitioner, patient, patient_user):
    answers = submit_previsit(patient, red_flags=ALL_NO | {"saddle_anaesthesia": True})
    page = signed_in(practitioner.user).get(form_url(patient)).content.decode()
    when = timezone.localtime(answers.submitted_at, clinic_zone()).strftime("%-d %b")  # the page is in clinic time
    assert f"Pre-filled from what Asha entered on {when}" in page
    assert "check each answer with the patient" in page
    assert "Asha answered yes to 1 safety question" in page
    assert 'value="sitting in the car"' in page
    assert checked(page, "rf_saddle_anaesthesia", "yes")
    assert checked(page, "rf_cancer_history", "no")
    assert "Patient answered yes" in page
    assert f'value="{answers.public_id}"' in page
    assert AuditEvent.objects.filter(entity="previsit_answers", action="read", actor=practitioner.user).exists()


def test_saving_uses_the_previsit_and_flags_the_patient(signed_in, practitioner, patient, patient_user):
    answers = submit_previsit(patient, red_flags=ALL_NO | {"saddle_anaesthesia": True})
    client = signed_in(practitioner.user)
    post = consultation_post(previsit=str(answers.public_id), rf_saddle_anaesthesia="yes")
    response = client.post(form_url(patient), post, follow=True)
    consultation = Consultation.objects.get(patient=patient)
    # A raised flag goes straight to the red-flag page, where the decision is recorded.
    assert response.redirect_chain[-1][0] == (
        f"/patients/{patient.public_id}/consultations/{consultation.public_id}/red-flags/"
    )
    answers.refresh_from_db()
    assert (answers.status, answers.consultation) == (PrevisitStatus.USED, consultation)
    assert consultation.red_flags["saddle_anaesthesia"] is True
    assert consultation.red_flags["cancer_history"] is False
    page = response.content.decode()
    assert CES_EMERGENCY_PHRASE in page.lower()  # the page's alert and the saved message
    assert "Treatment plan stopped" in page
    # Once used, the next "New consultation" starts empty again.
    assert "Pre-filled from what" not in client.get(form_url(patient)).content.decode()


def test_errors_keep_everything_typed(signed_in, practitioner, patient):
    post = consultation_post(pain_now="14", worse_with="stairs", rf_night_pain="yes", causes=[])
    page = signed_in(practitioner.user).post(form_url(patient), post).content.decode()
    assert "Pain now is 0 to 10." in page
    assert "Tick at least one cause of the back pain." in page
    assert 'value="stairs"' in page
    assert checked(page, "rf_night_pain", "yes")
    assert not Consultation.objects.exists()


def test_unanswered_screening_questions_refuse_the_form_naming_them_and_keep_what_was_typed(
    signed_in, practitioner, patient
):
    post = {k: v for k, v in consultation_post().items() if k not in ("rf_bowel_dysfunction", "rf_major_trauma")}
    post |= {"rf_weight_loss": "unsure", "worse_with": "stairs"}
    page = signed_in(practitioner.user).post(form_url(patient), post).content.decode()
    assert not Consultation.objects.exists()
    assert "not answered yet: question 3, 15" in page
    assert page.count("Answer yes, no or unsure.") == 2
    assert checked(page, "rf_weight_loss", "unsure")
    assert 'value="stairs"' in page


def test_unsure_is_stored_and_raises_the_flag(signed_in, practitioner, patient):
    signed_in(practitioner.user).post(form_url(patient), consultation_post(rf_weight_loss="unsure"))
    consultation = Consultation.objects.get()
    assert consultation.red_flags["weight_loss"] == "unsure"
    assert consultation.red_flags["cancer_history"] is False


def test_a_patients_previsit_yes_changes_to_no_only_with_a_clarification(
    signed_in, practitioner, patient, patient_user
):
    answers = submit_previsit(patient, red_flags=ALL_NO | {"bladder_dysfunction": True})
    client = signed_in(practitioner.user)
    post = consultation_post(previsit=str(answers.public_id), worse_with="bending")
    page = client.post(form_url(patient), post).content.decode()
    assert "to record no, write what you clarified" in page
    assert 'value="bending"' in page
    assert not Consultation.objects.exists()
    clarified = "Leak was a single cough-related episode a year ago; none in the last 2 weeks."
    client.post(form_url(patient), post | {"clarify_bladder_dysfunction": clarified})
    consultation = Consultation.objects.get()
    assert consultation.red_flags["bladder_dysfunction"] is False
    assert consultation.red_flag_clarifications == {"bladder_dysfunction": clarified}
    assert AuditEvent.objects.filter(
        entity="consultation", summary__contains="pre-visit yes to bladder_dysfunction changed to no"
    ).exists()
    page = client.get(decision_url(consultation)).content.decode()
    assert "Pre-visit answers clarified" in page and clarified in page


def test_the_form_shows_the_age_flag_worked_out_from_the_birth_date(signed_in, practitioner, clinic):
    today = timezone.localdate()
    older = PatientFactory(clinic=clinic, birth_date=today.replace(year=today.year - 63))
    page = signed_in(practitioner.user).get(form_url(older)).content.decode()
    assert "Age over the threshold for new back pain" in page
    assert "Aged 63 at this consultation" in page and "over 50" in page


def test_front_desk_and_patients_cannot_open_the_form(signed_in, frontdesk, patient, patient_user):
    assert signed_in(frontdesk).get(form_url(patient)).status_code == 404
    assert signed_in(patient_user).get(form_url(patient)).status_code == 404


# --- the red-flag decision page ---------------------------------------------------------------------


@pytest.fixture
def flagged(practitioner, patient):
    return consult(practitioner, patient, red_flags={"saddle_anaesthesia": True, "cancer_history": True})


def decision_url(flagged) -> str:
    return f"/patients/{flagged.patient.public_id}/consultations/{flagged.public_id}/red-flags/"


def test_decision_page_lists_each_flag_and_records_a_decision(signed_in, practitioner, flagged):
    client = signed_in(practitioner.user)
    page = client.get(decision_url(flagged)).content.decode()
    assert "2 still open" in page
    assert page.index("Urgent referral, same day") < page.index("Urgent review within 2 weeks")
    client.post(decision_url(flagged), {"flag": "cancer_history", "decision": "refer_urgent", "reason": "GP letter."})
    page = client.get(decision_url(flagged)).content.decode()
    assert "1 still open" in page
    assert "Decided: Refer urgently (within 2 weeks)" in page
    assert RedFlagReview.objects.get().reason == "GP letter."


def test_a_decision_without_a_reason_shows_the_error_on_that_flag_only(signed_in, practitioner, flagged):
    page = signed_in(practitioner.user).post(
        decision_url(flagged), {"flag": "cancer_history", "decision": "not_relevant"}
    )
    text = page.content.decode()
    assert text.count("Give the reason for the decision") == 1
    assert not RedFlagReview.objects.exists()


def test_front_desk_cannot_open_the_decision_page(signed_in, frontdesk, flagged):
    assert signed_in(frontdesk).get(decision_url(flagged)).status_code == 404


# --- the patient's pre-visit questionnaire (portal) ----------------------------------------------------

PREVISIT_URL = "/my/before-your-visit/"


def previsit_post(**changes) -> dict:
    data = {"pain_now": "6", "region": "lumbar", "leg_pain": "none", "causes": ["posture"], "worse_with": "bending"}
    data.update({f"rf_{code}": "no" for code in ALL_NO})
    return data | changes


def test_patient_fills_the_questionnaire(signed_in, patient, patient_user):
    client = signed_in(patient_user)
    assert "Safety questions" in client.get(PREVISIT_URL).content.decode()
    response = client.post(PREVISIT_URL, previsit_post(), follow=True)
    assert response.redirect_chain[-1][0] == "/my/before-your-visit/thanks/"
    page = response.content.decode()
    assert "Thank you, Asha" in page
    assert "Please get help today" not in page
    answers = PrevisitAnswers.objects.get(patient=patient)
    assert (answers.answers["pain_now"], answers.answers["worse_with"], answers.red_flags["cancer_history"]) == (
        6,
        "bending",
        False,
    )
    assert AuditEvent.objects.filter(entity="previsit_answers", action="create", actor=patient_user).exists()


def test_a_ces_yes_tells_the_patient_to_get_help_today(signed_in, patient, patient_user):
    response = signed_in(patient_user).post(PREVISIT_URL, previsit_post(rf_bladder_dysfunction="yes"), follow=True)
    page = response.content.decode()
    assert "Please get help today" in page
    assert load_red_flags().patient_advice.cauda_equina in page
    assert "please do not wait for your visit" in page


def test_an_urgent_yes_asks_the_patient_to_call_the_clinic(signed_in, patient, patient_user):
    page = signed_in(patient_user).post(PREVISIT_URL, previsit_post(rf_weight_loss="yes"), follow=True).content.decode()
    assert "Please call the clinic" in page
    assert "Please get help today" not in page


def test_every_safety_question_needs_an_answer_and_nothing_typed_is_lost(signed_in, patient, patient_user):
    post = previsit_post()
    del post["rf_saddle_anaesthesia"]
    page = signed_in(patient_user).post(PREVISIT_URL, post).content.decode()
    assert "Please answer yes or no." in page
    assert 'value="bending"' in page
    assert not PrevisitAnswers.objects.exists()


def test_the_patient_can_change_their_answers_before_the_visit(signed_in, patient, patient_user):
    client = signed_in(patient_user)
    client.post(PREVISIT_URL, previsit_post())
    page = client.get(PREVISIT_URL).content.decode()
    assert "You sent your answers on" in page
    assert 'value="bending"' in page
    client.post(PREVISIT_URL, previsit_post(worse_with="lifting"))
    statuses = sorted(PrevisitAnswers.objects.values_list("status", flat=True))
    assert statuses == ["replaced", "submitted"]


def test_staff_and_unlinked_patients_get_not_found(signed_in, practitioner, frontdesk, clinic):
    assert signed_in(practitioner.user).get(PREVISIT_URL).status_code == 404
    assert signed_in(frontdesk).get(PREVISIT_URL).status_code == 404
    from acupath.accounts.models import Role
    from tests.factories import UserFactory

    loose = UserFactory(username="loose", role=Role.PATIENT)
    assert signed_in(loose).get(PREVISIT_URL).status_code == 404


def test_a_patient_only_ever_writes_their_own_record(signed_in, patient, patient_user, clinic):
    other = PatientFactory(clinic=clinic)
    signed_in(patient_user).post(PREVISIT_URL, previsit_post())
    assert PrevisitAnswers.objects.get().patient == patient
    assert not PrevisitAnswers.objects.filter(patient=other).exists()


def test_thanks_page_without_answers_goes_back_to_the_form(signed_in, patient, patient_user):
    response = signed_in(patient_user).get("/my/before-your-visit/thanks/")
    assert response.status_code == 302
    assert response["Location"] == PREVISIT_URL


# --- query counts -----------------------------------------------------------------------------------


@pytest.mark.parametrize("history", [1, 6])
def test_consultation_form_query_count_is_constant(
    signed_in, practitioner, patient, patient_user, django_assert_num_queries, history
):
    for n in range(history):
        consult(practitioner, patient, kind="reassessment", pain_now=n)
    submit_previsit(patient)
    client = signed_in(practitioner.user)
    client.get(form_url(patient))  # warm the clinic caches
    # session, user, patient access, pending previsit, audit of reading it, any consultation yet
    with django_assert_num_queries(6):
        assert client.get(form_url(patient)).status_code == 200
