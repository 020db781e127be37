"""Identifier numbers: typed, tidied, and checked where their format is published."""

import pytest

from acupath.patients.domain.identifiers import compact, display, identifier_error


@pytest.mark.parametrize(
    ("kind", "raw", "valid"),
    [
        ("aadhaar", "2345 6789 0124", True),  # Verhoeff check digit 4 (python-stdnum's example)
        ("aadhaar", "2345 6789 0123", False),  # last digit wrong
        ("aadhaar", "1234 5678 9012", False),  # cannot start with 1
        ("aadhaar", "2345 6789 012", False),  # 11 digits
        ("nhs", "943 476 5919", True),  # NHS Digital's published example
        ("nhs", "943 476 5918", False),  # modulus 11 check digit wrong
        ("nhs", "943 476 591", False),
        ("abha", "91-1234-5678-9012", True),
        ("abha", "91-1234-5678-901", False),
        ("medicare_mbi", "1EG4-TE5-MK73", True),  # CMS's example
        ("medicare_mbi", "1EG4-TE5-MK7S", False),  # a letter where a digit goes
        ("medicare_mbi", "0EG4-TE5-MK73", False),  # first character 1-9
        ("medicare_mbi", "1SG4-TE5-MK73", False),  # S is never used
        ("insurance", "POL/2026/88812", True),  # no published format: taken as typed
    ],
)
def test_identifier_formats_are_checked_where_published(kind, raw, valid):
    assert (identifier_error(kind, raw) is None) is valid


def test_identifier_errors_say_what_to_fix():
    assert "last digit" in identifier_error("aadhaar", "2345 6789 0123")
    assert "10 digits" in identifier_error("nhs", "12")


@pytest.mark.parametrize(
    ("kind", "raw", "stored", "shown"),
    [
        ("aadhaar", "2345-6789-0124", "234567890124", "2345 6789 0124"),
        ("nhs", "943 476 5919", "9434765919", "943 476 5919"),
        ("abha", "91 1234 5678 9012", "91123456789012", "91-1234-5678-9012"),
        ("medicare_mbi", "1eg4-te5-mk73", "1EG4TE5MK73", "1EG4-TE5-MK73"),
    ],
)
def test_identifiers_are_stored_compact_and_shown_as_on_the_card(kind, raw, stored, shown):
    assert compact(kind, raw) == stored
    assert display(kind, stored) == shown
