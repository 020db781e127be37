"""Booking settings. Each can be set in Django settings; the defaults suit a small clinic.

BOOKING_HORIZON_DAYS          how far ahead the public page offers times (56: eight weeks)
BOOKING_MIN_NOTICE_MINUTES    the earliest a visitor may book, from now (120), so the clinic can confirm
BOOKING_LINK_MAX_AGE_DAYS     how long the cancel/reschedule link in e-mails works (60)
BOOKING_OFFER_MAX_AGE_HOURS   how long a waitlist claim link works (48; never after the time itself)
BOOKING_SUBMIT_LIMIT          (successful requests, seconds) per address: (5, 600)
BOOKING_SUBMIT_LIMIT_VERIFIED (successful requests, seconds) per verified e-mail, used instead of the
                              address limit for it: (20, 600)
BOOKING_SLOT_QUERY_LIMIT      (slot searches, seconds) per address: (120, 600)
BOOKING_WAITLIST_MAX_DAYS     how far ahead a waitlist entry may reach (90)
BOOKING_CLIENT_IP_HEADER      request.META key holding the visitor's address behind a proxy
                              (e.g. "HTTP_X_REAL_IP"); unset: REMOTE_ADDR
"""

import datetime as dt

from django.conf import settings


def horizon() -> dt.timedelta:
    return dt.timedelta(days=getattr(settings, "BOOKING_HORIZON_DAYS", 56))


def min_notice() -> dt.timedelta:
    return dt.timedelta(minutes=getattr(settings, "BOOKING_MIN_NOTICE_MINUTES", 120))


def link_max_age() -> dt.timedelta:
    return dt.timedelta(days=getattr(settings, "BOOKING_LINK_MAX_AGE_DAYS", 60))


def offer_max_age() -> dt.timedelta:
    return dt.timedelta(hours=getattr(settings, "BOOKING_OFFER_MAX_AGE_HOURS", 48))


def submit_limit() -> tuple[int, int]:
    count, seconds = getattr(settings, "BOOKING_SUBMIT_LIMIT", (5, 600))
    return int(count), int(seconds)


def verified_submit_limit() -> tuple[int, int]:
    count, seconds = getattr(settings, "BOOKING_SUBMIT_LIMIT_VERIFIED", (20, 600))
    return int(count), int(seconds)


def slot_query_limit() -> tuple[int, int]:
    count, seconds = getattr(settings, "BOOKING_SLOT_QUERY_LIMIT", (120, 600))
    return int(count), int(seconds)


def client_ip_header() -> str:
    return str(getattr(settings, "BOOKING_CLIENT_IP_HEADER", "") or "REMOTE_ADDR")


def public_url() -> str:
    return str(getattr(settings, "PUBLIC_URL", "") or "http://127.0.0.1:8000").rstrip("/")


def waitlist_max_days() -> int:
    """How far ahead a waitlist entry may reach (BOOKING_WAITLIST_MAX_DAYS, default 90)."""
    return int(getattr(settings, "BOOKING_WAITLIST_MAX_DAYS", 90))
