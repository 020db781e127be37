"""Merging two records of one person: everything linked moves, it is audited, and it can be undone."""

import datetime as dt

import pytest
from django.db.models import Count
from django.utils import timezone

from acupath.clinic.models import AppointmentType, Practitioner
from acupath.core.errors import Conflict, NotFound
from acupath.core.models import AuditEvent
from acupath.demo.clinic import ClinicSpec
from acupath.demo.generator import clinic_generate
from acupath.measures.services import assessment_record
from acupath.patients.enums import PatientStatus
from acupath.patients.models import Patient, PatientMerge
from acupath.patients.services import linked_relations, patient_merge, patient_merge_reverse
from acupath.scheduling.models import SlotClaim
from acupath.scheduling.services import appointment_book
from tests.factories import AppointmentTypeFactory, ClinicFactory, PatientFactory, UserFactory

pytestmark = pytest.mark.django_db


def label(field):
    return f"{field.model._meta.label}.{field.name}"


def linked(patient):
    """Rows of every model that points at Patient, per relation, for this patient."""
    return {label(f): set(f.model._base_manager.filter(**{f.name: patient}).values_list("pk", flat=True))
            for f in linked_relations()}  # fmt: skip


@pytest.fixture
def histories(owner):
    """A record with a whole history (consultations, scores, plans, sessions, bookings, slot claims)
    from the synthetic clinic, registered a second time by the desk with one future booking."""
    clinic_generate(spec=ClinicSpec(), patients=12, seed=3, history_days=200)
    merged = Patient.objects.annotate(n=Count("treatment_sessions")).order_by("-n", "id").first()
    survivor = PatientFactory(clinic=merged.clinic, given_name=merged.given_name, birth_date=merged.birth_date)
    practitioner = Practitioner.objects.order_by("id").last()
    kind = AppointmentType.objects.get(code="treatment")
    start = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0) + dt.timedelta(days=500)
    appointment_book(actor=owner, patient=survivor, practitioner=practitioner, type=kind, start=start)
    appointment_book(
        actor=owner, patient=merged, practitioner=practitioner, type=kind, start=start + dt.timedelta(days=1)
    )
    return survivor, merged


def claims(patient):
    return set(SlotClaim.objects.filter(resource=f"patient:{patient.pk}").values_list("pk", flat=True))


def test_the_linked_models_are_discovered_not_listed():
    labels = {label(f) for f in linked_relations()}
    assert {
        "intake.Consultation.patient",
        "measures.Assessment.patient",
        "planning.TreatmentPlan.patient",
        "treatment.TreatmentSession.patient",
        "scheduling.Appointment.patient",
        "patients.Consent.patient",  # a signed consent is the person's: it moves with them
    } <= labels
    # the merge log and the record's own links stay
    assert not any(lbl.startswith(("patients.PatientMerge.", "patients.Patient.")) for lbl in labels)


def test_merge_moves_every_linked_record_to_the_survivor(histories, owner):
    survivor, merged = histories
    before_survivor, before_merged = linked(survivor), linked(merged)
    claims_before = (claims(survivor), claims(merged))
    kinds = {relation for relation, pks in before_merged.items() if pks}
    assert {"intake.Consultation.patient", "measures.Assessment.patient", "planning.TreatmentPlan.patient",
            "treatment.TreatmentSession.patient", "scheduling.Appointment.patient"} <= kinds  # fmt: skip
    merge = patient_merge(actor=owner, survivor=survivor, merged=merged, reason="registered twice")
    after_survivor, after_merged = linked(survivor), linked(merged)
    for relation in before_merged:
        assert after_merged[relation] == set(), relation
        assert after_survivor[relation] == before_survivor[relation] | before_merged[relation], relation
    assert claims_before[1] and claims(merged) == set() and claims(survivor) == claims_before[0] | claims_before[1]
    moved = {k: set(v) for k, v in merge.moved.items()}
    assert moved == {k: v for k, v in before_merged.items() if v} | {"scheduling.SlotClaim.resource": claims_before[1]}
    merged.refresh_from_db()
    assert (merged.status, merged.merged_into) == (PatientStatus.MERGED, survivor)


def test_merge_is_audited_on_both_records(histories, owner):
    survivor, merged = histories
    merge = patient_merge(actor=owner, survivor=survivor, merged=merged)
    events = AuditEvent.objects.filter(entity="patient_merge", entity_id=str(merge.public_id))
    assert {(e.patient_id, e.action, e.actor) for e in events} == {
        (survivor.public_id, "create", owner),
        (merged.public_id, "create", owner),
    }


def test_reversal_moves_exactly_the_moved_rows_back(histories, owner):
    survivor, merged = histories
    before = (linked(survivor), linked(merged), claims(survivor), claims(merged))
    merge = patient_merge(actor=owner, survivor=survivor, merged=merged)
    patient_merge_reverse(actor=owner, merge=merge)
    assert (linked(survivor), linked(merged), claims(survivor), claims(merged)) == before
    merged.refresh_from_db()
    merge.refresh_from_db()
    assert merged.status == PatientStatus.ACTIVE and merged.merged_into is None
    assert merge.reversed_at is not None
    assert AuditEvent.objects.filter(entity="patient_merge", action="update").count() == 2


def test_reversal_is_refused_once_something_new_was_added_to_the_survivor(histories, owner, practitioner):
    survivor, merged = histories
    before_survivor = linked(survivor)
    merge = patient_merge(actor=owner, survivor=survivor, merged=merged)
    assessment_record(actor=practitioner.user, patient=survivor, instrument="nrs", answers=3, taken_at=timezone.now())
    with pytest.raises(Conflict, match="new records were added"):
        patient_merge_reverse(actor=owner, merge=merge)
    assert linked(survivor)["measures.Assessment.patient"] > before_survivor["measures.Assessment.patient"]
    assert PatientMerge.objects.get().reversed_at is None


def test_a_merge_is_reversed_once_only(owner, clinic):
    a, b = PatientFactory(clinic=clinic), PatientFactory(clinic=clinic)
    merge = patient_merge(actor=owner, survivor=a, merged=b)
    patient_merge_reverse(actor=owner, merge=merge)
    with pytest.raises(Conflict, match="already reversed"):
        patient_merge_reverse(actor=owner, merge=merge)


def test_a_later_merge_into_the_survivor_must_be_reversed_first(owner, clinic):
    a, b, c = (PatientFactory(clinic=clinic) for _ in range(3))
    first = patient_merge(actor=owner, survivor=a, merged=b)
    patient_merge(actor=owner, survivor=a, merged=c)
    with pytest.raises(Conflict, match="later merge"):
        patient_merge_reverse(actor=owner, merge=first)


def test_a_merged_record_cannot_be_merged_again(owner, clinic):
    a, b, c = (PatientFactory(clinic=clinic) for _ in range(3))
    patient_merge(actor=owner, survivor=a, merged=b)
    with pytest.raises(Conflict, match="already merged"):
        patient_merge(actor=owner, survivor=c, merged=b)


def test_another_clinics_record_is_not_found(owner, clinic):
    ours, theirs = PatientFactory(clinic=clinic), PatientFactory(clinic=ClinicFactory(name="Elsewhere"))
    with pytest.raises(NotFound):
        patient_merge(actor=owner, survivor=ours, merged=theirs)


def test_the_portal_login_moves_to_the_survivor_and_back(owner, clinic):
    a, b = PatientFactory(clinic=clinic), PatientFactory(clinic=clinic, user=UserFactory(role="patient"))
    login = b.user
    merge = patient_merge(actor=owner, survivor=a, merged=b)
    a.refresh_from_db()
    assert a.user == login and merge.login_moved
    patient_merge_reverse(actor=owner, merge=merge)
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.user, b.user) == (None, login)


def test_two_portal_logins_refuse_the_merge(owner, clinic):
    a = PatientFactory(clinic=clinic, user=UserFactory(role="patient"))
    b = PatientFactory(clinic=clinic, user=UserFactory(role="patient"))
    with pytest.raises(Conflict, match="portal login"):
        patient_merge(actor=owner, survivor=a, merged=b)
    assert not PatientMerge.objects.exists()


def test_a_clash_between_the_records_refuses_the_whole_merge(owner, clinic, practitioner, room):
    a, b = PatientFactory(clinic=clinic), PatientFactory(clinic=clinic)
    kind = AppointmentTypeFactory(clinic=clinic)
    start = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0) + dt.timedelta(days=3)
    other = type(practitioner).objects.create(clinic=clinic, user=UserFactory(), display_name="Dr Other")
    appointment_book(actor=owner, patient=a, practitioner=practitioner, type=kind, start=start)
    appointment_book(actor=owner, patient=b, practitioner=other, type=kind, start=start)
    before = (linked(a), linked(b), claims(a), claims(b))
    with pytest.raises(Conflict, match="cannot be combined"):
        patient_merge(actor=owner, survivor=a, merged=b)
    assert (linked(a), linked(b), claims(a), claims(b)) == before
