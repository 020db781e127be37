"""Give existing appointments the status their visit reached.

Before the visit statuses, an appointment stayed "booked" (or was marked "did not attend")
even when its patient was treated. An appointment with a closed session is now attended, one
with a session still open is in session, and either counts as arrived when its session began.
"""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def forwards(apps, schema_editor):
    Appointment = apps.get_model("scheduling", "Appointment")
    TreatmentSession = apps.get_model("treatment", "TreatmentSession")
    began = TreatmentSession.objects.filter(pk=OuterRef("session_id")).values("checked_in_at")[:1]
    with_session = Appointment.objects.filter(session__isnull=False)
    with_session.filter(arrived_at__isnull=True).update(arrived_at=Subquery(began))
    with_session.filter(session__status="closed").exclude(status="attended").update(status="attended")
    with_session.exclude(session__status="closed").exclude(status="in_session").update(status="in_session")


def backwards(apps, schema_editor):
    Appointment = apps.get_model("scheduling", "Appointment")
    Appointment.objects.filter(status__in=("arrived", "in_session")).update(status="booked")


class Migration(migrations.Migration):
    dependencies = [
        ("scheduling", "0004_appointment_visit_times"),
        ("treatment", "0002_session_workflow_adverse_events"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
