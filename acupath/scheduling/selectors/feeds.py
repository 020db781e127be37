"""The subscription feed's contents: a practitioner's appointments, as little about patients as will do."""

import datetime as dt

from django.utils import timezone

from acupath.clinic.selectors import clinic_zone
from acupath.scheduling.enums import AppointmentStatus
from acupath.scheduling.ics import IcsEvent, ics_calendar, initials
from acupath.scheduling.models import Appointment, CalendarFeed

PAST = dt.timedelta(days=30)
AHEAD = dt.timedelta(days=180)
REFRESH = dt.timedelta(hours=1)


def feed_by_token(token: str) -> CalendarFeed | None:
    if not token or len(token) > 64:
        return None
    return CalendarFeed.objects.select_related("practitioner").filter(token=token).first()


def feed_ics(feed: CalendarFeed, now: dt.datetime | None = None) -> bytes:
    """The practitioner's appointments from a month ago to six months ahead (two queries).

    Each event names the appointment type and the patient's initials ("Patient A. R."),
    never a surname or anything clinical: a phone's calendar is not the patient record.
    Cancelled appointments stay in the feed as cancelled so subscribed calendars drop them.
    """
    now = now or timezone.now()
    practitioner = feed.practitioner
    rows = (
        Appointment.objects.filter(practitioner=practitioner, start__gte=now - PAST, start__lt=now + AHEAD)
        .exclude(status=AppointmentStatus.NO_SHOW)
        .select_related("patient", "type", "room")
        .only(
            "public_id",
            "start",
            "end",
            "status",
            "patient__given_name",
            "patient__family_name",
            "type__name",
            "room__name",
        )
        .order_by("start")
    )
    events = [
        IcsEvent(
            uid=f"{a.public_id}@acupath",
            start=a.start,
            end=a.end,
            summary=f"{a.type.name} · Patient {initials(a.patient.given_name, a.patient.family_name)}",
            location=a.room.name if a.room else "",
            cancelled=a.status == AppointmentStatus.CANCELLED,
        )
        for a in rows
    ]
    return ics_calendar(
        events,
        zone=clinic_zone(),
        name=f"{practitioner.display_name} · Acupath",
        stamp=now,
        refresh=REFRESH,
        uid=f"feed-{practitioner.public_id}@acupath",
    )
