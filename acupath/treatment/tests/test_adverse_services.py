"""Recording, following up and acknowledging adverse events; the owner's alert and e-mail."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from acupath.accounts.models import Role
from acupath.core.errors import Conflict, ServiceError
from acupath.core.models import AuditEvent
from acupath.treatment.enums import AdverseEventKind
from acupath.treatment.models import AdverseEvent, AdverseEventAlert
from acupath.treatment.services import (
    AdverseEventInput,
    FollowUpInput,
    adverse_alert_acknowledge,
    adverse_event_follow_up,
    adverse_event_record,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SERIOUS = {
    "kind": "pneumothorax",
    "severity": "severe",
    "seriousness": frozenset({"hospitalisation"}),
    "causality": "probable",
    "outcome": "recovering",
    "action_taken": "needles removed, ambulance called",
    "description": "breathless after GB21",
}


def record(session, **kw):
    data = {"kind": "bleeding_haematoma", "severity": "mild", "action_taken": "pressed 2 minutes"} | kw
    return adverse_event_record(
        actor=session.practitioner.user, patient=session.patient, session=session, data=AdverseEventInput(**data)
    )


@pytest.fixture
def owners(db):
    return [
        UserFactory(username="owner1", role=Role.OWNER, email="owner1@clinic.test"),
        UserFactory(username="owner2", role=Role.OWNER, email="owner2@clinic.test"),
    ]


@pytest.mark.parametrize("kind", [k for k in AdverseEventKind.values if k not in ("other", "forgotten_needle")])
def test_every_named_kind_records_without_a_description(started, kind):
    assert record(started, kind=kind).kind == kind


def test_other_is_refused_without_a_description_and_kept_with_one(started):
    with pytest.raises(ServiceError) as refused:
        record(started, kind="other", description="  ")
    assert set(refused.value.errors) == {"description"}
    assert record(started, kind="other", description="itchy rash around the needles").kind == "other"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("kind", "bruise"),
        ("severity", "extreme"),
        ("causality", "likely"),
        ("outcome", "resolved"),
        ("seriousness", frozenset({"hospital"})),
    ],
)
def test_codes_outside_their_lists_are_refused_naming_the_field(started, field, value):
    with pytest.raises(ServiceError) as refused:
        record(started, **{field: value})
    assert field in refused.value.errors


def test_death_and_fatal_are_recorded_together_and_refused_apart(started, owners):
    with pytest.raises(ServiceError) as refused:
        record(started, **(SERIOUS | {"seriousness": frozenset({"death"}), "outcome": "recovering"}))
    assert set(refused.value.errors) == {"outcome"}
    event = record(started, **(SERIOUS | {"seriousness": frozenset({"death"}), "outcome": "fatal"}))
    assert (event.serious_death, event.is_serious, event.outcome) == (True, True, "fatal")


def test_onset_may_be_up_to_five_minutes_before_check_in_but_not_six(started):
    record(started, occurred_at=started.checked_in_at - dt.timedelta(minutes=5))
    with pytest.raises(ServiceError) as refused:
        record(started, occurred_at=started.checked_in_at - dt.timedelta(minutes=6))
    assert "cannot start before it" in refused.value.errors["occurred_at"]


def test_a_serious_event_alerts_the_owner_and_emails_every_owner_after_commit(
    started, owners, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        event = record(started, **SERIOUS)
    assert AdverseEventAlert.objects.filter(event=event, acknowledged_at__isnull=True).exists()
    assert mailoutbox == []  # nothing leaves before the transaction commits
    for callback in queued:
        callback()
    [mail] = mailoutbox
    assert sorted(mail.to) == ["owner1@clinic.test", "owner2@clinic.test"]
    assert mail.subject == "A serious adverse event was recorded"
    assert f"/adverse-events/{event.public_id}/" in mail.body
    # No patient name or clinical detail travels by e-mail.
    for detail in ("Asha", "Rao", "pneumothorax", "Pneumothorax", "GB21", "ambulance", "hospital"):
        assert detail not in mail.body + mail.subject
    assert AuditEvent.objects.filter(entity="adverse_event_alert", action="create").count() == 1


def test_a_non_serious_event_raises_no_alert_and_sends_no_email(
    started, owners, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        record(started, severity="severe", outcome="recovering")  # severe but not serious
    assert not AdverseEventAlert.objects.exists()
    assert mailoutbox == []


def test_a_rolled_back_serious_event_sends_nothing(started, owners, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        record(started, **SERIOUS)
        raise RuntimeError("the request failed after recording")
    assert mailoutbox == [] and not AdverseEvent.objects.exists()


def test_follow_up_that_finds_the_event_serious_alerts_the_owner_then(
    started, owners, mailoutbox, django_capture_on_commit_callbacks
):
    event = record(started, kind="local_infection", severity="moderate", outcome="recovering")
    with django_capture_on_commit_callbacks(execute=True):
        updated = adverse_event_follow_up(
            actor=started.practitioner.user,
            event=event,
            data=FollowUpInput(
                outcome="recovering", causality="probable", seriousness=frozenset({"hospitalisation"}), note="admitted"
            ),
        )
    assert updated.is_serious and updated.follow_up == "admitted" and updated.followed_up_at is not None
    assert AdverseEventAlert.objects.filter(event=event).exists() and len(mailoutbox) == 1
    assert AuditEvent.objects.filter(entity="adverse_event", action="update", entity_id=event.public_id).exists()


def test_follow_up_needs_a_note_and_keeps_the_rules(started):
    event = record(started)
    with pytest.raises(ServiceError) as refused:
        adverse_event_follow_up(
            actor=started.practitioner.user,
            event=event,
            data=FollowUpInput(outcome="fatal", causality="possible", seriousness=frozenset(), note=" "),
        )
    assert {"follow_up", "seriousness", "severity"} <= set(refused.value.errors)


def test_the_owner_acknowledges_once_and_it_is_audited(started, owners):
    alert = record(started, **SERIOUS).alert
    done = adverse_alert_acknowledge(actor=owners[0], alert=alert, note="called the patient")
    assert (done.acknowledged_by, done.acknowledgement_note) == (owners[0], "called the patient")
    assert AuditEvent.objects.filter(
        entity="adverse_event_alert", action="update", summary="acknowledged", actor=owners[0]
    ).exists()
    with pytest.raises(Conflict, match="already acknowledged"):
        adverse_alert_acknowledge(actor=owners[1], alert=alert)


def test_only_an_owner_acknowledges(started, owners):
    alert = record(started, **SERIOUS).alert
    with pytest.raises(Conflict, match="Only the clinic owner"):
        adverse_alert_acknowledge(actor=started.practitioner.user, alert=alert)


@pytest.mark.parametrize(
    ("columns", "constraint"),
    [
        ({"causality": "likely"}, "adverse_causality_valid"),
        ({"outcome": "resolved"}, "adverse_outcome_valid"),
        ({"kind": "bruise"}, "adverse_kind_valid"),
        ({"severity": "extreme"}, "adverse_severity_valid"),
        ({"is_serious": True}, "adverse_serious_matches_criteria"),
        ({"serious_hospitalisation": True}, "adverse_serious_matches_criteria"),
        ({"serious_death": True, "is_serious": True}, "adverse_death_is_fatal"),
        ({"kind": "other", "description": ""}, "adverse_other_described"),
    ],
)
def test_the_database_refuses_rows_the_rules_refuse(started, columns, constraint):
    row = {
        "patient": started.patient,
        "session": started,
        "kind": "syncope",
        "severity": "mild",
        "occurred_at": started.checked_in_at,
        "action_taken": "laid flat",
        "recorded_by": started.practitioner.user,
    } | columns
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        AdverseEvent.objects.create(**row)
