"""The body chart's data file, data/body_chart.yaml: its schema, validation and loading.

Pure Python (pydantic + PyYAML, no Django, no database). Positions are in chart units: the figure
is 100 wide and 200 tall; a bilateral point is given once, left of its view's midline, and is
mirrored onto the right when laid out (body_chart.py).
"""

from __future__ import annotations

import functools
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Self

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from acupath.knowledge.domain.catalogue import Catalogue, DatasetHeader

DATA_FILE = Path(__file__).resolve().parent / "data" / "body_chart.yaml"


X = Annotated[float, Field(ge=0, le=100)]
Y = Annotated[float, Field(ge=0, le=200)]
Coord = tuple[X, Y]


class BodyChartError(ValueError):
    """The body chart data file is missing, malformed or names points that do not exist."""


class LabelAt(StrEnum):
    OUT = "out"  # away from the midline (to the right of a midline point)
    IN = "in"
    UP = "up"
    DOWN = "down"


class LabelSides(StrEnum):
    BOTH = "both"
    LEFT = "left"
    RIGHT = "right"


class Side(StrEnum):
    LEFT = "left"
    RIGHT = "right"
    MIDLINE = "midline"


class Symmetry(StrEnum):
    HALF = "half"  # the left half of a symmetric outline, midline to midline
    PAIR = "pair"  # drawn on the left and mirrored onto the right
    SINGLE = "single"


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ShapeRecord(_Record):
    kind: Annotated[str, Field(pattern=r"^[a-z]+$")]  # a CSS class: body, bone, spine, crease
    symmetry: Symmetry
    closed: bool = False
    path: tuple[Coord, ...] = Field(min_length=2)


class ViewRecord(_Record):
    title: Annotated[str, Field(min_length=1)]
    tab: Annotated[str, Field(min_length=1)]  # the short name on the view switch: Back, Front
    patient_left_on: LabelSides = LabelSides.LEFT  # the side of the picture the patient's left is on
    viewbox: tuple[float, float, float, float]
    px_per_unit: Annotated[float, Field(gt=0)]
    midline_x: X = 50
    label_size: Annotated[float, Field(gt=0, le=5)] = 1.8
    figure: tuple[ShapeRecord, ...] = Field(min_length=1)


class ChannelPathRecord(_Record):
    code: Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
    view: str
    name: Annotated[str, Field(min_length=1)]
    bilateral: bool
    path: tuple[Coord, ...] = Field(min_length=2)


class ChartPointRecord(_Record):
    code: Annotated[str, Field(min_length=1)]
    view: str
    x: X
    y: Y
    bilateral: bool
    label: LabelAt = LabelAt.OUT
    label_sides: LabelSides = LabelSides.BOTH
    dx: float = 0.0  # label nudge outwards (to the right for midline points)
    dy: float = 0.0  # label nudge downwards
    more: tuple[Coord, ...] = ()  # further dots of the same point, drawn small and unlabelled


class BodyChartFile(DatasetHeader):
    views: dict[str, ViewRecord] = Field(min_length=1)
    channels: tuple[ChannelPathRecord, ...] = ()
    points: tuple[ChartPointRecord, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        problems = [*self._view_problems(), *self._side_problems()]
        seen: set[str] = set()
        for point in self.points:
            if point.code in seen:  # one place per code, so a page holds one element per point
                problems.append(f"{point.code} is placed twice")
            seen.add(point.code)
        if any(v.patient_left_on == LabelSides.BOTH for v in self.views.values()):
            problems.append("patient_left_on is left or right")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def _view_problems(self) -> list[str]:
        named = [(f"point {p.code}", p.view) for p in self.points] + [
            (f"channel {c.code}", c.view) for c in self.channels
        ]
        return [f"{what} is on view {view!r}, which is not in views" for what, view in named if view not in self.views]

    def _side_problems(self) -> list[str]:
        problems = []
        for point in self.points:
            view = self.views.get(point.view)
            if view is None:
                continue
            if point.bilateral and point.x >= view.midline_x:
                problems.append(f"{point.code}: a bilateral point is given on the left of the picture (x < midline)")
            if not point.bilateral and point.x != view.midline_x:
                problems.append(f"{point.code}: a one-sided point must sit on the midline x = {view.midline_x}")
        return problems


# --- loading --------------------------------------------------------------------------------


def load_body_chart(path: Path | None = None) -> BodyChartFile:
    """Parse and validate the data file (the shipped one is read once per process)."""
    return _load_default() if path is None else _load(Path(path))


@functools.cache
def _load_default() -> BodyChartFile:
    return _load(DATA_FILE)


def _load(path: Path) -> BodyChartFile:
    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BodyChartError(f"{path}: file not found") from None
    except yaml.YAMLError as error:
        raise BodyChartError(f"{path}: not valid YAML: {error}") from None
    try:
        parsed = BodyChartFile.model_validate(data)
    except ValidationError as error:
        raise BodyChartError(f"{path}: {error}") from None
    if parsed.dataset != "body_chart":
        raise BodyChartError(f"{path}: dataset is {parsed.dataset!r}, expected 'body_chart'")
    return parsed


def unknown_codes(chart: BodyChartFile, catalogue: Catalogue) -> list[str]:
    """Codes the chart places that are not WHO-form codes of the catalogue, and unknown channels."""
    problems = [f"point {p.code!r}" for p in chart.points if not catalogue.has_point(p.code)]
    known_channels = {c.code for c in catalogue.channels}
    problems += [f"channel {c.code!r}" for c in chart.channels if c.code not in known_channels]
    return problems
