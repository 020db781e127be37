"""The acupoint catalogue: schema, pure loader and lookups over data/channels.yaml + acupoints.yaml.

Pure Python (pydantic + PyYAML, no Django): the sync service upserts from it and the prescription
and safety engines read it. `load_catalogue()` validates both files against the schema below and
against each other (known channels, channel sizes, contiguous numbering, unique codes and aliases)
and fails with one `CatalogueError` listing every problem, so a bad data release never half-loads.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Any, Self, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, PositiveInt, ValidationError, model_validator

from acupath.knowledge.domain import codes

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
CHANNELS_FILE = "channels.yaml"
POINTS_FILE = "acupoints.yaml"


class Region(StrEnum):
    HEAD = "head"
    FACE = "face"
    NECK = "neck"
    SHOULDER = "shoulder"
    CHEST = "chest"
    UPPER_ABDOMEN = "upper_abdomen"
    LOWER_ABDOMEN = "lower_abdomen"
    UPPER_BACK = "upper_back"
    LUMBAR = "lumbar"
    SACRAL = "sacral"
    BUTTOCK = "buttock"
    ARM = "arm"
    HAND = "hand"
    THIGH = "thigh"
    KNEE = "knee"
    LOWER_LEG = "lower_leg"
    FOOT = "foot"


class Caution(StrEnum):
    THORACIC_PNEUMOTHORAX = "thoracic_pneumothorax"  # over the lung: needs max_safe_depth_cm
    MAJOR_VESSEL = "major_vessel"
    PREGNANCY_FORBIDDEN = "pregnancy_forbidden"  # traditional list, clinical reference 5.1
    HYPOTENSION_SYNCOPE = "hypotension_syncope"  # WHO 1999 section 3.3 (LR3)
    EYE_ORBIT = "eye_orbit"
    SPINAL_CORD = "spinal_cord"
    ABDOMINAL_ORGANS = "abdominal_organs"


class Tag(StrEnum):
    LOCAL_LUMBAR = "local_lumbar"
    LOCAL_SACRAL = "local_sacral"
    LOCAL_THORACIC = "local_thoracic"
    LOCAL_BUTTOCK = "local_buttock"
    DISTAL_BLADDER = "distal_bladder"
    DISTAL_GALLBLADDER = "distal_gallbladder"
    DISTAL_GENERAL = "distal_general"
    MIDLINE_GOVERNOR = "midline_governor"
    ACUTE_SPRAIN = "acute_sprain"
    PATTERN_KIDNEY_DEFICIENCY = "pattern_kidney_deficiency"
    PATTERN_COLD_DAMP = "pattern_cold_damp"
    PATTERN_BLOOD_STASIS = "pattern_blood_stasis"
    PATTERN_QI_STAGNATION = "pattern_qi_stagnation"
    CALMING = "calming"


class Angle(StrEnum):
    PERPENDICULAR = "perpendicular"
    OBLIQUE = "oblique"
    TRANSVERSE = "transverse"


class ExtraRegion(StrEnum):
    """WHO 1991 extra-point regions (EX-HN3 ...), in the order extra points are listed."""

    HN = "HN"  # head and neck
    CA = "CA"  # chest and abdomen
    B = "B"  # back
    UE = "UE"  # upper extremity
    LE = "LE"  # lower extremity


class CatalogueError(ValueError):
    """The data files are missing, malformed, or inconsistent; the message lists every problem."""


def strip_tones(text: str) -> str:
    """Pinyin without tone marks (and ü as u), for search: "Zhōnglǚshù" -> "Zhonglushu"."""
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return unicodedata.normalize("NFC", bare)


_Text = Annotated[str, Field(min_length=1)]
_ChannelCode = Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
_Centimetres = Annotated[float, Field(gt=0, le=15)]
_EXTRA_CODE = re.compile(r"EX-(HN|CA|B|UE|LE)([1-9][0-9]*)")
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader when libyaml exists


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DatasetHeader(_Record):
    dataset: _Text
    version: PositiveInt
    source: _Text
    licence: _Text
    notes: str | None = None


class ChannelRecord(_Record):
    code: _ChannelCode
    name: _Text
    pinyin: _Text
    chinese: _Text
    point_count: PositiveInt
    aliases: tuple[_Text, ...] = ()

    @model_validator(mode="after")
    def _not_the_extra_prefix(self) -> Self:
        if self.code == codes.EXTRA_PREFIX:
            raise ValueError("EX is reserved for extra points and cannot be a channel code")
        return self


class Depth(_Record):
    min_cm: _Centimetres
    max_cm: _Centimetres
    angle: Angle

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.min_cm > self.max_cm:
            raise ValueError(f"depth min_cm {self.min_cm} is greater than max_cm {self.max_cm}")
        return self


class PointRecord(_Record):
    code: _Text
    channel: _ChannelCode
    number: PositiveInt
    pinyin: _Text
    chinese: _Text
    english: _Text
    region: Region
    location: _Text
    aliases: tuple[_Text, ...] = ()
    depth: Depth | None = None
    max_safe_depth_cm: _Centimetres | None = None
    cautions: tuple[Caution, ...] | None = None  # None: not assessed; (): assessed, none apply
    # Cautions that hold only where a multi-level point is needled at that region (EX-B2 Jiaji
    # overlies the lung at thoracic levels only).
    level_cautions: Mapping[Region, tuple[Caution, ...]] = Field(default_factory=dict)
    tags: tuple[Tag, ...] | None = None

    @property
    def is_extra(self) -> bool:
        return self.channel == codes.EXTRA_PREFIX

    @property
    def pinyin_plain(self) -> str:
        return strip_tones(self.pinyin)

    @property
    def extra_region(self) -> ExtraRegion | None:
        match = _EXTRA_CODE.fullmatch(self.code)
        return ExtraRegion(match.group(1)) if match else None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        problems = [*self._code_problems(), *self._detail_problems()]
        if problems:
            raise ValueError(f"{self.code}: " + "; ".join(problems))
        return self

    def _code_problems(self) -> list[str]:
        if self.is_extra:
            match = _EXTRA_CODE.fullmatch(self.code)
            if match is None:
                return [f"extra point code {self.code!r} is not of the form EX-<HN|CA|B|UE|LE><n>"]
            if int(match.group(2)) != self.number:
                return [f"code {self.code!r} disagrees with number {self.number}"]
            return []
        expected = f"{self.channel}{self.number}"
        if self.code != expected:
            return [f"code {self.code!r} disagrees with channel {self.channel} and number {self.number}"]
        return []

    def _detail_problems(self) -> list[str]:
        problems = []
        for name, values in (("cautions", self.cautions), ("tags", self.tags)):
            if values is not None and len(set(values)) != len(values):
                problems.append(f"{name} repeat a value")
        every = {*(self.cautions or ()), *(c for cs in self.level_cautions.values() for c in cs)}
        for depth_caution in (Caution.THORACIC_PNEUMOTHORAX, Caution.SPINAL_CORD):
            if depth_caution in every and not self.max_safe_depth_cm:
                problems.append(f"{depth_caution.value} needs a max_safe_depth_cm")
        if self.depth and self.max_safe_depth_cm and self.depth.max_cm > self.max_safe_depth_cm:
            problems.append(f"depth max_cm {self.depth.max_cm} exceeds max_safe_depth_cm {self.max_safe_depth_cm}")
        if self.tags is not None and (self.depth is None or self.cautions is None):
            problems.append("a point with treatment tags also needs depth and cautions")
        return problems


class ChannelsFile(DatasetHeader):
    channels: tuple[ChannelRecord, ...] = Field(min_length=1)


class PointsFile(DatasetHeader):
    points: tuple[PointRecord, ...] = Field(min_length=1)


@dataclass(frozen=True)
class Catalogue:
    """Channels in WHO order and points (channel points in channel order, then extra points)."""

    header: DatasetHeader  # acupoints.yaml
    channels_header: DatasetHeader  # channels.yaml
    channels: tuple[ChannelRecord, ...]
    points: tuple[PointRecord, ...]
    _prefixes: Mapping[str, str]  # compacted channel code or alias -> channel code
    _by_code: Mapping[str, PointRecord]
    _by_channel: Mapping[str, tuple[PointRecord, ...]]  # channel code (or EX) -> points
    _aliases: Mapping[str, str]  # canonical alias ("GV29") -> WHO code ("EX-HN3")

    def point(self, code: str) -> PointRecord:
        """The point for any spelling of its code; raises codes.UnknownPointCode otherwise."""
        if codes.is_ashi(code):
            raise codes.UnknownPointCode([code], "Ashi points are recorded by body location, not in the catalogue")
        return self._by_code[codes.normalise_code(code, self)]

    def channel(self, code: str) -> ChannelRecord:
        """The channel for a code or legacy alias ("BL", "ub"); raises KeyError if unknown."""
        channel_code = self.channel_for_prefix(code)
        for channel in self.channels:
            if channel.code == channel_code:
                return channel
        raise KeyError(f"Unknown channel code {code!r}")

    def channel_points(self, channel_code: str) -> tuple[PointRecord, ...]:
        """Points of one channel in order (aliases accepted); "EX" gives the extra points."""
        if codes.compact(channel_code) == codes.EXTRA_PREFIX:
            return self.extra_points()
        return self._by_channel[self.channel(channel_code).code]

    def extra_points(self) -> tuple[PointRecord, ...]:
        return self._by_channel.get(codes.EXTRA_PREFIX, ())

    def who_channel_point_count(self) -> int:
        """Points on the 14 channels (361 for the WHO standard); extra points excluded."""
        return sum(1 for point in self.points if not point.is_extra)

    def is_ashi(self, code: str) -> bool:
        """True when `code` is the Ashi pseudo-code: a tender point, not a numbered point."""
        return codes.is_ashi(code)

    # --- what codes.normalise_code needs (codes.CodeIndex) ---------------------------------
    def channel_for_prefix(self, prefix: str) -> str | None:
        return self._prefixes.get(codes.compact(prefix))

    def channel_size(self, channel_code: str) -> int:
        return len(self._by_channel.get(channel_code, ()))

    def has_point(self, who_code: str) -> bool:
        return who_code in self._by_code

    def alias_target(self, canonical: str) -> str | None:
        return self._aliases.get(canonical)


def load_catalogue(data_dir: Path | None = None) -> Catalogue:
    """Load and validate the catalogue; the shipped data directory is read once per process."""
    return _load_default() if data_dir is None else _load(Path(data_dir))


@functools.cache
def _load_default() -> Catalogue:
    return _load(DATA_DIR)


def _load(data_dir: Path) -> Catalogue:
    channels_file = _parse(data_dir / CHANNELS_FILE, ChannelsFile, "channels")
    points_file = _parse(data_dir / POINTS_FILE, PointsFile, "acupoints")
    return _assemble(channels_file, points_file, data_dir)


_File = TypeVar("_File", ChannelsFile, PointsFile)


def _parse(path: Path, model: type[_File], dataset: str) -> _File:
    try:
        data: Any = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER)  # noqa: S506
    except FileNotFoundError:
        raise CatalogueError(f"{path}: file not found") from None
    except yaml.YAMLError as error:
        raise CatalogueError(f"{path}: not valid YAML: {error}") from None
    if not isinstance(data, dict):
        raise CatalogueError(f"{path}: expected a mapping with a header and records")
    try:
        parsed = model.model_validate(data)
    except ValidationError as error:
        raise CatalogueError(_report(path, _describe(error, data))) from None
    if parsed.dataset != dataset:
        raise CatalogueError(f"{path}: dataset is {parsed.dataset!r}, expected {dataset!r}")
    return parsed


def _describe(error: ValidationError, data: Any) -> list[str]:
    """Pydantic errors as "points[12] (BL13).region: Input should be ... (got 'lumbarr')"."""
    problems = []
    for item in error.errors():
        where, node = "", data
        for key in item["loc"]:
            if isinstance(key, int) and isinstance(node, list) and key < len(node):
                node = node[key]
                label = node.get("code") if isinstance(node, dict) else None
                where += f"[{key}]" + (f" ({label})" if label else "")
            else:
                node = node.get(key) if isinstance(node, dict) else None
                where += f".{key}" if where else str(key)
        message = item["msg"]
        given = item.get("input")
        if item["type"] != "value_error" and not isinstance(given, dict | list):
            message += f" (got {given!r})"
        problems.append(f"{where or 'file'}: {message}")
    return problems


def _report(where: Path, problems: list[str]) -> str:
    return f"Invalid acupoint catalogue data in {where}:\n" + "\n".join(f"- {p}" for p in problems)


def _assemble(channels_file: ChannelsFile, points_file: PointsFile, data_dir: Path) -> Catalogue:
    problems: list[str] = []
    prefixes = codes.prefix_index([(c.code, c.aliases) for c in channels_file.channels], problems)
    order = {channel.code: index for index, channel in enumerate(channels_file.channels)}

    by_code: dict[str, PointRecord] = {}
    grouped: defaultdict[str, list[PointRecord]] = defaultdict(list)
    for point in points_file.points:
        if point.code in by_code:
            problems.append(f"duplicate point code {point.code!r}")
            continue
        if not point.is_extra and point.channel not in order:
            problems.append(f"{point.code}: unknown channel {point.channel!r}")
        by_code[point.code] = point
        grouped[point.channel].append(point)

    for channel in channels_file.channels:
        _check_numbering(channel, grouped.get(channel.code, []), problems)
    aliases = codes.alias_index([(p.code, p.aliases) for p in points_file.points], prefixes, by_code, problems)
    if problems:
        raise CatalogueError(_report(data_dir, problems))

    by_channel = {channel: tuple(sorted(points, key=_position)) for channel, points in grouped.items()}
    ordered = [*(c.code for c in channels_file.channels), codes.EXTRA_PREFIX]
    return Catalogue(
        header=_header_of(points_file),
        channels_header=_header_of(channels_file),
        channels=channels_file.channels,
        points=tuple(point for channel in ordered for point in by_channel.get(channel, ())),
        _prefixes=MappingProxyType(prefixes),
        _by_code=MappingProxyType(by_code),
        _by_channel=MappingProxyType(by_channel),
        _aliases=MappingProxyType(aliases),
    )


def _position(point: PointRecord) -> tuple[int, int]:
    """Sort key within a channel: the number; extra points first by WHO region (HN, CA, B, UE, LE)."""
    region = point.extra_region
    return (list(ExtraRegion).index(region) if region else 0, point.number)


def _header_of(parsed: DatasetHeader) -> DatasetHeader:
    return DatasetHeader.model_validate(parsed.model_dump(include=set(DatasetHeader.model_fields)))


def _check_numbering(channel: ChannelRecord, points: list[PointRecord], problems: list[str]) -> None:
    numbers = {point.number for point in points}
    expected = set(range(1, channel.point_count + 1))
    if numbers == expected and len(points) == channel.point_count:
        return
    detail = [f"channel {channel.code}: point_count is {channel.point_count} but {len(points)} points are listed"]
    if missing := sorted(expected - numbers):
        detail.append("missing " + ", ".join(f"{channel.code}{n}" for n in missing))
    if beyond := sorted(numbers - expected):
        detail.append("beyond the count " + ", ".join(f"{channel.code}{n}" for n in beyond))
    problems.append("; ".join(detail))
