"""When are two patient records likely the same person? Pure rules over plain values.

A candidate is: the same date of birth and a similar name, or the same phone number (its
last ten digits, so +91 98450 12345 and 098450 12345 agree), or the same e-mail address
ignoring case, or the same identifier number. A similar name tolerates the slips a desk
makes: case, accents, spaces and punctuation, one or two letters wrong in a longer name, an
initial for the given name, and given and family name swapped.
"""

import re
import unicodedata
from difflib import SequenceMatcher

PHONE_KEY_DIGITS = 10  # national significant number length in India, the UK (after the 0) and the US
PHONE_KEY_MIN = 6  # shorter digit strings are extensions or typos, too weak to match on
SIMILAR_RATIO = 0.8


def phone_key(raw: str) -> str:
    """The digits that identify a phone number, whatever the prefix and spacing ('' if too short)."""
    digits = re.sub(r"\D", "", raw or "")
    return digits[-PHONE_KEY_DIGITS:] if len(digits) >= PHONE_KEY_MIN else ""


def email_key(raw: str) -> str:
    return (raw or "").strip().lower()


def name_key(raw: str) -> str:
    """Letters only, accents removed, case folded: 'D'Souza' and 'dsouza' agree."""
    decomposed = unicodedata.normalize("NFKD", raw or "")
    return "".join(ch for ch in decomposed if ch.isalpha() and not unicodedata.combining(ch)).casefold()


def _close(a: str, b: str) -> bool:
    if not a or not b:
        return False
    if a == b:
        return True
    if min(len(a), len(b)) >= 4 and (a.startswith(b) or b.startswith(a)):
        return True  # Krish / Krishna, Mohammed / Mohammedali
    return SequenceMatcher(None, a, b).ratio() >= SIMILAR_RATIO


def _given_close(a: str, b: str) -> bool:
    if len(a) == 1 or len(b) == 1:
        return a[:1] == b[:1]  # an initial: "S Rao" and "Sunita Rao"
    return _close(a, b)


def names_similar(given_a: str, family_a: str, given_b: str, family_b: str) -> bool:
    ga, fa, gb, fb = (name_key(n) for n in (given_a, family_a, given_b, family_b))
    if _close(fa, fb) and _given_close(ga, gb):
        return True
    return _close(ga, fb) and _close(fa, gb)  # given and family name entered the other way round
