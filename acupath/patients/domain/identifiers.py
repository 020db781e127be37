"""National and insurance numbers: tidy what was typed, and check it where a format is published.

Aadhaar (UIDAI): 12 digits, not starting 0 or 1, Verhoeff check digit, python-stdnum's `in_.aadhaar`.
NHS number (NHS Digital Data Dictionary): 10 digits, modulus 11 check digit, `stdnum.gb.nhs`.
ABHA number (National Health Authority, ABDM): 14 digits, shown 12-3456-7890-1234; no public check digit.
Medicare Beneficiary Identifier (CMS, "MBI format specifications"): 11 characters, position by
position C A AN N A AN N A A N N, where C is 1-9, N is 0-9, A a letter except S L O I B Z, AN either.
"""

import re
from collections.abc import Callable

from stdnum import exceptions as stdnum_exceptions
from stdnum.gb import nhs
from stdnum.in_ import aadhaar

_MBI_LETTER = "AC-HJKMNP-RT-Y"
_MBI = re.compile(
    rf"^[1-9][{_MBI_LETTER}][{_MBI_LETTER}0-9][0-9][{_MBI_LETTER}][{_MBI_LETTER}0-9][0-9]"
    rf"[{_MBI_LETTER}][{_MBI_LETTER}][0-9][0-9]$"
)


def _aadhaar(value: str) -> str | None:
    try:
        aadhaar.validate(value)
    except stdnum_exceptions.InvalidChecksum:
        return "This Aadhaar number's last digit does not match the others: check it against the card."
    except stdnum_exceptions.ValidationError:
        return "An Aadhaar number has 12 digits and does not start with 0 or 1."
    return None


def _nhs(value: str) -> str | None:
    try:
        nhs.validate(value)
    except stdnum_exceptions.InvalidChecksum:
        return "This NHS number's check digit does not match: check it against the patient's letter or app."
    except stdnum_exceptions.ValidationError:
        return "An NHS number has 10 digits (shown as 943 476 5919)."
    return None


def _abha(value: str) -> str | None:
    return None if re.fullmatch(r"\d{14}", value) else "An ABHA number has 14 digits (shown as 91-1234-5678-9012)."


def _mbi(value: str) -> str | None:
    if _MBI.match(value):
        return None
    return "A Medicare number (MBI) has 11 letters and digits like 1EG4-TE5-MK73, without S, L, O, I, B or Z."


_CHECKS: dict[str, Callable[[str], str | None]] = {
    "aadhaar": _aadhaar,
    "nhs": _nhs,
    "abha": _abha,
    "medicare_mbi": _mbi,
}


def compact(kind: str, raw: str) -> str:
    """The number as stored: spaces and dashes removed; letters upper case."""
    value = re.sub(r"[\s\-.]", "", raw or "").upper()
    return value if kind in _CHECKS or value else ""


def identifier_error(kind: str, raw: str) -> str | None:
    """Why this number cannot be of this kind, in words the desk can act on; None when it can."""
    check = _CHECKS.get(kind)
    return check(compact(kind, raw)) if check else None


def display(kind: str, value: str) -> str:
    """The number grouped as it is printed on the card."""
    if kind == "aadhaar" and len(value) == 12:
        return f"{value[:4]} {value[4:8]} {value[8:]}"
    if kind == "nhs" and len(value) == 10:
        return f"{value[:3]} {value[3:6]} {value[6:]}"
    if kind == "abha" and len(value) == 14:
        return f"{value[:2]}-{value[2:6]}-{value[6:10]}-{value[10:]}"
    if kind == "medicare_mbi" and len(value) == 11:
        return f"{value[:4]}-{value[4:7]}-{value[7:]}"
    return value
