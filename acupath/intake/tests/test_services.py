import datetime as dt

import pytest

from acupath.core.errors import ServiceError
from acupath.intake.services import ConsultationInput, consultation_record
from acupath.measures.models import Assessment

pytestmark = pytest.mark.django_db


def consult(practitioner, patient, **changes):
    data = {
        "kind": "initial",
        "causes": ("strain_injury",),
        "onset_date": dt.date(2026, 1, 5),
        "region": "lumbar",
        "leg_pain": "none",
        "pain_now": 6,
    } | changes
    return consultation_record(
        actor=practitioner.user, patient=patient, practitioner=practitioner, data=ConsultationInput(**data)
    )


def test_consultation_records_duration_class_and_nrs_baseline(practitioner, patient):
    consultation = consult(practitioner, patient)
    assert consultation.duration_class == "chronic"
    baseline = Assessment.objects.get(patient=patient)
    assert (baseline.instrument, baseline.score, baseline.band) == ("nrs", 6, "moderate")


def test_bad_consultation_input_names_every_field(practitioner, patient):
    with pytest.raises(ServiceError) as caught:
        consult(practitioner, patient, causes=("gremlins",), pain_now=11, onset_date=dt.date(2999, 1, 1))
    assert {"causes", "pain_now", "onset_date"} <= set(caught.value.errors)
