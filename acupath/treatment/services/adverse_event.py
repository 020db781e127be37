"""Recording adverse events, and with them needles that cannot be found.

A forgotten or lost needle is the only way a session's count can close short of the needles
inserted: the event records how many of the session's needles it accounts for, and this service
adds them to the session's `needles_unrecovered` in the same transaction.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from acupath.core.audit import audit_record
from acupath.core.errors import Conflict, ServiceError
from acupath.core.models import AuditAction
from acupath.patients.models import Patient
from acupath.treatment.enums import AdverseEventKind, AdverseEventSeverity, SessionStatus
from acupath.treatment.models import AdverseEvent, TreatmentSession

CLOCK_SKEW = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class AdverseEventInput:
    kind: str
    severity: str
    action_taken: str
    description: str = ""
    occurred_at: dt.datetime | None = None
    needles: int = 0  # forgotten/lost needle: how many of the session's needles cannot be found


def _errors(data: AdverseEventInput, session: TreatmentSession | None, now: dt.datetime) -> dict[str, str]:
    errors: dict[str, str] = {}
    if data.kind not in AdverseEventKind.values:
        errors["kind"] = f"Choose the type: {', '.join(AdverseEventKind.values)}."
    if data.severity not in AdverseEventSeverity.values:
        errors["severity"] = f"Choose the severity: {', '.join(AdverseEventSeverity.values)}."
    if not data.action_taken.strip():
        errors["action_taken"] = "Say what was done about it, e.g. 'pressed 2 minutes, bruise explained'."
    if data.occurred_at is not None and data.occurred_at > now + CLOCK_SKEW:
        errors["occurred_at"] = "An adverse event cannot be in the future; check the time."
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
        summary="recorded" + (f", {data.needles} needles unrecovered" if data.needles else ""),
        via=via,
    )
    return event
