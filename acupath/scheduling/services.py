"""Booking and cancelling appointments.

Double-booking is made impossible by `SlotClaim`'s unique constraint: each booking
claims every grid unit it covers for its practitioner, room and patient in the same
transaction. Two concurrent bookings of one slot cannot both commit.
"""

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from acupath.clinic.models import AppointmentType, Practitioner, Room
from acupath.core.audit import audit_record
from acupath.core.errors import Conflict, ServiceError
from acupath.core.models import AuditAction
from acupath.patients.models import Patient
from acupath.planning.models import TreatmentPlan
from acupath.scheduling.enums import GRID_MINUTES, AppointmentStatus
from acupath.scheduling.models import Appointment, SlotClaim

GRID = dt.timedelta(minutes=GRID_MINUTES)


def grid_units(start: dt.datetime, end: dt.datetime) -> list[dt.datetime]:
    units, t = [], start
    while t < end:
        units.append(t)
        t += GRID
    return units


def claims_for(appointment: Appointment) -> list[SlotClaim]:
    resources = [
        f"practitioner:{appointment.practitioner_id}",
        f"patient:{appointment.patient_id}",
    ]
    if appointment.room_id:
        resources.append(f"room:{appointment.room_id}")
    return [
        SlotClaim(appointment=appointment, resource=r, unit_start=u)
        for r in resources
        for u in grid_units(appointment.start, appointment.end)
    ]


def _taken_message(appointment: Appointment) -> str:
    """Name which of practitioner, room or patient is already taken (read after the failed attempt)."""
    units = grid_units(appointment.start, appointment.end)
    taken = set(
        SlotClaim.objects.filter(
            resource__in=[c.resource for c in claims_for(appointment)],
            unit_start__in=units,
        )
        .values_list("resource", flat=True)
        .distinct()
    )
    kinds = {
        "practitioner": f"{appointment.practitioner} is already booked",
        "room": f"room {appointment.room} is already in use",
        "patient": "the patient already has an appointment",
    }
    said = [text for kind, text in kinds.items() if any(r.startswith(kind + ":") for r in taken)]
    when = timezone.localtime(appointment.start).strftime("%a %d %b %H:%M")
    return f"That time is taken: {'; '.join(said) or 'the slot was just booked'} at {when}. Choose another time."


def appointment_errors(start: dt.datetime, now: dt.datetime) -> dict[str, str]:
    errors: dict[str, str] = {}
    if timezone.is_naive(start):
        errors["start"] = "Give the start time with its UTC offset (e.g. 2026-12-01T10:00:00+05:30)."
        return errors
    if start.minute % GRID_MINUTES or start.second or start.microsecond:
        errors["start"] = f"Appointments start on the quarter hour (every {GRID_MINUTES} minutes)."
    if start < now - dt.timedelta(minutes=GRID_MINUTES):
        errors["start"] = "That time has passed; choose a time from now on."
    return errors


@transaction.atomic
def appointment_book(
    *,
    actor: Any,
    patient: Patient,
    practitioner: Practitioner,
    type: AppointmentType,
    start: dt.datetime,
    room: Room | None = None,
    plan: TreatmentPlan | None = None,
    status: str = AppointmentStatus.BOOKED,
    note: str = "",
    now: dt.datetime | None = None,
    via: str = "web",
) -> Appointment:
    if errors := appointment_errors(start, now or timezone.now()):
        raise ServiceError(errors)
    appointment = Appointment(
        patient=patient,
        practitioner=practitioner,
        room=room,
        type=type,
        start=start,
        end=start + dt.timedelta(minutes=type.minutes),
        status=status,
        plan=plan,
        note=note,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    try:
        with transaction.atomic():
            appointment.save()
            SlotClaim.objects.bulk_create(claims_for(appointment))
    except IntegrityError:
        raise Conflict(_taken_message(appointment)) from None
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        entity="appointment",
        entity_id=appointment.public_id,
        patient_id=patient.public_id,
        via=via,
    )
    return appointment


@transaction.atomic
def appointment_cancel(*, actor: Any, appointment: Appointment, reason: str = "", via: str = "web") -> Appointment:
    if appointment.status not in (AppointmentStatus.BOOKED, AppointmentStatus.PENDING):
        raise Conflict("Only a booked or pending appointment can be cancelled.")
    appointment.status = AppointmentStatus.CANCELLED
    appointment.note = reason or appointment.note
    appointment.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    appointment.save(update_fields=["status", "note", "updated_by", "updated_at"])
    appointment.claims.all().delete()  # the slot is free again
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        entity="appointment",
        entity_id=appointment.public_id,
        patient_id=appointment.patient.public_id,
        summary="cancelled",
        via=via,
    )
    return appointment
