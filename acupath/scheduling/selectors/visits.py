"""Reads for the visit: the rooms a waiting patient can be checked in to, and wait times."""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from acupath.clinic.models import Practitioner
from acupath.scheduling.domain.visit import minutes_early, minutes_late, minutes_waiting
from acupath.scheduling.enums import AppointmentStatus
from acupath.treatment.selectors import BoardRoom, board_for_clinic, board_for_locations


def check_in_rooms(practitioner: Practitioner) -> list[BoardRoom]:
    """The practitioner's location's active rooms with their sessions (every clinic room without one)."""
    if practitioner.location_id:
        return board_for_locations([practitioner.location_id])
    return board_for_clinic(practitioner.clinic)


def annotate_visits(appointments: Iterable[Any], now: dt.datetime) -> None:
    """Give each appointment its minutes waiting, minutes late and minutes left early.

    Waiting patients also get `free_rooms`, the free rooms of their practitioner's location, read
    for all of them at once (the same two queries however many are waiting).
    """
    rows = list(appointments)
    waiting = [a for a in rows if a.status == AppointmentStatus.ARRIVED]
    locations = {a.practitioner.location_id for a in waiting if a.practitioner.location_id}
    board = board_for_locations(sorted(locations)) if locations else []
    anywhere = any(a.practitioner.location_id is None for a in waiting)
    clinic_board = board_for_clinic(waiting[0].practitioner.clinic) if anywhere else []
    for a in rows:
        a.late_minutes = minutes_late(a.start, a.arrived_at)
        a.early_minutes = minutes_early(a.end, a.departed_at)
        a.waiting_minutes = None
        if a.status == AppointmentStatus.ARRIVED and a.arrived_at is not None:
            a.waiting_minutes = minutes_waiting(a.arrived_at, now)
            where = a.practitioner.location_id
            choices = [b for b in board if b.room.location_id == where] if where else clinic_board
            a.free_rooms = [b.room for b in choices if not b.occupied]
