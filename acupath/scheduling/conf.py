"""Scheduling settings. Each is read from Django settings, else from the environment, else the default.

ACUPATH_REMINDER_HOURS            how long before an appointment the reminder goes out (24)
ACUPATH_REMINDER_MAX_ATTEMPTS     tries before a reminder that keeps failing is given up (5)
ACUPATH_REMINDER_LEASE_MINUTES    a reminder "sending" this long belongs to a worker that stopped (10)
ACUPATH_SMS_CHANNEL               the adapter for text messages: "twilio", "log" (writes to the log),
                                  "memory" (tests); empty: this installation sends no text messages
ACUPATH_WHATSAPP_CHANNEL          the same for WhatsApp
ACUPATH_TWILIO_ACCOUNT_SID        Twilio account, token and sending numbers (E.164, e.g. +14155550100)
ACUPATH_TWILIO_AUTH_TOKEN
ACUPATH_TWILIO_SMS_FROM
ACUPATH_TWILIO_WHATSAPP_FROM
ACUPATH_COURSE_HORIZON_WEEKS      how far ahead a course proposal looks (12)
"""

import os
from dataclasses import dataclass

from django.conf import settings


def _value(name: str, default: str) -> str:
    configured = getattr(settings, name, None)
    return str(configured) if configured is not None else os.environ.get(name, default)


def _int(name: str, default: int) -> int:
    try:
        return int(_value(name, str(default)))
    except ValueError:
        return default


def reminder_hours() -> int:
    return _int("ACUPATH_REMINDER_HOURS", 24)


def reminder_max_attempts() -> int:
    return _int("ACUPATH_REMINDER_MAX_ATTEMPTS", 5)


def reminder_lease_minutes() -> int:
    return _int("ACUPATH_REMINDER_LEASE_MINUTES", 10)


def sms_channel() -> str:
    return _value("ACUPATH_SMS_CHANNEL", "").strip().lower()


def whatsapp_channel() -> str:
    return _value("ACUPATH_WHATSAPP_CHANNEL", "").strip().lower()


@dataclass(frozen=True)
class TwilioAccount:
    sid: str
    token: str
    sms_from: str
    whatsapp_from: str


def twilio_account() -> TwilioAccount:
    return TwilioAccount(
        sid=_value("ACUPATH_TWILIO_ACCOUNT_SID", ""),
        token=_value("ACUPATH_TWILIO_AUTH_TOKEN", ""),
        sms_from=_value("ACUPATH_TWILIO_SMS_FROM", ""),
        whatsapp_from=_value("ACUPATH_TWILIO_WHATSAPP_FROM", ""),
    )


def course_horizon_weeks() -> int:
    return max(1, _int("ACUPATH_COURSE_HORIZON_WEEKS", 12))
