"""Writes of the booking app: online requests (requests.py) and the waitlist (waitlist.py)."""

from acupath.booking.services.requests import (
    PreVisit,
    SlotPick,
    online_request_cancel,
    online_request_confirm,
    online_request_decline,
    online_request_mark_contacted,
    online_request_reschedule,
    online_request_submit,
)
from acupath.booking.services.waitlist import (
    waitlist_join,
    waitlist_offer_claim,
    waitlist_offer_freed_slots,
    waitlist_remove,
)

__all__ = [
    "PreVisit",
    "SlotPick",
    "online_request_cancel",
    "online_request_confirm",
    "online_request_decline",
    "online_request_mark_contacted",
    "online_request_reschedule",
    "online_request_submit",
    "waitlist_join",
    "waitlist_offer_claim",
    "waitlist_offer_freed_slots",
    "waitlist_remove",
]
