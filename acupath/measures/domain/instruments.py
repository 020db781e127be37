"""Outcome instrument definitions, loaded and validated from ``knowledge/data/instruments.yaml``.

Pure Python: no Django. The YAML is the single place where structure, bands, MCIDs, codes and the
UNVERIFIED settings live; this module only gives them types and checks them on load.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any, Literal, TypeVar

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    model_validator,
)

_T = TypeVar("_T", bool, int, str)

DATA_PATH = Path(__file__).resolve().parents[2] / "knowledge" / "data" / "instruments.yaml"


class InstrumentCode(StrEnum):
    NRS = "nrs"
    ODI = "odi"
    RMDQ = "rmdq"
    STARTBACK = "startback"
    PSFS = "psfs"


class Direction(StrEnum):
    HIGHER_IS_WORSE = "higher_is_worse"
    HIGHER_IS_BETTER = "higher_is_better"


class AnswersForm(StrEnum):
    SINGLE = "single"  # one bare value (NRS)
    LIST = "list"  # one value per item, in item order
    ACTIVITIES = "activities"  # patient-named activities, each with a score (PSFS)


class AnswerType(StrEnum):
    INTEGER = "integer"
    BOOLEAN = "boolean"
    CHOICE = "choice"


class UnknownInstrumentError(KeyError):
    """An instrument code that is not in the catalogue."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code

    def __str__(self) -> str:
        known = ", ".join(c.value for c in InstrumentCode)
        return f"unknown instrument {self.code!r}; known instruments: {known}"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Coding(_Model):
    """A code from an external system, shaped like FHIR ``Coding``."""

    system: str
    code: str
    display: str


class RoleCoding(Coding):
    role: Literal["score", "panel", "distress", "risk"]


class ChoiceOption(_Model):
    code: str
    display: str
    points: int


class AnswerSpec(_Model):
    type: AnswerType
    min: int | None = None
    max: int | None = None
    nullable: bool = False
    options: tuple[ChoiceOption, ...] = ()

    @model_validator(mode="after")
    def _check_shape(self) -> AnswerSpec:
        if self.type is AnswerType.INTEGER and (self.min is None or self.max is None or self.min > self.max):
            raise ValueError("an integer answer needs min <= max")
        if self.type is AnswerType.CHOICE and not self.options:
            raise ValueError("a choice answer needs options")
        return self

    def describe(self, *, nullable: bool) -> str:
        """What a valid answer looks like, for error messages."""
        if self.type is AnswerType.INTEGER:
            text = f"an integer {self.min}-{self.max}"
        elif self.type is AnswerType.BOOLEAN:
            text = "true or false"
        else:
            text = "one of " + ", ".join(option.code for option in self.options)
        return f"{text} or null" if nullable else text

    def points_for(self, code: str) -> int:
        return next(option.points for option in self.options if option.code == code)


class Item(_Model):
    number: int
    label: str
    answer: AnswerSpec | None = None  # overrides the instrument's default_answer


class Range(_Model):
    min: float
    max: float


class Mcid(_Model):
    absolute: float | None
    percent: float | None
    unverified: bool
    source: str


class Mdc(_Model):
    """Minimal detectable change: the smallest change beyond measurement error (in score units).

    ``single_activity`` is the PSFS figure for a change on one activity alone (the average of
    several activities is steadier, so its MDC is smaller).
    """

    absolute: float
    single_activity: float | None = None
    unverified: bool
    source: str


class Band(_Model):
    code: str
    display: str
    upper: float  # inclusive upper edge
    snomed: Coding | None = None


class BandScheme(_Model):
    source: str
    unverified: bool
    bands: tuple[Band, ...]

    @model_validator(mode="after")
    def _check_ascending(self) -> BandScheme:
        uppers = [band.upper for band in self.bands]
        if not uppers or uppers != sorted(set(uppers)):
            raise ValueError("band upper edges must be strictly ascending")
        return self

    def band_for(self, value: float) -> Band:
        for band in self.bands:
            if value <= band.upper:
                return band
        return self.bands[-1]


SettingValue = StrictBool | StrictInt | StrictFloat | StrictStr


class Setting(_Model):
    value: SettingValue
    unverified: bool
    note: str


class Activities(_Model):
    min_count: int
    max_count: int
    max_text_length: int


class RiskLevel(_Model):
    code: Literal["low", "medium", "high"]
    system: str
    loinc_answer: str
    display: str


class RiskRule(_Model):
    source: str
    distress_items: tuple[int, ...]
    low_max_total: int
    medium_max_distress: int
    levels: tuple[RiskLevel, ...]


class Instrument(_Model):
    code: InstrumentCode
    short_name: str
    name: str
    version: str
    recall_period: str
    answers_form: AnswersForm
    item_noun: str
    range: Range
    unit: str
    direction: Direction
    default_answer: AnswerSpec
    items: tuple[Item, ...]
    mcid: Mcid | None
    mdc: Mdc | None = None
    codings: tuple[RoleCoding, ...]
    band_schemes: dict[str, BandScheme]
    settings: dict[str, Setting]
    risk_rule: RiskRule | None = None
    activities: Activities | None = None
    text_supplied_by_clinic: bool
    copyright_notice: str | None = None
    display_notice_required: bool = False
    licence_note: str

    @model_validator(mode="after")
    def _check_consistency(self) -> Instrument:
        if [item.number for item in self.items] != list(range(1, len(self.items) + 1)):
            raise ValueError(f"{self.code}: items must be numbered 1..n in order")
        if self.answers_form is AnswersForm.SINGLE and len(self.items) != 1:
            raise ValueError(f"{self.code}: a single-answer instrument has exactly one item")
        if self.answers_form is AnswersForm.LIST and not self.items:
            raise ValueError(f"{self.code}: a list instrument needs items")
        if (self.answers_form is AnswersForm.ACTIVITIES) != (self.activities is not None):
            raise ValueError(f"{self.code}: activities settings go with the activities form only")
        if self.band_schemes and self.setting_str("band_scheme") not in self.band_schemes:
            raise ValueError(f"{self.code}: setting band_scheme must name one of {sorted(self.band_schemes)}")
        return self

    # --- settings -----------------------------------------------------------------------------
    def setting(self, name: str) -> Setting:
        try:
            return self.settings[name]
        except KeyError:
            raise KeyError(f"{self.code}: no setting {name!r}") from None

    def _typed(self, name: str, kind: type[_T]) -> _T:
        value = self.setting(name).value
        # exact type: a bool is not an integer setting
        if not isinstance(value, kind) or type(value) is not kind:
            raise TypeError(f"{self.code}: setting {name!r} is not {kind.__name__}")
        return value

    def setting_int(self, name: str) -> int:
        return self._typed(name, int)

    def setting_str(self, name: str) -> str:
        return self._typed(name, str)

    def setting_bool(self, name: str, *, default: bool | None = None) -> bool:
        if default is not None and name not in self.settings:
            return default
        return self._typed(name, bool)

    def with_settings(self, **values: bool | int | float | str) -> Instrument:
        """A copy with some settings changed (e.g. a clinic's local policy). Types must match."""
        settings = dict(self.settings)
        for name, value in values.items():
            current = self.setting(name)
            if type(value) is not type(current.value):
                raise TypeError(f"{self.code}: setting {name!r} must be {type(current.value).__name__}")
            settings[name] = current.model_copy(update={"value": value})
        data: dict[str, Any] = self.model_dump()
        data["settings"] = {name: setting.model_dump() for name, setting in settings.items()}
        return Instrument.model_validate(data)

    # --- derived views -------------------------------------------------------------------------
    @property
    def active_band_scheme(self) -> BandScheme | None:
        if not self.band_schemes:
            return None
        return self.band_schemes[self.setting_str("band_scheme")]

    def band_for(self, value: float) -> str | None:
        scheme = self.active_band_scheme
        return None if scheme is None else scheme.band_for(value).code

    def answer_spec(self, item: Item) -> AnswerSpec:
        return item.answer or self.default_answer

    def item_name(self, item: Item) -> str:
        """How an item is named to people, e.g. ``ODI section 3 (Lifting)``."""
        return f"{self.short_name} {self.item_noun} {item.number} ({item.label})"

    def coding(self, role: str) -> RoleCoding | None:
        return next((coding for coding in self.codings if coding.role == role), None)


class ResponderRule(_Model):
    combine: Literal["any", "all"]
    source: str


class BaselineRule(_Model):
    """How soon after the initial consultation a first score still belongs to its baseline set."""

    on_time_within_hours: float
    unverified: bool
    note: str


class InstrumentCatalogue(_Model):
    dataset: Literal["instruments"]
    version: int
    source: str
    licence: str
    responder_rule: ResponderRule
    baseline_rule: BaselineRule
    instruments: tuple[Instrument, ...]

    @model_validator(mode="after")
    def _check_codes(self) -> InstrumentCatalogue:
        codes = [instrument.code for instrument in self.instruments]
        if sorted(codes) != sorted(InstrumentCode):
            raise ValueError(f"instruments must be exactly {[c.value for c in InstrumentCode]}, got {codes}")
        for spec in self.instruments:
            # A responder must clear measurement error, so every instrument judged by an MCID
            # needs its minimal detectable change (with its source) in the file.
            if spec.mcid is not None and spec.mcid.absolute is not None and spec.mdc is None:
                raise ValueError(f"{spec.code}: an instrument with an MCID needs its mdc (minimal detectable change)")
        return self

    def get(self, code: str) -> Instrument:
        for candidate in self.instruments:
            if candidate.code == code:
                return candidate
        raise UnknownInstrumentError(code)


@cache
def load_instruments(path: Path = DATA_PATH) -> InstrumentCatalogue:
    """Read and validate the instrument catalogue (cached per path)."""
    with path.open(encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)
    return InstrumentCatalogue.model_validate(raw)


def instrument(code: str) -> Instrument:
    """The shipped definition of one instrument; raises ``UnknownInstrumentError``."""
    return load_instruments().get(code)
