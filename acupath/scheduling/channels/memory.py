"""Channels that send nothing: `memory` keeps messages for tests, `log` writes them for development."""

import logging

from acupath.scheduling.channels.base import Message

log = logging.getLogger(__name__)

# Every message the memory channels were given, with the channel's name, oldest first.
OUTBOX: list[tuple[str, Message]] = []


class MemoryChannel:
    def __init__(self, name: str) -> None:
        self.name = name

    def send(self, message: Message) -> None:
        OUTBOX.append((self.name, message))


class LogChannel:
    def __init__(self, name: str) -> None:
        self.name = name

    def send(self, message: Message) -> None:
        log.warning("%s to %s: %s", self.name, message.to, message.text)
