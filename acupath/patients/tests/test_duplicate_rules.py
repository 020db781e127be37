"""The pure rules that say two records are likely one person."""

import pytest

from acupath.patients.domain.duplicates import email_key, names_similar, phone_key


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("+91 98450 12345", "9845012345"),
        ("098450-12345", "9845012345"),
        ("98450 12345", "9845012345"),
        ("(0)20 7946 0958", "2079460958"),
        ("12345", ""),  # too short to identify anyone
        ("", ""),
    ],
)
def test_phone_key_is_the_last_ten_digits_whatever_the_prefix(raw, key):
    assert phone_key(raw) == key


def test_email_key_ignores_case_and_spaces():
    assert email_key("  Kavya.Hegde@Example.IN ") == "kavya.hegde@example.in"


@pytest.mark.parametrize(
    ("a", "b", "similar"),
    [
        (("Kavya", "Hegde"), ("kavya", "HEGDE"), True),  # case
        (("Meera", "D'Souza"), ("Meera", "Dsouza"), True),  # punctuation
        (("José", "Pérez"), ("Jose", "Perez"), True),  # accents
        (("Priya", "Sharma"), ("Pria", "Sharma"), True),  # a letter missing
        (("Priya", "Sharma"), ("Priya", "Shamra"), True),  # two letters swapped
        (("Krish", "Nair"), ("Krishna", "Nair"), True),  # a short form
        (("S", "Rao"), ("Sunita", "Rao"), True),  # an initial
        (("Hegde", "Kavya"), ("Kavya", "Hegde"), True),  # given and family swapped
        (("Ravi", "Rao"), ("Ravi", "Rai"), False),  # a different short family name
        (("Sunita", "Rao"), ("Anita", "Iyer"), False),
        (("Priya", "Sharma"), ("Pooja", "Sharma"), False),  # sisters
        (("S", "Rao"), ("Kavya", "Rao"), False),  # an initial that does not fit
    ],
)
def test_names_similar_tolerates_desk_slips_but_not_other_people(a, b, similar):
    assert names_similar(a[0], a[1], b[0], b[1]) is similar
