"""Scheduling settings. Each is read from Django settings, else from the environment, else the default.

ACUPATH_REMINDER_HOURS            how long before an appointment the reminder goes out (24)
ACUPATH_REMINDER_MAX_ATTEMPTS     tries before a reminder that keeps failing is given up (5)
ACUPATH_REMINDER_LEASE_MINUTES    a reminder "sending" this long belongs to a worker that stopped (10)
ACUPATH_SMS_SENDER                dotted path to `send(phone, text)` for SMS reminders; empty: no SMS.
                                  "acupath.scheduling.services.reminders.console_sms" logs instead of sending
ACUPATH_COURSE_HORIZON_WEEKS      how far ahead a course proposal looks (12)
"""

import os

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


def sms_sender_path() -> str:
    return _value("ACUPATH_SMS_SENDER", "")


def course_horizon_weeks() -> int:
    return max(1, _int("ACUPATH_COURSE_HORIZON_WEEKS", 12))
