"""The coded safety facts of a consultation (neuropathy, metal allergy, epilepsy, immunosuppression):
recorded through the API and the form, and answered back (planning's tests show the rules read them)."""

import pytest

from acupath.intake.models import Consultation
from acupath.intake.tests.test_api import BODY, url
from acupath.intake.tests.test_views import consultation_post, form_url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("one_token")]

FACTS = ("peripheral_neuropathy", "metal_allergy", "epilepsy", "immunosuppressed")


@pytest.mark.parametrize("fact", FACTS)
def test_each_coded_fact_is_recorded_and_answered(api, practitioner, patient, fact):
    body = BODY | {"history": BODY["history"] | {fact: True}}
    response = api.post(url(patient), body, user=practitioner.user)
    assert response.status_code == 201, response.content
    history = response.json()["history"]
    assert history[fact] is True
    assert [f for f in FACTS if history[f]] == [fact]
    consultation = Consultation.objects.get(public_id=response.json()["id"])
    assert getattr(consultation, fact) is True


@pytest.mark.parametrize("field", ["conditions", "surgeries", "medications"])
def test_history_free_text_over_2000_characters_is_refused(api, practitioner, patient, field):
    body = BODY | {"history": BODY["history"] | {field: "x" * 2001}}
    response = api.post(url(patient), body, user=practitioner.user)
    assert response.status_code == 422
    assert not Consultation.objects.exists()


def test_the_form_offers_each_fact_in_words_and_saves_it(signed_in, practitioner, patient):
    client = signed_in(practitioner.user)
    page = client.get(form_url(patient)).content.decode()
    for label in (
        "Peripheral neuropathy",
        "Allergy to nickel or another metal",
        "Epilepsy or seizures",
        "Immunosuppressed",
    ):
        assert label in page, label
    client.post(form_url(patient), consultation_post(metal_allergy="on", epilepsy="on"))
    saved = Consultation.objects.get(patient=patient)
    assert (saved.metal_allergy, saved.epilepsy, saved.peripheral_neuropathy) == (True, True, False)
