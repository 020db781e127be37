"""TCM patterns: the catalogue file, its ICD-11 TM1 codings and the checks that guard it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from acupath.intake.domain.patterns import (
    DATA_PATH,
    ICD11_MMS,
    PatternCatalogue,
    UnknownPatternError,
    load_pattern_catalogue,
    load_patterns,
    pattern,
)


def raw() -> dict:
    with DATA_PATH.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def test_catalogue_has_its_header_and_patterns() -> None:
    catalogue = load_pattern_catalogue()
    assert catalogue.dataset == "tcm_patterns"
    assert isinstance(catalogue.version, int)
    assert catalogue.source and catalogue.licence
    assert catalogue.system == ICD11_MMS
    assert len(load_patterns()) >= 5


def test_every_pattern_is_coded_in_icd11_tm1() -> None:
    for p in load_patterns():
        assert p.codings, p.code
        for coding in p.codings:
            assert coding.system == ICD11_MMS
            assert coding.code.startswith(("SE", "SF", "SG")), coding.code


@pytest.mark.parametrize(
    ("code", "tm1"),
    [
        ("blood_stasis", ["SF01"]),
        ("qi_stagnation", ["SE91"]),
        ("kidney_yang_deficiency", ["SF97"]),
        ("kidney_yin_deficiency", ["SF93"]),
        ("kidney_qi_deficiency", ["SF90"]),
        # No combined cold-damp code in the source list: cold factor + dampness factor.
        ("cold_damp", ["SE81", "SE82"]),
    ],
)
def test_pattern_codes_match_the_reference(code: str, tm1: list[str]) -> None:
    assert [c.code for c in pattern(code).codings] == tm1


def test_unknown_pattern_is_named() -> None:
    with pytest.raises(UnknownPatternError) as caught:
        pattern("wind_heat_invasion")
    assert "wind_heat_invasion" in str(caught.value)
    assert isinstance(caught.value, KeyError)


def test_pattern_codes_are_unique_and_snake_case() -> None:
    codes = [p.code for p in load_patterns()]
    assert len(codes) == len(set(codes))
    assert all(code == code.lower() and " " not in code for code in codes)


def _broken(**change: object) -> dict:
    data = raw()
    data["patterns"] = [dict(data["patterns"][0], **change), *data["patterns"][1:]]
    return data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"code": "Cold Damp"}, "snake_case"),
        ({"codings": []}, "at least one ICD-11 coding"),
        ({"codings": [{"system": ICD11_MMS, "code": "ME84.2", "display": "Low back pain"}]}, "not an ICD-11 TM1"),
        ({"codings": [{"system": "http://snomed.info/sct", "code": "SE81", "display": "x"}]}, "not an ICD-11 TM1"),
        ({"group": "liver"}, "group"),
        ({"extra": 1}, "extra"),
    ],
)
def test_a_broken_pattern_file_is_refused_on_load(change: dict, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        PatternCatalogue.model_validate(_broken(**change))


def test_duplicate_pattern_codes_are_refused() -> None:
    data = raw()
    data["patterns"] = [*data["patterns"], data["patterns"][0]]
    with pytest.raises(ValidationError, match="unique"):
        PatternCatalogue.model_validate(data)


def test_loader_reads_another_file(tmp_path: Path) -> None:
    data = raw()
    data["patterns"] = data["patterns"][:1]
    path = tmp_path / "patterns.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    assert [p.code for p in load_pattern_catalogue(path).patterns] == [data["patterns"][0]["code"]]
