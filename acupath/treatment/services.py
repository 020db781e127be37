"""What can happen to a treatment session: start, needles in, needles out, close.

Needle reconciliation is enforced twice: `session_close` refuses while any needle is
unaccounted for, and a database check constraint refuses a closed session whose
counts differ, whatever code path tries.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from acupath.clinic.models import Practitioner, Room
from acupath.core.audit import audit_record
from acupath.core.errors import Conflict, ServiceError
from acupath.core.models import AuditAction
from acupath.knowledge.selectors import points_in_order
from acupath.patients.models import Patient
from acupath.planning.enums import PlanStatus, Side
from acupath.planning.models import TreatmentPlan
from acupath.treatment.enums import SessionStatus
from acupath.treatment.models import SessionPoint, TreatmentSession


@dataclass(frozen=True)
class NeedledPoint:
    code: str
    side: str
    count: int = 1
    technique: str = ""
    deqi: bool | None = None
    location_note: str = ""


@dataclass(frozen=True)
class NeedleBatch:
    points: tuple[NeedledPoint, ...]
    gauge_mm: Decimal | None = None
    length_mm: int | None = None
    lot: str = ""


def _audit(actor: Any, session: TreatmentSession, summary: str, via: str, action: AuditAction) -> None:
    audit_record(
        actor=actor,
        action=action,
        entity="treatment_session",
        entity_id=session.public_id,
        patient_id=session.patient.public_id,
        summary=summary,
        via=via,
    )


def _check_pain(field: str, value: int | None) -> None:
    if value is not None and not 0 <= value <= 10:
        raise ServiceError({field: "Pain is a whole number from 0 (none) to 10 (worst imaginable)."})


@transaction.atomic
def session_start(
    *,
    actor: Any,
    patient: Patient,
    practitioner: Practitioner,
    room: Room | None,
    pain_before: int | None,
    plan: TreatmentPlan | None = None,
    at: dt.datetime | None = None,
    via: str = "web",
) -> TreatmentSession:
    _check_pain("pain_before", pain_before)
    plan = plan or TreatmentPlan.objects.filter(patient=patient, status=PlanStatus.APPROVED).first()
    try:
        with transaction.atomic():
            session = TreatmentSession.objects.create(
                patient=patient,
                plan=plan,
                practitioner=practitioner,
                room=room,
                checked_in_at=at or timezone.now(),
                planned_minutes=plan.retention_minutes if plan else 25,
                pain_before=pain_before,
                created_by=actor,
            )
    except IntegrityError:
        raise Conflict("That room or patient already has a session in progress; close it first.") from None
    _audit(actor, session, "started", via, AuditAction.CREATE)
    return session


@transaction.atomic
def session_insert_needles(
    *, actor: Any, session: TreatmentSession, batch: NeedleBatch, at: dt.datetime | None = None, via: str = "web"
) -> TreatmentSession:
    if session.status != SessionStatus.OPEN:
        raise Conflict("This session is closed; start a new one.")
    if not batch.points:
        raise ServiceError({"points": "Name at least one point that was needled."})
    for p in batch.points:
        if p.side not in Side.values:
            raise ServiceError({"points": f"{p.code}: side must be one of {', '.join(Side.values)}."})
        if not 1 <= p.count <= 20:
            raise ServiceError({"points": f"{p.code}: needles per point must be 1 to 20."})
    points = points_in_order([p.code for p in batch.points])
    planned = set(session.plan.points.values_list("point__code", flat=True)) if session.plan else set()
    SessionPoint.objects.bulk_create(
        SessionPoint(
            session=session,
            point=point,
            side=p.side,
            needles=p.count,
            from_plan=point.code in planned,
            technique=p.technique,
            deqi=p.deqi,
            location_note=p.location_note,
        )
        for p, point in zip(batch.points, points, strict=True)
    )
    inserted = sum(p.count for p in batch.points)
    TreatmentSession.objects.filter(pk=session.pk).update(
        needles_inserted=F("needles_inserted") + inserted,
        # The retention timer starts when the first needle goes in.
        needles_in_at=session.needles_in_at or at or timezone.now(),
        needle_gauge_mm=batch.gauge_mm or session.needle_gauge_mm,
        needle_length_mm=batch.length_mm or session.needle_length_mm,
        needle_lot=batch.lot or session.needle_lot,
        updated_by=actor,
    )
    session.refresh_from_db()
    _audit(actor, session, f"{inserted} needles in", via, AuditAction.UPDATE)
    return session


@transaction.atomic
def session_remove_needles(*, actor: Any, session: TreatmentSession, count: int, via: str = "web") -> TreatmentSession:
    if session.status != SessionStatus.OPEN:
        raise Conflict("This session is closed.")
    outstanding = session.needles_inserted - session.needles_removed
    if not 1 <= count <= outstanding:
        raise ServiceError({"count": f"Needles removed must be between 1 and the {outstanding} still in."})
    TreatmentSession.objects.filter(pk=session.pk).update(
        needles_removed=F("needles_removed") + count, updated_by=actor
    )
    session.refresh_from_db()
    _audit(actor, session, f"{count} needles out", via, AuditAction.UPDATE)
    return session


@transaction.atomic
def session_close(
    *,
    actor: Any,
    session: TreatmentSession,
    pain_after: int | None,
    contact_minutes: int | None,
    note: str = "",
    at: dt.datetime | None = None,
    via: str = "web",
) -> TreatmentSession:
    session = TreatmentSession.objects.select_for_update().get(pk=session.pk)
    if session.status != SessionStatus.OPEN:
        raise Conflict("This session is already closed.")
    unaccounted = session.needles_inserted - session.needles_removed
    if unaccounted:
        raise Conflict(
            f"{unaccounted} needle(s) unaccounted for: {session.needles_inserted} in, "
            f"{session.needles_removed} out. Find and remove them before closing."
        )
    _check_pain("pain_after", pain_after)
    if contact_minutes is not None and not 0 <= contact_minutes <= 240:
        raise ServiceError({"contact_minutes": "One-on-one contact minutes must be 0 to 240."})
    session.status = SessionStatus.CLOSED
    session.closed_at = at or timezone.now()
    session.pain_after = pain_after
    session.contact_minutes = contact_minutes
    session.plan_note = note
    session.updated_by = actor
    session.save()
    _audit(actor, session, "closed", via, AuditAction.UPDATE)
    return session
