import pytest
from django.db import DatabaseError, transaction

from acupath.core.audit import audit_record
from acupath.core.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


def test_audit_event_records_actor_role_and_patient(practitioner, patient):
    event = audit_record(
        actor=practitioner.user, action=AuditAction.READ, entity="patient", patient_id=patient.public_id
    )
    assert (event.actor_role, event.patient_id) == ("practitioner", patient.public_id)


def test_the_database_refuses_to_change_an_audit_event(practitioner):
    event = audit_record(actor=practitioner.user, action=AuditAction.READ, entity="patient")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(summary="tampered")
    event.refresh_from_db()
    assert event.summary == ""


def test_the_owner_reads_the_audit_log_in_the_admin(signed_in, owner, practitioner, patient):
    owner.is_staff = owner.is_superuser = True
    owner.save()
    audit_record(actor=practitioner.user, action=AuditAction.READ, entity="patient_chart", patient_id=patient.public_id)
    page = signed_in(owner).get("/admin/core/auditevent/")
    assert page.status_code == 200
    assert b"patient_chart" in page.content
    assert signed_in(owner).get("/admin/core/auditevent/add/").status_code == 403
