"""Informed consent, as pure rules: the default text, what a signature may be, and when a
signed consent covers a session.

Per course. A course of treatment starts at an initial consultation (a re-assessment or a plan
revision continues the same course). A consent covers every session from the moment it is signed
until it is withdrawn, or until a new course starts after the consent has been used for a
session. So a patient may sign in the portal before their first visit (the initial consultation
that follows does not void it, since no session used it yet), while a patient who comes back
months later for a new course is asked to read and sign again. Of several consents the latest
signed one counts: signing again after a withdrawal restores consent.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, PositiveInt

from acupath.knowledge.domain.catalogue import DATA_DIR

TITLE_MAX = 120
BODY_MAX = 20_000
STATEMENT_MAX = 600
NAME_MAX = 120
TYPED_MAX = 120
REASON_MAX = 300
# A drawn signature is a PNG of the signing pad: a few tens of kB at tablet resolution. The cap
# keeps a malicious or broken client from storing megabytes in a clinical record.
IMAGE_MAX_BYTES = 150_000
IMAGE_MAX_SIDE = 4_000
PNG_PREFIX = "data:image/png;base64,"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


class ConsentTextFile(BaseModel):
    """``knowledge/data/consent_<kind>.yaml``: the default text a clinic starts from."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    dataset: str = Field(min_length=1)
    version: PositiveInt
    source: str = Field(min_length=1)
    licence: str = Field(min_length=1)
    kind: str = Field(min_length=1)
    title: str = Field(min_length=3, max_length=TITLE_MAX)
    body: str = Field(min_length=100, max_length=BODY_MAX)
    statement: str = Field(min_length=20, max_length=STATEMENT_MAX)


@cache
def load_consent_default(kind: str, data_dir: Path = DATA_DIR) -> ConsentTextFile:
    dataset = f"consent_{kind}"
    with (data_dir / f"{dataset}.yaml").open(encoding="utf-8") as handle:
        parsed = ConsentTextFile.model_validate(yaml.safe_load(handle))
    if parsed.dataset != dataset or parsed.kind != kind:
        raise ValueError(f"expected dataset {dataset!r} of kind {kind!r}, the file says {parsed.dataset!r}")
    return parsed


@dataclass(frozen=True)
class Block:
    heading: str = ""
    paragraph: str = ""
    items: tuple[str, ...] = ()


def text_blocks(body: str) -> list[Block]:
    """The plain-text body as headings, paragraphs and bulleted lists, for display and print."""
    blocks: list[Block] = []
    for chunk in body.replace("\r\n", "\n").split("\n\n"):
        lines = [line.strip() for line in chunk.split("\n") if line.strip()]
        prose: list[str] = []
        items: list[str] = []
        for line in lines:
            if line.startswith("## "):
                blocks.append(Block(heading=line[3:].strip()))
            elif line.startswith("- "):
                items.append(line[2:].strip())
            else:
                prose.append(line)
        if prose:
            blocks.append(Block(paragraph=" ".join(prose)))
        if items:
            blocks.append(Block(items=tuple(items)))
    return blocks


class SignatureKind(StrEnum):
    DRAWN = "drawn"
    TYPED = "typed"


@dataclass(frozen=True)
class Signature:
    kind: SignatureKind
    typed: str = ""
    image: str = ""  # a PNG data URL


def parse_signature(value: str) -> Signature:
    """A drawn signature (a PNG data URL from the signing pad) or a typed one; ValueError says why not."""
    value = value.strip()
    if value.startswith("data:"):
        return Signature(SignatureKind.DRAWN, image=_checked_png(value))
    if not value:
        raise ValueError("Sign in the box with a finger or stylus, or type your full name as your signature.")
    if len(value) > TYPED_MAX:
        raise ValueError(f"A typed signature has at most {TYPED_MAX} characters.")
    if len(value) < 2 or not any(char.isalpha() for char in value):
        raise ValueError("Type your full name as your signature.")
    return Signature(SignatureKind.TYPED, typed=value)


def _checked_png(value: str) -> str:
    if not value.startswith(PNG_PREFIX):
        raise ValueError("A drawn signature must be a PNG image (data:image/png;base64,...).")
    encoded = value[len(PNG_PREFIX) :]
    if len(encoded) > (IMAGE_MAX_BYTES * 4) // 3 + 4:
        raise ValueError(f"The drawn signature is too large (at most {IMAGE_MAX_BYTES // 1000} kB).")
    try:
        data = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("The drawn signature is not a readable image; clear it and sign again.") from None
    if len(data) > IMAGE_MAX_BYTES:
        raise ValueError(f"The drawn signature is too large (at most {IMAGE_MAX_BYTES // 1000} kB).")
    if len(data) < 33 or data[:8] != PNG_MAGIC or data[12:16] != b"IHDR":
        raise ValueError("The drawn signature is not a PNG image; clear it and sign again.")
    width, height = struct.unpack(">II", data[16:24])
    if not (0 < width <= IMAGE_MAX_SIDE and 0 < height <= IMAGE_MAX_SIDE):
        raise ValueError("The drawn signature has impossible dimensions; clear it and sign again.")
    return value


class ConsentState(StrEnum):
    VALID = "valid"
    MISSING = "missing"
    WITHDRAWN = "withdrawn"
    EARLIER_COURSE = "earlier_course"


@dataclass(frozen=True)
class SignedConsent:
    signed_at: dt.datetime
    withdrawn_at: dt.datetime | None = None


def consent_state(
    latest: SignedConsent | None,
    at: dt.datetime,
    course_starts: Sequence[dt.datetime],
    first_use: dt.datetime | None,
) -> ConsentState:
    """Does the latest consent signed by ``at`` cover a session at ``at``?

    ``course_starts`` are the initial consultations after the signing; ``first_use`` is the first
    session at or after the signing. The consent lapses when a course starts after it was used.
    """
    if latest is None or latest.signed_at > at:
        return ConsentState.MISSING
    if latest.withdrawn_at is not None and latest.withdrawn_at <= at:
        return ConsentState.WITHDRAWN
    if first_use is not None and any(first_use < start <= at for start in course_starts if start > latest.signed_at):
        return ConsentState.EARLIER_COURSE
    return ConsentState.VALID
