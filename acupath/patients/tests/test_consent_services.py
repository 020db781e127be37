import datetime as dt

import pytest
from django.db import IntegrityError
from django.utils import timezone

from acupath.core.errors import Conflict, ServiceError
from acupath.core.models import AuditEvent
from acupath.patients.consent_models import Consent, ConsentText
from acupath.patients.consent_services import (
    ConsentSigning,
    ConsentWording,
    consent_record,
    consent_text_current,
    consent_text_revise,
    consent_withdraw,
)
from tests.consents import TINY_PNG, sign_consent

pytestmark = pytest.mark.django_db


def signing(**changes):
    return ConsentSigning(**({"kind": "acupuncture", "signed_by": "Asha Rao", "signature": "Asha Rao"} | changes))


def test_the_first_signing_writes_the_clinics_version_1_from_the_shipped_text(patient, practitioner):
    consent = consent_record(actor=practitioner.user, patient=patient, signing=signing())
    assert consent.text.version == 1 and consent.text.clinic == patient.clinic
    assert "pneumothorax" in consent.text.body and consent.text.based_on == "consent_acupuncture v1"
    assert consent.witnessed_by == practitioner.user and consent.signature_kind == "typed"


def test_a_signing_is_audited_with_its_text_version_and_no_clinical_text(patient, practitioner):
    consent = consent_record(actor=practitioner.user, patient=patient, signing=signing(signature=TINY_PNG))
    event = AuditEvent.objects.get(entity="consent", entity_id=str(consent.public_id))
    assert event.patient_id == patient.public_id and event.action == "create"
    assert event.summary == "acupuncture signed, text v1 (drawn, clinic)"


def test_a_drawn_signature_is_stored_as_its_png(patient, practitioner):
    consent = consent_record(actor=practitioner.user, patient=patient, signing=signing(signature=TINY_PNG))
    assert consent.signature_kind == "drawn" and consent.signature_image == TINY_PNG and consent.signature_typed == ""


def test_every_problem_is_reported_at_once_and_nothing_is_written(patient, practitioner):
    with pytest.raises(ServiceError) as caught:
        consent_record(
            actor=practitioner.user,
            patient=patient,
            signing=signing(kind="photography", signed_by=" ", signature="data:image/gif;base64,R0lG"),
        )
    assert set(caught.value.errors) == {"kind", "signed_by", "signature"}
    assert not Consent.objects.exists()


def test_a_name_of_121_characters_is_refused_and_120_accepted(patient, practitioner):
    with pytest.raises(ServiceError, match="at most 120"):
        consent_record(actor=practitioner.user, patient=patient, signing=signing(signed_by="A" * 121))
    assert consent_record(actor=practitioner.user, patient=patient, signing=signing(signed_by="A" * 120))


def test_signing_a_text_version_that_was_replaced_meanwhile_is_refused(patient, practitioner, owner):
    shown = consent_text_current(clinic=patient.clinic, kind="acupuncture")
    consent_text_revise(actor=owner, clinic=patient.clinic, kind="acupuncture", wording=wording(shown, "Edited."))
    with pytest.raises(Conflict, match="now version 2"):
        consent_record(actor=practitioner.user, patient=patient, signing=signing(text_version=shown.version))


def wording(text, extra: str, **changes) -> ConsentWording:
    return ConsentWording(**({"title": text.title, "body": text.body + "\n\n" + extra, "statement": text.statement}
                             | changes))  # fmt: skip


def test_an_edit_is_a_new_version_and_earlier_versions_are_kept_unchanged(patient, owner, practitioner):
    first = consent_text_current(clinic=patient.clinic, kind="acupuncture")
    old = sign_consent(patient)
    second = consent_text_revise(
        actor=owner,
        clinic=patient.clinic,
        kind="acupuncture",
        wording=wording(first, "Ask us anything.", change_note="Added a line"),
    )
    assert (second.version, second.change_note) == (2, "Added a line")
    first.refresh_from_db()
    assert "Ask us anything." not in first.body
    old.refresh_from_db()
    assert old.text == first
    assert consent_record(actor=practitioner.user, patient=patient, signing=signing()).text == second
    assert AuditEvent.objects.filter(entity="consent_text", entity_id=str(second.public_id)).exists()


def test_saving_the_same_words_again_is_refused(patient, owner):
    text = consent_text_current(clinic=patient.clinic, kind="acupuncture")
    unchanged = ConsentWording(title=text.title, body=text.body, statement=text.statement)
    with pytest.raises(ServiceError, match="Nothing changed"):
        consent_text_revise(actor=owner, clinic=patient.clinic, kind="acupuncture", wording=unchanged)


def test_a_text_too_short_to_inform_is_refused(patient, owner):
    text = consent_text_current(clinic=patient.clinic, kind="acupuncture")
    with pytest.raises(ServiceError) as caught:
        consent_text_revise(
            actor=owner, clinic=patient.clinic, kind="acupuncture",
            wording=ConsentWording(title="C", body="Needles.", statement=text.statement),
        )  # fmt: skip
    assert set(caught.value.errors) == {"title", "body"}


def test_withdrawal_is_recorded_audited_and_cannot_be_repeated(patient, practitioner):
    consent = sign_consent(patient)
    later = timezone.now()
    withdrawn = consent_withdraw(actor=practitioner.user, consent=consent, reason="Changed my mind", at=later)
    assert (withdrawn.withdrawn_at, withdrawn.withdrawn_reason, withdrawn.withdrawn_by) == (
        later,
        "Changed my mind",
        practitioner.user,
    )
    assert AuditEvent.objects.filter(entity="consent", action="update", patient_id=patient.public_id).exists()
    with pytest.raises(Conflict, match="already withdrawn"):
        consent_withdraw(actor=practitioner.user, consent=consent)


def test_a_withdrawal_reason_over_300_characters_is_refused(patient, practitioner):
    with pytest.raises(ServiceError, match="under 300"):
        consent_withdraw(actor=practitioner.user, consent=sign_consent(patient), reason="x" * 301)


def test_the_database_refuses_a_consent_without_its_signature(patient):
    text = consent_text_current(clinic=patient.clinic, kind="acupuncture")
    with pytest.raises(IntegrityError):
        Consent.objects.create(
            patient=patient, kind="acupuncture", text=text, signed_by="A B", signed_at=timezone.now(),
            signature_kind="typed", signature_typed="", channel="clinic",
        )  # fmt: skip


def test_the_database_refuses_a_second_text_with_the_same_version(patient):
    text = consent_text_current(clinic=patient.clinic, kind="acupuncture")
    with pytest.raises(IntegrityError):
        ConsentText.objects.create(
            clinic=text.clinic, kind="acupuncture", version=1, title="T", body="B", statement="S",
            created_at=timezone.now() - dt.timedelta(days=1),
        )  # fmt: skip
