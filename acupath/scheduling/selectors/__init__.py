"""Reads for scheduling, each shaped once with a fixed number of queries."""

from acupath.scheduling.selectors.availability import availability, calendar_refusal, rooms_for

__all__ = ["availability", "calendar_refusal", "rooms_for"]
