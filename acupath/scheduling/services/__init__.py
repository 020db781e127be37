"""Writes for scheduling: each validates, runs in one transaction and writes the audit trail."""

from acupath.scheduling.services.appointments import (
    appointment_book,
    appointment_cancel,
    appointment_errors,
    claims_for,
    grid_units,
)

__all__ = ["appointment_book", "appointment_cancel", "appointment_errors", "claims_for", "grid_units"]
