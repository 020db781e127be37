"""Session start needs a signed, unwithdrawn consent to acupuncture for this course."""

import pytest
from django.utils import timezone

from acupath.core.errors import Conflict
from acupath.patients.consent_models import Consent
from acupath.patients.consent_services import consent_withdraw
from acupath.treatment.consent import NO_CONSENT, session_consent
from acupath.treatment.models import TreatmentSession
from acupath.treatment.services import session_close, session_start
from tests.consents import sign_consent
from tests.consultations import consult

pytestmark = pytest.mark.django_db


def start(api, patient, room, user):
    return api.post("/api/v1/sessions", {"patient": str(patient.public_id), "room": str(room.public_id)}, user=user)


def test_session_start_without_a_consent_answers_409_naming_it(api, plan, practitioner, room):
    Consent.objects.all().delete()
    r = start(api, plan.patient, room, practitioner.user)
    assert r.status_code == 409
    assert r.json()["detail"] == NO_CONSENT
    assert not TreatmentSession.objects.exists()


def test_session_start_with_a_signed_consent_answers_201(api, plan, practitioner, room):
    assert start(api, plan.patient, room, practitioner.user).status_code == 201


def test_a_withdrawal_blocks_the_next_session(api, plan, practitioner, room):
    first = start(api, plan.patient, room, practitioner.user).json()
    session = TreatmentSession.objects.get(public_id=first["id"])
    session_close(actor=practitioner.user, session=session, pain_after=3, contact_minutes=30)
    consent_withdraw(actor=practitioner.user, consent=Consent.objects.get(patient=plan.patient))
    r = start(api, plan.patient, room, practitioner.user)
    assert r.status_code == 409
    assert r.json()["detail"].startswith(NO_CONSENT) and "withdrew it on" in r.json()["detail"]


def test_signing_again_after_a_withdrawal_restores_consent(plan, practitioner, room):
    consent_withdraw(actor=practitioner.user, consent=Consent.objects.get(patient=plan.patient))
    sign_consent(plan.patient, at=timezone.now())
    session = session_start(
        actor=practitioner.user, patient=plan.patient, practitioner=practitioner, room=room, pain_before=None
    )
    assert session.pk


def test_a_new_course_after_a_used_consent_asks_for_a_new_one(plan, practitioner, room):
    patient = plan.patient
    session = session_start(
        actor=practitioner.user, patient=patient, practitioner=practitioner, room=room, pain_before=None
    )
    session_close(actor=practitioner.user, session=session, pain_after=2, contact_minutes=30)
    consult(practitioner, patient)  # a new initial consultation: a new course
    with pytest.raises(Conflict, match="was for an earlier course"):
        session_start(actor=practitioner.user, patient=patient, practitioner=practitioner, room=room, pain_before=None)
    sign_consent(patient, at=timezone.now())
    assert session_consent(patient).valid


def test_a_re_assessment_does_not_start_a_new_course(plan, practitioner, room):
    patient = plan.patient
    session = session_start(
        actor=practitioner.user, patient=patient, practitioner=practitioner, room=room, pain_before=None
    )
    session_close(actor=practitioner.user, session=session, pain_after=2, contact_minutes=30)
    consult(practitioner, patient, kind="reassessment")
    assert session_consent(patient).valid


def test_the_consent_check_takes_three_queries(plan, django_assert_num_queries):
    with django_assert_num_queries(3):
        consult_state = session_consent(plan.patient)
    assert consult_state.valid


def test_the_check_in_page_links_to_the_consent_page_when_none_is_signed(signed_in, practitioner, plan, room):
    Consent.objects.all().delete()
    client = signed_in(practitioner.user)
    page = client.get(f"/sessions/start/?patient={plan.patient.public_id}").content.decode()
    assert (
        "No signed consent to acupuncture for this course" in page
        and f"/patients/{plan.patient.public_id}/consent/" in page
    )
    r = client.post(
        "/sessions/start/",
        {"patient": str(plan.patient.public_id), "room": str(room.public_id), "planned_minutes": 25, "pain_before": 5},
    )
    assert (
        r.status_code == 422
        and "signed consent first" in r.content.decode()
        and f"/patients/{plan.patient.public_id}/consent/" in r.content.decode()
    )
