"""Moving an appointment to another time, practitioner or room (the calendar's drag, the API).

A move is checked exactly as a booking is: the clinic's rules (with a staff override and its
reason) and the slot claims. The old claims are released and the new ones taken in one
savepoint, so a move that clashes leaves the appointment, and every claim it held, unchanged.
The patient is told by e-mail once the move has committed.
"""

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from acupath.clinic.models import Practitioner, Room
from acupath.core.audit import audit_record
from acupath.core.errors import Conflict, ServiceError
from acupath.core.models import AuditAction
from acupath.scheduling.enums import AppointmentStatus, ReminderStatus
from acupath.scheduling.models import Appointment, Reminder, SlotClaim
from acupath.scheduling.selectors import rooms_for
from acupath.scheduling.services.appointments import (
    _taken,
    _taken_message,
    appointment_errors,
    claims_for,
    grid_units,
    resource,
    retry_when_locked,
    rules_check,
)
from acupath.scheduling.services.notices import appointment_moved_email_later

MOVABLE = (AppointmentStatus.BOOKED, AppointmentStatus.PENDING)


def _room_after_move(
    appointment: Appointment, practitioner: Practitioner, room: Room | None, start: dt.datetime, end: dt.datetime
) -> Room | None:
    """The room asked for; else the current one if the practitioner works there; else the first free one."""
    if room is not None:
        return room
    rooms = rooms_for([practitioner])
    if not rooms:
        return None
    if appointment.room is not None and any(r.pk == appointment.room_id for r in rooms):
        return appointment.room
    taken = set(
        SlotClaim.objects.filter(
            resource__in=[resource("room", r.pk) for r in rooms], unit_start__in=grid_units(start, end)
        )
        .exclude(appointment_id=appointment.pk)
        .values_list("resource", flat=True)
    )
    return next((r for r in rooms if resource("room", r.pk) not in taken), rooms[0])


@retry_when_locked
@transaction.atomic
def appointment_move(
    *,
    actor: Any,
    appointment: Appointment,
    start: dt.datetime,
    practitioner: Practitioner | None = None,
    room: Room | None = None,
    override_reason: str = "",
    now: dt.datetime | None = None,
    via: str = "web",
) -> Appointment:
    """Move a booked or pending appointment, keeping its length; raise Conflict if it cannot go there.

    A RuleConflict (outside hours, holiday, leave) can be overridden with a reason; a clash with
    another booking of the practitioner, room or patient cannot.
    """
    if appointment.status not in MOVABLE:
        label = AppointmentStatus(appointment.status).label.lower()
        raise Conflict(f"Only a booked or requested appointment can be moved; this one is {label}.")
    if errors := appointment_errors(start, now or timezone.now()):
        raise ServiceError(errors)
    practitioner = practitioner or appointment.practitioner
    end = start + (appointment.end - appointment.start)
    old = (appointment.start, appointment.practitioner, appointment.room)
    overridden = rules_check(practitioner, start, end, override_reason)
    chosen_room = _room_after_move(appointment, practitioner, room, start, end)
    if (start, practitioner.pk, getattr(chosen_room, "pk", None)) == (old[0], old[1].pk, appointment.room_id):
        raise ServiceError({"start": "The appointment is already there; drag it to another time, column or room."})
    appointment.start, appointment.end = start, end
    appointment.practitioner, appointment.room = practitioner, chosen_room
    appointment.override_reason = overridden
    appointment.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    try:
        with transaction.atomic():
            SlotClaim.objects.filter(appointment_id=appointment.pk).delete()
            SlotClaim.objects.bulk_create(claims_for(appointment))
    except IntegrityError:
        message = _taken_message(appointment, _taken(appointment))
        appointment.refresh_from_db()  # the savepoint restored the row's claims; restore the object
        raise Conflict(message) from None
    appointment.save(
        update_fields=["start", "end", "practitioner", "room", "override_reason", "updated_by", "updated_at"]
    )
    # A reminder not yet sent names the old time: drop it, the next pass queues one for the new time.
    Reminder.objects.filter(appointment_id=appointment.pk, status=ReminderStatus.PENDING).delete()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        entity="appointment",
        entity_id=appointment.public_id,
        patient_id=appointment.patient.public_id,
        summary="moved" + (" against the clinic's rules (reason on the appointment)" if overridden else ""),
        via=via,
    )
    appointment_moved_email_later(appointment, previous_start=old[0])
    return appointment
