"""TCM patterns relevant to low back pain, coded with ICD-11 TM1.

Data: ``knowledge/data/tcm_patterns.yaml``.

A pattern is recorded alongside a conventional diagnosis, never instead of one.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, model_validator

DATA_PATH = Path(__file__).resolve().parents[2] / "knowledge" / "data" / "tcm_patterns.yaml"
ICD11_MMS = "http://id.who.int/icd/release/11/mms"
_SNAKE_CASE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
_TM1_CODE = re.compile(r"^S[A-Z0-9]{3}$")  # TM1 codes live in the S block (SE.., SF.., SG..)


class UnknownPatternError(KeyError):
    """A TCM pattern code that is not in the catalogue."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code

    def __str__(self) -> str:
        return f"unknown TCM pattern {self.code!r}"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Coding(_Model):
    """A code from an external system, shaped like FHIR ``Coding``."""

    system: str
    code: str
    display: str


class TcmPattern(_Model):
    code: str
    display: str
    group: Literal["environmental", "qi_blood", "kidney", "meridian"]
    codings: tuple[Coding, ...]

    @model_validator(mode="after")
    def _check(self) -> TcmPattern:
        if not _SNAKE_CASE.match(self.code):
            raise ValueError(f"pattern code {self.code!r} must be snake_case")
        if not self.codings:
            raise ValueError(f"{self.code}: at least one ICD-11 coding is needed")
        for coding in self.codings:
            if coding.system != ICD11_MMS or not _TM1_CODE.match(coding.code):
                raise ValueError(f"{self.code}: {coding.code!r} is not an ICD-11 TM1 code in {ICD11_MMS}")
        return self


class PatternCatalogue(_Model):
    dataset: Literal["tcm_patterns"]
    version: int
    source: str
    licence: str
    system: Literal["http://id.who.int/icd/release/11/mms"]
    patterns: tuple[TcmPattern, ...]

    @model_validator(mode="after")
    def _check_unique(self) -> PatternCatalogue:
        codes = [item.code for item in self.patterns]
        if len(set(codes)) != len(codes):
            raise ValueError("TCM pattern codes must be unique")
        return self

    def get(self, code: str) -> TcmPattern:
        for candidate in self.patterns:
            if candidate.code == code:
                return candidate
        raise UnknownPatternError(code)


@cache
def load_pattern_catalogue(path: Path = DATA_PATH) -> PatternCatalogue:
    """Read and validate the pattern file, header included (cached per path)."""
    with path.open(encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)
    return PatternCatalogue.model_validate(raw)


def load_patterns() -> tuple[TcmPattern, ...]:
    """Every pattern, in file order."""
    return load_pattern_catalogue().patterns


def pattern(code: str) -> TcmPattern:
    """One pattern by our code; raises ``UnknownPatternError`` (a ``KeyError``) naming the code."""
    return load_pattern_catalogue().get(code)
