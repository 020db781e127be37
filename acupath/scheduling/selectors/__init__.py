"""Reads for scheduling, each shaped once with a fixed number of queries."""

from acupath.scheduling.selectors.availability import Diary, diary_load, rooms_for
from acupath.scheduling.selectors.rules import booking_warnings, calendar_breaches

__all__ = ["Diary", "booking_warnings", "calendar_breaches", "diary_load", "rooms_for"]
