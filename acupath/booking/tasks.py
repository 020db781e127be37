"""Booking's background work, run by `acupath worker`: offer freed times to the waitlist."""

from acupath.booking.services import waitlist_offer_freed_slots
from acupath.core.tasks import periodic_task_register

WAITLIST_EVERY_SECONDS = 300  # a freed time is offered within five minutes


def waitlist_offer(worker: str) -> dict[str, int]:
    offers = waitlist_offer_freed_slots()
    return {"offered": len(offers)} if offers else {}


def register() -> None:
    periodic_task_register("waitlist", waitlist_offer, every_seconds=WAITLIST_EVERY_SECONDS)
