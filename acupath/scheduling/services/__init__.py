"""Writes for scheduling: each validates, runs in one transaction and writes the audit trail."""

from acupath.scheduling.services.appointments import (
    appointment_book,
    appointment_cancel,
    appointment_errors,
    claims_for,
    grid_units,
)
from acupath.scheduling.services.visits import (
    appointment_arrive,
    appointment_attend_for_session,
    appointment_check_in,
    appointment_no_show,
    appointment_record_departure,
)

__all__ = [
    "appointment_arrive",
    "appointment_attend_for_session",
    "appointment_book",
    "appointment_cancel",
    "appointment_check_in",
    "appointment_errors",
    "appointment_no_show",
    "appointment_record_departure",
    "claims_for",
    "grid_units",
]
