"""Migrations 0003-0005 move recorded adverse events onto the full record's codes, and back."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.factories import PatientFactory, UserFactory

BEFORE = [("treatment", "0002_session_workflow_adverse_events")]
AFTER = [("treatment", "0005_adverse_event_kind_constraints")]


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


@pytest.mark.django_db(transaction=True)
def test_old_kinds_map_to_the_new_codes_and_other_is_said_to_be_undescribed(clinic):
    old = _migrate(BEFORE)
    patient, user = PatientFactory(clinic=clinic), UserFactory(username="old-doc")
    event = old.get_model("treatment", "AdverseEvent")
    for kind, description in (("bleeding_bruising", ""), ("pain", "sharp"), ("syncope", ""), ("other", "")):
        event.objects.create(
            patient_id=patient.pk,
            kind=kind,
            severity="mild",
            occurred_at=timezone.now(),
            description=description,
            action_taken="handled",
            recorded_by_id=user.pk,
        )
    new = _migrate(AFTER)
    rows = new.get_model("treatment", "AdverseEvent").objects.order_by("id")
    assert [r.kind for r in rows] == ["bleeding_haematoma", "needle_site_pain", "syncope", "other"]
    assert rows[3].description.startswith("Not described when recorded")
    assert {(r.causality, r.outcome, r.is_serious) for r in rows} == {("unassessable", "unknown", False)}
    # And back: the old codes return, so the old constraint holds again.
    back = _migrate(BEFORE)
    assert [r.kind for r in back.get_model("treatment", "AdverseEvent").objects.order_by("id")] == [
        "bleeding_bruising",
        "pain",
        "syncope",
        "other",
    ]
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
