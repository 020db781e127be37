"""The adapter that sends each reminder kind, chosen by setting (README: ACUPATH_SMS_CHANNEL etc.)."""

from acupath.scheduling import conf
from acupath.scheduling.channels.base import Channel
from acupath.scheduling.channels.email import EmailChannel
from acupath.scheduling.channels.memory import LogChannel, MemoryChannel
from acupath.scheduling.channels.twilio import TwilioChannel
from acupath.scheduling.enums import ReminderKind


def _phone_channel(kind: ReminderKind, choice: str) -> Channel | None:
    if choice == "twilio":
        return TwilioChannel(whatsapp=kind == ReminderKind.WHATSAPP)
    if choice == "memory":
        return MemoryChannel(kind.value)
    if choice == "log":
        return LogChannel(kind.value)
    return None  # unset (or not one of the above): this installation cannot send on the channel


def channel_for(kind: str) -> Channel | None:
    """The adapter for a reminder kind, or None when the installation has no provider for it."""
    if kind == ReminderKind.EMAIL:
        return EmailChannel()
    if kind == ReminderKind.SMS:
        return _phone_channel(ReminderKind.SMS, conf.sms_channel())
    if kind == ReminderKind.WHATSAPP:
        return _phone_channel(ReminderKind.WHATSAPP, conf.whatsapp_channel())
    return None
