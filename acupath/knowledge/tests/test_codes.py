"""Point-code normalisation: every common spelling to the WHO code, unknown codes loudly refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from acupath.knowledge.domain.catalogue import load_catalogue
from acupath.knowledge.domain.codes import (
    ASHI,
    UnknownPointCode,
    is_ashi,
    normalise_code,
    normalise_codes,
)
from acupath.knowledge.tests.test_catalogue_data import minimal_data, write_catalogue

CATALOGUE = load_catalogue()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("BL23", "BL23"),
        ("bl-23", "BL23"),
        ("BL 23", "BL23"),
        ("bl_23", "BL23"),
        (" UB23 ", "BL23"),
        ("B23", "BL23"),
        ("BL023", "BL23"),
        ("BL\u201323", "BL23"),  # en dash from a word processor
        ("SJ5", "TE5"),
        ("TH5", "TE5"),
        ("TW5", "TE5"),
        ("te-5", "TE5"),
        ("TE15", "TE15"),
        ("LIV3", "LR3"),
        ("LV3", "LR3"),
        ("Liv3", "LR3"),
        ("Liv 3", "LR3"),
        ("Du4", "GV4"),
        ("DU-20", "GV20"),
        ("Ren4", "CV4"),
        ("K3", "KI3"),
        ("KID3", "KI3"),
        ("Kid-7", "KI7"),
        ("P6", "PC6"),
        ("HC6", "PC6"),
        ("HP6", "PC6"),
        ("H7", "HT7"),
        ("HE7", "HT7"),
        ("L.I.4", "LI4"),
        ("LI4", "LI4"),
        ("Lu7", "LU7"),
        ("St36", "ST36"),
        ("Sp6", "SP6"),
        ("GB30", "GB30"),
        ("GV29", "EX-HN3"),
        ("gv 29", "EX-HN3"),
        ("Du29", "EX-HN3"),
        ("EX-HN3", "EX-HN3"),
        ("ex-b2", "EX-B2"),
        ("EXB2", "EX-B2"),
        ("EX B2", "EX-B2"),
        ("ex-ue7", "EX-UE7"),
        ("ashi", ASHI),
        ("Ashi", ASHI),
        ("A-shi", ASHI),
    ],
)
def test_spellings_normalise_to_the_who_code(raw: str, expected: str) -> None:
    assert normalise_code(raw) == expected
    assert normalise_code(raw, CATALOGUE) == expected


@pytest.mark.parametrize(
    "raw",
    ["XY99", "BL68", "LU12", "LU0", "GV30", "", "   ", "BL", "23", "EX-B99", "EX-ZZ1", "BL23x"],
)
def test_unknown_codes_raise_naming_the_code_as_typed(raw: str) -> None:
    with pytest.raises(UnknownPointCode) as raised:
        normalise_code(raw)
    assert repr(raw) in str(raised.value)
    assert str(raised.value).startswith("Unknown acupuncture point code")
    assert raised.value.codes == (raw,)


def test_out_of_range_code_says_how_far_the_channel_runs() -> None:
    with pytest.raises(UnknownPointCode, match="channel BL has points BL1 to BL67"):
        normalise_code("UB68")


def test_unknown_point_code_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="'XY99'"):
        normalise_code("XY99")


def test_normalise_codes_keeps_order() -> None:
    assert normalise_codes(["ub23", "Du4", "ashi", "GV29", "LIV3"]) == [
        "BL23", "GV4", ASHI, "EX-HN3", "LR3",
    ]  # fmt: skip


def test_normalise_codes_names_every_unknown_code_at_once() -> None:
    with pytest.raises(UnknownPointCode) as raised:
        normalise_codes(["BL23", "XY99", "lu7", "BL68", ""])
    message = str(raised.value)
    assert raised.value.codes == ("XY99", "BL68", "")
    assert message.startswith("Unknown acupuncture point codes")
    for typed in ("'XY99'", "'BL68'", "''"):
        assert typed in message
    assert "'lu7'" not in message


def test_ashi_is_a_pseudo_code_not_a_numbered_point() -> None:
    assert is_ashi("Ashi")
    assert CATALOGUE.is_ashi("ashi")
    assert not CATALOGUE.is_ashi("BL23")
    with pytest.raises(UnknownPointCode, match="recorded by body location"):
        CATALOGUE.point("Ashi")


def test_catalogue_lookups_accept_any_spelling() -> None:
    assert CATALOGUE.point("UB23").code == "BL23"
    assert CATALOGUE.point("sj 15").pinyin_plain == "Tianliao"
    assert CATALOGUE.channel("Liv").code == "LR"
    assert len(CATALOGUE.channel_points("SJ")) == 23
    with pytest.raises(KeyError, match="'XX'"):
        CATALOGUE.channel("XX")


def test_aliases_come_from_the_data_files_not_the_code(tmp_path: Path) -> None:
    channels, points = minimal_data()
    channels["channels"][1]["aliases"] = ["XB"]  # BL known only as XB in this data set
    catalogue = load_catalogue(write_catalogue(tmp_path, channels, points))
    assert normalise_code("xb-1", catalogue) == "BL1"
    assert normalise_code("du 29", catalogue) == "EX-HN3"
    with pytest.raises(UnknownPointCode, match="'UB1'"):
        normalise_code("UB1", catalogue)
