"""One interface for every way of reaching a patient: e-mail, text message, WhatsApp.

A channel sends one `Message` or raises; raising means "not sent", and the reminder outbox
retries it later. A channel never retries on its own, so the outbox's at-most-once holds.
"""

from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str


@dataclass(frozen=True)
class Message:
    to: str  # an e-mail address or a phone number, as the channel needs
    text: str
    subject: str = ""  # e-mail only
    attachments: tuple[Attachment, ...] = field(default=())


class Channel(Protocol):
    def send(self, message: Message) -> None: ...
