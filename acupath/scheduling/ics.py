"""iCalendar (.ics) documents for reminders and subscription feeds, built with `icalendar`.

Times are written in the clinic's zone with a TZID and the matching VTIMEZONE, so a
calendar program shows 10:00 as 10:00 whatever zone the device is in.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import icalendar

PRODID = "-//Acupath//Scheduling//EN"


@dataclass(frozen=True)
class IcsEvent:
    uid: str
    start: dt.datetime
    end: dt.datetime
    summary: str
    location: str = ""
    description: str = ""
    cancelled: bool = False


def ics_calendar(
    events: Iterable[IcsEvent],
    *,
    zone: ZoneInfo,
    name: str,
    stamp: dt.datetime,
    method: str = "PUBLISH",
    refresh: dt.timedelta | None = None,
    uid: str | None = None,
) -> bytes:
    calendar = icalendar.Calendar.new(prodid=PRODID, name=name, method=method, uid=uid)
    calendar.add("X-WR-TIMEZONE", zone.key)
    if refresh is not None:
        calendar.add("REFRESH-INTERVAL", refresh, parameters={"VALUE": "DURATION"})
        calendar.add("X-PUBLISHED-TTL", _duration(refresh))
    for event in events:
        calendar.add_component(
            icalendar.Event.new(
                uid=event.uid,
                summary=event.summary,
                start=event.start.astimezone(zone),
                end=event.end.astimezone(zone),
                stamp=stamp.astimezone(dt.UTC),
                location=event.location or None,
                description=event.description or None,
                status=icalendar.STATUS.CANCELLED if event.cancelled else icalendar.STATUS.CONFIRMED,
            )
        )
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


def _duration(span: dt.timedelta) -> str:
    """An RFC 5545 duration such as PT1H (whole minutes are enough for a refresh interval)."""
    minutes = int(span.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes or not hours else "")


def initials(given: str, family: str) -> str:
    """ "A. R." for Asha Rao: enough for a practitioner's own diary, no surname on a phone screen."""
    letters = [part[0].upper() for part in (given.strip(), family.strip()) if part]
    return " ".join(f"{letter}." for letter in letters) or "?"
