"""An appointment's day, from booking to the end of the visit: which status moves are allowed.

    pending -> booked -> arrived -> in_session -> attended
    pending, booked -> cancelled        booked, arrived -> no_show

A move not in the table is refused with the reason in the clinic's words. "Did not attend" is
refused once a session exists (the patient was treated) and needs confirming for a patient who
was marked arrived (they may have left without being seen, or the arrival was a mistake).
Lateness and early departure are measured against the booked times with a few minutes' grace.
"""

import datetime as dt
from enum import StrEnum


class Status(StrEnum):
    """The appointment statuses (the same values as scheduling.enums.AppointmentStatus)."""

    PENDING = "pending"
    BOOKED = "booked"
    ARRIVED = "arrived"
    IN_SESSION = "in_session"
    ATTENDED = "attended"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"


ALLOWED: dict[Status, frozenset[Status]] = {
    Status.PENDING: frozenset({Status.BOOKED, Status.CANCELLED}),
    Status.BOOKED: frozenset({Status.ARRIVED, Status.CANCELLED, Status.NO_SHOW}),
    Status.ARRIVED: frozenset({Status.IN_SESSION, Status.NO_SHOW}),
    Status.IN_SESSION: frozenset({Status.ATTENDED}),
    Status.ATTENDED: frozenset(),
    Status.CANCELLED: frozenset(),
    Status.NO_SHOW: frozenset(),
}

# What each move is called when it is refused ("cannot be <verb>").
_VERB = {
    Status.PENDING: "made an online request again",
    Status.BOOKED: "confirmed",
    Status.ARRIVED: "marked arrived",
    Status.IN_SESSION: "checked in",
    Status.ATTENDED: "marked attended",
    Status.CANCELLED: "cancelled",
    Status.NO_SHOW: "marked as not attended",
}

_WHERE = {
    Status.PENDING: "it is still an online request waiting to be confirmed",
    Status.BOOKED: "the patient has not arrived yet",
    Status.ARRIVED: "the patient is waiting and has not been checked in",
    Status.IN_SESSION: "the patient is in a session: it ends when the practitioner closes the session",
    Status.ATTENDED: "the visit is over and the patient attended",
    Status.CANCELLED: "it was cancelled",
    Status.NO_SHOW: "it is already recorded as not attended",
}

LATE_GRACE = dt.timedelta(minutes=5)
EARLY_GRACE = dt.timedelta(minutes=5)


def move_refusal(current: Status, target: Status) -> str | None:
    """None when `current -> target` is allowed, else why not, in the clinic's words."""
    if target in ALLOWED[current]:
        return None
    if target == Status.NO_SHOW and current == Status.IN_SESSION:
        return "This appointment has a treatment session, so the patient did attend; it cannot be a no-show."
    if target == Status.NO_SHOW and current == Status.ATTENDED:
        return "This appointment is recorded as attended, so it cannot be a no-show."
    if target == current:
        return f"This appointment is already {_VERB[target]}."
    return f"This appointment cannot be {_VERB[target]}: {_WHERE[current]}."


def no_show_warning(current: Status, arrived_at: dt.datetime | None) -> str | None:
    """A warning to confirm before recording a no-show for a patient marked arrived, else None."""
    if current != Status.ARRIVED or arrived_at is None:
        return None
    return (
        f"This patient was marked arrived at {arrived_at:%H:%M}. Record a no-show only if they left without "
        "being seen; confirm to record it."
    )


def minutes_late(start: dt.datetime, arrived_at: dt.datetime | None) -> int:
    """Whole minutes after the booked start that the patient arrived; 0 within the grace."""
    if arrived_at is None or arrived_at - start <= LATE_GRACE:
        return 0
    return int((arrived_at - start).total_seconds() // 60)


def minutes_early(end: dt.datetime, departed_at: dt.datetime | None) -> int:
    """Whole minutes before the booked end that the patient left; 0 within the grace."""
    if departed_at is None or end - departed_at <= EARLY_GRACE:
        return 0
    return int((end - departed_at).total_seconds() // 60)


def minutes_waiting(arrived_at: dt.datetime, now: dt.datetime) -> int:
    """Whole minutes a patient has waited since arriving (never negative)."""
    return max(0, int((now - arrived_at).total_seconds() // 60))
