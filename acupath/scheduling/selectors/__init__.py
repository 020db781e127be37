"""Reads for scheduling, each shaped once with a fixed number of queries."""

from acupath.scheduling.selectors.availability import Diary, calendar_refusal, diary_load, rooms_for

__all__ = ["Diary", "calendar_refusal", "diary_load", "rooms_for"]
