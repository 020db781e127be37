"""Scheduling pages. `appointment_new` is mounted by the chart's urls under the patient."""

from acupath.scheduling.views.appointments import appointment_new

__all__ = ["appointment_new"]
