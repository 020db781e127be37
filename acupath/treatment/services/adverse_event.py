"""Recording adverse events, their follow-up, and with them needles that cannot be found.

A forgotten or lost needle is the only way a session's count can close short of the needles
inserted: the event records how many of the session's needles it accounts for, and this service
adds them to the session's `needles_unrecovered` in the same transaction. A serious event (any
ICH E2A criterion) raises an alert for the clinic owner in the same transaction; its e-mail
goes once the transaction has committed (see adverse_alert.py).
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from acupath.core.audit import audit_record
from acupath.core.errors import Conflict, ServiceError
from acupath.core.models import AuditAction
from acupath.patients.models import Patient
from acupath.treatment.domain.adverse import ACTION_REQUIRED, AdverseFacts, adverse_event_problems, is_serious
from acupath.treatment.enums import (
    AdverseEventKind,
    AdverseEventOutcome,
    AdverseEventSeverity,
    Causality,
    SeriousnessCriterion,
    SessionStatus,
)
from acupath.treatment.models import SERIOUS_FIELDS, AdverseEvent, TreatmentSession
from acupath.treatment.services.adverse_alert import adverse_alert_raise

CLOCK_SKEW = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class AdverseEventInput:
    kind: str
    severity: str
    action_taken: str
    causality: str = Causality.UNASSESSABLE
    outcome: str = AdverseEventOutcome.UNKNOWN
    seriousness: frozenset[str] = field(default_factory=frozenset)  # ICH E2A criteria met; empty: not serious
    description: str = ""
    occurred_at: dt.datetime | None = None  # onset; defaults to now
    needles: int = 0  # forgotten/lost needle: how many of the session's needles cannot be found


@dataclass(frozen=True)
class FollowUpInput:
    """What is known later: the outcome, a revised causality and seriousness, and a note."""

    outcome: str
    causality: str
    seriousness: frozenset[str]
    note: str


def _choices_errors(
    *, kind: str | None, severity: str | None, causality: str, outcome: str, seriousness: frozenset[str]
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if kind is not None and kind not in AdverseEventKind.values:
        errors["kind"] = f"Choose the type: {', '.join(AdverseEventKind.values)}."
    if severity is not None and severity not in AdverseEventSeverity.values:
        errors["severity"] = f"Choose the severity: {', '.join(AdverseEventSeverity.values)}."
    if causality not in Causality.values:
        errors["causality"] = f"Choose how likely treatment caused it (WHO-UMC): {', '.join(Causality.values)}."
    if outcome not in AdverseEventOutcome.values:
        errors["outcome"] = f"Choose the outcome: {', '.join(AdverseEventOutcome.values)}."
    if unknown := sorted(seriousness - set(SeriousnessCriterion.values)):
        errors["seriousness"] = (
            f"Unknown seriousness criteria {', '.join(unknown)}: use {', '.join(SeriousnessCriterion.values)}, "
            "or none when the event was not serious."
        )
    return errors


def _errors(data: AdverseEventInput, session: TreatmentSession | None, now: dt.datetime) -> dict[str, str]:
    errors = _choices_errors(
        kind=data.kind,
        severity=data.severity,
        causality=data.causality,
        outcome=data.outcome,
        seriousness=data.seriousness,
    )
    if not errors:
        facts = AdverseFacts(
            kind=data.kind,
            severity=data.severity,
            seriousness=data.seriousness,
            outcome=data.outcome,
            description=data.description,
            action_taken=data.action_taken,
        )
        errors |= adverse_event_problems(facts)
    elif not data.action_taken.strip():
        errors["action_taken"] = ACTION_REQUIRED
    if data.occurred_at is not None:
        if data.occurred_at > now + CLOCK_SKEW:
            errors["occurred_at"] = "An adverse event cannot be in the future; check the time."
        elif session is not None and data.occurred_at < session.checked_in_at - CLOCK_SKEW:
            local = timezone.localtime(session.checked_in_at)
            errors["occurred_at"] = (
                f"This session began at {local:%d %b %Y %H:%M}; an event of this session cannot start before it."
            )
    if data.kind != AdverseEventKind.FORGOTTEN_NEEDLE:
        if data.needles:
            errors["needles"] = "Only a forgotten or lost needle event accounts for needles; set it to 0."
    elif session is not None and session.status == SessionStatus.OPEN:
        errors |= _lost_needle_errors(data, session)
    elif data.needles:
        errors["needles"] = "Needles can only be recorded lost against a session still in progress."
    return errors


def _lost_needle_errors(data: AdverseEventInput, session: TreatmentSession) -> dict[str, str]:
    """0 needles: a forgotten needle that was found (its removal is counted as usual)."""
    if data.needles == 0:
        return {}
    if not session.removal_started:
        return {"needles": "Record the needles you removed first (Needles out); then record any that cannot be found."}
    outstanding = session.needles_in
    if outstanding == 0:
        return {"needles": "Every needle of this session is accounted for; record this event with 0 needles."}
    if not 0 <= data.needles <= outstanding:
        return {"needles": f"How many needles cannot be found: 1 to the {outstanding} unaccounted for."}
    return {}


def _seriousness_columns(criteria: frozenset[str]) -> dict[str, bool]:
    return {name: criterion in criteria for criterion, name in SERIOUS_FIELDS.items()} | {
        "is_serious": is_serious(criteria)
    }


@transaction.atomic
def adverse_event_record(
    *,
    actor: Any,
    patient: Patient,
    session: TreatmentSession | None,
    data: AdverseEventInput,
    via: str = "web",
) -> AdverseEvent:
    now = timezone.now()
    if session is not None:
        session = TreatmentSession.objects.select_for_update(of=("self",)).select_related("patient").get(pk=session.pk)
        if session.patient_id != patient.pk:
            raise Conflict("That session belongs to another patient.")
    if errors := _errors(data, session, now):
        raise ServiceError(errors)
    event = AdverseEvent.objects.create(
        patient=patient,
        session=session,
        kind=data.kind,
        severity=data.severity,
        occurred_at=data.occurred_at or now,
        description=data.description.strip(),
        action_taken=data.action_taken.strip(),
        needles=data.needles,
        causality=data.causality,
        outcome=data.outcome,
        **_seriousness_columns(data.seriousness),
        recorded_by=actor,
        created_by=actor,
        updated_by=actor,
    )
    if session is not None and data.needles:
        TreatmentSession.objects.filter(pk=session.pk).update(
            needles_unrecovered=F("needles_unrecovered") + data.needles, updated_by=actor, updated_at=now
        )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        entity="adverse_event",
        entity_id=event.public_id,
        patient_id=patient.public_id,
        summary="recorded"
        + (", serious" if event.is_serious else "")
        + (f", {data.needles} needles unrecovered" if data.needles else ""),
        via=via,
    )
    if event.is_serious:
        adverse_alert_raise(actor=actor, event=event, now=now, via=via)
    return event


@transaction.atomic
def adverse_event_follow_up(*, actor: Any, event: AdverseEvent, data: FollowUpInput, via: str = "web") -> AdverseEvent:
    """Record what became of the event. Becoming serious raises the owner's alert then."""
    now = timezone.now()
    event = AdverseEvent.objects.select_for_update(of=("self",)).select_related("patient").get(pk=event.pk)
    errors = _choices_errors(
        kind=None, severity=None, causality=data.causality, outcome=data.outcome, seriousness=data.seriousness
    )
    if not errors:
        facts = AdverseFacts(
            kind=event.kind,
            severity=event.severity,
            seriousness=data.seriousness,
            outcome=data.outcome,
            description=event.description,
            action_taken=event.action_taken,
            follow_up=data.note,
        )
        errors = adverse_event_problems(facts)
    if not data.note.strip():
        errors["follow_up"] = "Write what you learned at follow-up, e.g. 'phoned day 2: bruise fading, no pain'."
    if errors:
        raise ServiceError(errors)
    was_serious = event.is_serious
    event.outcome, event.causality = data.outcome, data.causality
    for name, value in _seriousness_columns(data.seriousness).items():
        setattr(event, name, value)
    event.follow_up = data.note.strip()
    event.followed_up_at, event.updated_by = now, actor
    event.save()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        entity="adverse_event",
        entity_id=event.public_id,
        patient_id=event.patient.public_id,
        summary="follow-up" + (", now serious" if event.is_serious and not was_serious else ""),
        via=via,
    )
    if event.is_serious and not was_serious:
        adverse_alert_raise(actor=actor, event=event, now=now, via=via)
    return event
