"""The consent rules as pure functions: per-course coverage, signatures, the default text."""

import base64
import datetime as dt
import struct
import zlib

import pytest

from acupath.patients.domain.consent import (
    IMAGE_MAX_BYTES,
    ConsentState,
    SignatureKind,
    SignedConsent,
    consent_state,
    load_consent_default,
    parse_signature,
    text_blocks,
)

UTC = dt.UTC
SIGNED = dt.datetime(2026, 3, 2, 9, 50, tzinfo=UTC)


def at(day: int, month: int = 3, hour: int = 10) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=UTC)


@pytest.mark.parametrize(
    ("consent", "when", "starts", "first_use", "expected"),
    [
        # Nothing signed, or signed only after the session's moment.
        (None, at(3), [], None, ConsentState.MISSING),
        (SignedConsent(at(5)), at(3), [], None, ConsentState.MISSING),
        # Signed in the portal before the first visit; the initial consultation follows: still valid.
        (SignedConsent(SIGNED), at(2, hour=12), [at(2, hour=11)], None, ConsentState.VALID),
        # The course runs on: the first session used it, no new course since.
        (SignedConsent(SIGNED), at(20), [], at(3), ConsentState.VALID),
        # The signing moment itself is covered (boundary).
        (SignedConsent(SIGNED), SIGNED, [], None, ConsentState.VALID),
        # A new course (initial consultation) after a session used the consent: sign again.
        (SignedConsent(SIGNED), at(1, 9), [at(1, 9, hour=9)], at(3), ConsentState.EARLIER_COURSE),
        # A new course before any session used it (signed, then re-consulted): still valid.
        (SignedConsent(SIGNED), at(4), [at(3)], at(4), ConsentState.VALID),
        # A course start after the session's moment does not count yet.
        (SignedConsent(SIGNED), at(10), [at(12)], at(3), ConsentState.VALID),
        # Withdrawn before the session: refused; withdrawn after it: the session was covered.
        (SignedConsent(SIGNED, withdrawn_at=at(9)), at(10), [], at(3), ConsentState.WITHDRAWN),
        (SignedConsent(SIGNED, withdrawn_at=at(10)), at(10), [], at(3), ConsentState.WITHDRAWN),
        (SignedConsent(SIGNED, withdrawn_at=at(11)), at(10), [], at(3), ConsentState.VALID),
    ],
)
def test_consent_state_per_course(consent, when, starts, first_use, expected):
    assert consent_state(consent, when, starts, first_use) == expected


def png(width: int = 600, height: int = 200, padding: int = 0) -> str:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0))
    body = chunk(b"IDAT", zlib.compress(b"\x00" * 8) + b"\x00" * padding)
    data = b"\x89PNG\r\n\x1a\n" + header + body + chunk(b"IEND", b"")
    return "data:image/png;base64," + base64.b64encode(data).decode()


def test_a_drawn_png_signature_is_accepted_as_drawn():
    signature = parse_signature(png())
    assert signature.kind == SignatureKind.DRAWN
    assert signature.image.startswith("data:image/png;base64,")


def test_a_typed_signature_keeps_the_name_without_surrounding_space():
    signature = parse_signature("  Asha Rao ")
    assert (signature.kind, signature.typed, signature.image) == (SignatureKind.TYPED, "Asha Rao", "")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "Sign in the box"),
        ("x", "Type your full name"),
        ("12345", "Type your full name"),
        ("A" * 121, "at most 120"),
        ("data:image/svg+xml;base64,PHN2Zz4=", "must be a PNG"),
        ("data:image/png;base64,not base64!", "not a readable image"),
        ("data:image/png;base64," + base64.b64encode(b"GIF89a" + b"\x00" * 40).decode(), "not a PNG"),
        (png(width=0), "impossible dimensions"),
        (png(width=4001), "impossible dimensions"),
        (png(padding=IMAGE_MAX_BYTES), "too large"),
    ],
)
def test_signatures_that_are_refused_say_why(value, message):
    with pytest.raises(ValueError, match=message):
        parse_signature(value)


def test_the_largest_image_allowed_passes_and_one_byte_more_does_not():
    base = len(base64.b64decode(png().split(",", 1)[1]))
    assert parse_signature(png(padding=IMAGE_MAX_BYTES - base)).kind == SignatureKind.DRAWN
    with pytest.raises(ValueError, match="too large"):
        parse_signature(png(padding=IMAGE_MAX_BYTES - base + 1))


def test_the_default_acupuncture_text_names_the_effects_the_clinic_must_explain():
    text = load_consent_default("acupuncture")
    body = text.body.lower()
    for words in ("soreness", "bruise", "tiredness", "dizzy", "fainting", "infection", "left in by mistake",
                  "pneumothorax", "electroacupuncture", "pacemaker", "pregnan", "8.6%", "evidence"):  # fmt: skip
        assert words in body, words
    assert text.version >= 1 and "Witt" in text.source


def test_text_blocks_read_headings_paragraphs_and_lists():
    blocks = text_blocks("## Effects\nMost are mild\nand short.\n- soreness\n- bruising\n\nLast words.")
    assert [b.heading for b in blocks if b.heading] == ["Effects"]
    assert [b.paragraph for b in blocks if b.paragraph] == ["Most are mild and short.", "Last words."]
    assert [b.items for b in blocks if b.items] == [("soreness", "bruising")]
