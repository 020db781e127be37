"""Acupuncture point codes: every common spelling in, the WHO code out, or a loud error.

Practitioners write the same point many ways (BL23, bl-23, UB 23; SJ5, TH5, TW5 for TE5; Du4 for
GV4; GV29 for Yintang, which WHO codes EX-HN3). `normalise_code` maps a spelling onto the WHO form
and checks the point exists. It never guesses: an unknown or out-of-range code raises
`UnknownPointCode` naming the code exactly as it was typed.

Which abbreviations mean which channel, and which legacy codes point where, is data: channel
`aliases` in channels.yaml and point `aliases` in acupoints.yaml. This module only knows how codes
are spelled (letters, then a number) and the WHO extra-point form EX-<region><n>.

Ashi points are palpated tender points recorded by body location, not numbered points. They have
the pseudo-code ASHI so that a prescription can name them next to real codes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from acupath.knowledge.domain.catalogue import Catalogue

ASHI = "ASHI"
EXTRA_PREFIX = "EX"

# Separators people put inside codes: spaces (any kind), dots, hyphens, dashes and underscores.
_SEPARATORS = re.compile(r"[\s.\-_\u2010-\u2015]+")
_CODE_SHAPE = re.compile(r"([A-Z]+)([0-9]+)", re.ASCII)
_ASHI_SPELLINGS = frozenset({"ASHI", "AHSHI"})


class UnknownPointCode(ValueError):
    """One or more point codes that do not name a point in the catalogue."""

    def __init__(self, codes: Sequence[str], detail: str | None = None) -> None:
        self.codes: tuple[str, ...] = tuple(codes)
        listed = ", ".join(repr(code) for code in self.codes)
        noun = "code" if len(self.codes) == 1 else "codes"
        message = f"Unknown acupuncture point {noun} {listed}"
        super().__init__(f"{message}: {detail}" if detail else message)


class CodeIndex(Protocol):
    """What code resolution needs from a catalogue."""

    def channel_for_prefix(self, prefix: str) -> str | None: ...

    def channel_size(self, channel_code: str) -> int: ...

    def has_point(self, who_code: str) -> bool: ...

    def alias_target(self, canonical: str) -> str | None: ...


def compact(raw: str) -> str:
    """Upper-case `raw` and drop the separators people put inside codes ("bl-23" -> "BL23")."""
    return _SEPARATORS.sub("", raw).upper()


def is_ashi(raw: str) -> bool:
    """True when `raw` spells the Ashi pseudo-code ("ashi", "Ashi", "A-shi", "ah shi")."""
    return compact(raw) in _ASHI_SPELLINGS


def canonical_form(raw: str, channel_for_prefix: Callable[[str], str | None]) -> str | None:
    """The WHO-shaped form of `raw` (not checked for existence), or None if it cannot be one.

    "ub 023" -> "BL23", "ex b2" -> "EX-B2", "Du29" -> "GV29". Unknown prefixes give None.
    """
    match = _CODE_SHAPE.fullmatch(compact(raw))
    if match is None:
        return None
    letters, digits = match.groups()
    number = int(digits)
    if letters.startswith(EXTRA_PREFIX) and len(letters) > len(EXTRA_PREFIX):
        return f"{EXTRA_PREFIX}-{letters[len(EXTRA_PREFIX) :]}{number}"
    channel = channel_for_prefix(letters)
    return None if channel is None else f"{channel}{number}"


def _resolve(raw: str, index: CodeIndex) -> str | None:
    if is_ashi(raw):
        return ASHI
    canonical = canonical_form(raw, index.channel_for_prefix)
    if canonical is None:
        return None
    if index.has_point(canonical):
        return canonical
    return index.alias_target(canonical)


def _hint(raw: str, index: CodeIndex) -> str | None:
    """Why `raw` failed, when we can say more than "unknown"."""
    if not raw.strip():
        return "the code is empty"
    canonical = canonical_form(raw, index.channel_for_prefix)
    if canonical is None or canonical.startswith(EXTRA_PREFIX):
        return None
    match = _CODE_SHAPE.fullmatch(canonical)
    if match is None:
        return None
    channel = match.group(1)
    return f"channel {channel} has points {channel}1 to {channel}{index.channel_size(channel)}"


def _default_index() -> Catalogue:
    # Imported here, not at module level: the catalogue imports this module for its lookups.
    from acupath.knowledge.domain.catalogue import load_catalogue

    return load_catalogue()


def normalise_code(raw: str, catalogue: CodeIndex | None = None) -> str:
    """Return the WHO code for any common spelling of a point code, or ASHI for Ashi points.

    Raises UnknownPointCode (naming `raw` as typed) if the code is empty, malformed, on an
    unknown channel, out of the channel's range, or an unknown extra point.
    """
    index = catalogue if catalogue is not None else _default_index()
    code = _resolve(raw, index)
    if code is None:
        raise UnknownPointCode([raw], _hint(raw, index))
    return code


def normalise_codes(raws: Iterable[str], catalogue: CodeIndex | None = None) -> list[str]:
    """Normalise several codes, in order; one error names every unknown code at once."""
    index = catalogue if catalogue is not None else _default_index()
    resolved: list[str] = []
    unknown: list[str] = []
    for raw in raws:
        code = _resolve(raw, index)
        if code is None:
            unknown.append(raw)
        else:
            resolved.append(code)
    if unknown:
        raise UnknownPointCode(unknown)
    return resolved


# --- building the indexes from the data files ------------------------------------------------


def prefix_index(channels: Iterable[tuple[str, Sequence[str]]], problems: list[str]) -> dict[str, str]:
    """Map each channel code and compacted legacy alias to its channel code; report clashes."""
    channels = list(channels)
    prefixes: dict[str, str] = {}
    for code, _ in channels:
        if code in prefixes:
            problems.append(f"duplicate channel code {code!r}")
        prefixes[code] = code
    for code, aliases in channels:
        for alias in aliases:
            key = compact(alias)
            owner = prefixes.get(key)
            if not (key.isascii() and key.isalpha()) or key.startswith(EXTRA_PREFIX):
                problems.append(f"channel {code}: alias {alias!r} must be letters and not start with EX")
            elif owner is not None and owner != code:
                problems.append(f"channel alias {alias!r} of {code} is already {owner}")
            else:
                prefixes[key] = code
    return prefixes


def alias_index(
    points: Iterable[tuple[str, Sequence[str]]],
    prefixes: Mapping[str, str],
    point_codes: Container[str],
    problems: list[str],
) -> dict[str, str]:
    """Map each point alias, in canonical form ("DU29" -> "GV29"), to its point's WHO code."""
    aliases: dict[str, str] = {}
    for code, point_aliases in points:
        for alias in point_aliases:
            canonical = canonical_form(alias, lambda prefix: prefixes.get(compact(prefix)))
            if canonical is None:
                problems.append(f"{code}: alias {alias!r} is not a code on a known channel")
            elif canonical in point_codes:
                problems.append(f"{code}: alias {alias!r} is itself a point code")
            elif canonical in aliases:
                problems.append(f"duplicate alias {alias!r} (on {aliases[canonical]} and {code})")
            else:
                aliases[canonical] = code
    return aliases
