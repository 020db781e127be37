"""The body chart: the figure, channels and points of data/body_chart.yaml, laid out for drawing.

Pure Python (pydantic + PyYAML, no Django, no database): positions come from the data file, names
and locations from the acupoint catalogue, so drawing the chart costs no query. `chart_layout()`
mirrors bilateral points onto the right side, places each code label beside its dot, and turns
polylines into smooth SVG paths; the template `knowledge/_body_chart.html` only draws the result.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass

from acupath.knowledge import labels
from acupath.knowledge.body_chart_file import (
    BodyChartError,
    BodyChartFile,
    ChartPointRecord,
    LabelAt,
    LabelSides,
    ShapeRecord,
    Side,
    Symmetry,
    ViewRecord,
    load_body_chart,
    unknown_codes,
)
from acupath.knowledge.domain.catalogue import Catalogue, load_catalogue

# Drawn sizes, in chart units (the figure is 200 units tall).
DOT_RADIUS = 0.95
HIT_RADIUS = 1.7  # the touch target: 3.4 units is 25 px at the 7.4 px per unit the chart is drawn at
LABEL_GAP = 1.5  # between a dot's centre and the near edge of its label
CHAR_WIDTH = 0.68  # width of a bold code character (wide fonts), as a fraction of the label size
LEADER_FROM = 4.0  # labels nudged further than this from their dot get a thin leader line


# --- what the template draws ----------------------------------------------------------------


@dataclass(frozen=True)
class Label:
    x: float
    y: float  # baseline
    anchor: str  # SVG text-anchor: start, middle or end
    box: tuple[float, float, float, float]  # left, top, right, bottom (approximate)
    leader: tuple[float, float, float, float] | None  # from the dot's edge to the label


@dataclass(frozen=True)
class Mark:
    """One drawn dot of a point: a bilateral point has one on each side."""

    side: Side
    x: float
    y: float
    label: Label | None
    more: tuple[tuple[float, float], ...]

    @property
    def side_label(self) -> str:
        return {Side.LEFT: "left side", Side.RIGHT: "right side", Side.MIDLINE: "midline"}[self.side]


@dataclass(frozen=True)
class ChartPoint:
    code: str
    pinyin: str
    pinyin_plain: str
    chinese: str
    english: str
    channel: str  # channel code, EX for extra points
    channel_name: str
    location: str
    depth: str
    cautions: tuple[str, ...]  # in plain words
    bilateral: bool
    marks: tuple[Mark, ...]

    @property
    def cautions_json(self) -> str:
        return json.dumps(list(self.cautions), ensure_ascii=False)


@dataclass(frozen=True)
class ChartChannel:
    code: str
    name: str
    paths: tuple[str, ...]  # SVG path data, one per side


@dataclass(frozen=True)
class ChartShape:
    kind: str
    path: str


@dataclass(frozen=True)
class ChartView:
    """One drawing of the body (the back, the front) with its channels and points."""

    view: str
    title: str
    tab: str
    viewbox: str
    width: int  # pixels at the intended size; the page may shrink it
    height: int
    label_size: float
    figure: tuple[ChartShape, ...]
    channels: tuple[ChartChannel, ...]
    points: tuple[ChartPoint, ...]
    legend: tuple[tuple[str, str], ...]  # (channel code, name) for the channels and points drawn
    side_notes: tuple[tuple[float, float, str, str], ...]  # x, y, anchor, text


@dataclass(frozen=True)
class BodyChart:
    """Every view of the chart, the one to open on first."""

    view: str
    views: tuple[ChartView, ...]
    dot_radius: float = DOT_RADIUS
    hit_radius: float = HIT_RADIUS

    def get(self, view: str) -> ChartView:
        return next(v for v in self.views if v.view == view)

    @property
    def points(self) -> tuple[ChartPoint, ...]:
        return tuple(point for view in self.views for point in view.points)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(point.code for point in self.points)


# --- layout ---------------------------------------------------------------------------------


def chart_layout(
    view: str = "posterior", chart: BodyChartFile | None = None, catalogue: Catalogue | None = None
) -> BodyChart:
    """Every view laid out for drawing, `view` first; raises BodyChartError for an unknown view or code."""
    if chart is None and catalogue is None:
        return _default_layout(view)
    return _layout(view, chart or load_body_chart(), catalogue or load_catalogue())


@functools.cache
def _default_layout(view: str) -> BodyChart:
    return _layout(view, load_body_chart(), load_catalogue())


def _layout(first: str, chart: BodyChartFile, catalogue: Catalogue) -> BodyChart:
    if first not in chart.views:
        raise BodyChartError(f"No body chart view {first!r}: the views are {', '.join(chart.views)}")
    if problems := unknown_codes(chart, catalogue):
        raise BodyChartError("The body chart names what the catalogue does not have: " + ", ".join(problems))
    order = [first, *(name for name in chart.views if name != first)]
    return BodyChart(view=first, views=tuple(_view(name, chart, catalogue) for name in order))


def _view(view_name: str, chart: BodyChartFile, catalogue: Catalogue) -> ChartView:
    view = chart.views[view_name]
    mid = view.midline_x
    figure = tuple(ChartShape(s.kind, path) for s in view.figure for path in _shape_paths(s, mid))
    channels = tuple(
        ChartChannel(c.code, c.name, tuple(_smooth(p) for p in _sided(c.path, c.bilateral, mid)))
        for c in chart.channels
        if c.view == view_name
    )
    points = tuple(_point(p, view, catalogue) for p in chart.points if p.view == view_name)
    legend_codes = dict.fromkeys([c.code for c in channels] + [p.channel for p in points])
    legend = tuple((code, _channel_name(code, catalogue)) for code in legend_codes)
    left, top, width, height = view.viewbox
    on_left, on_right = ("Patient's left", "Patient's right")
    if view.patient_left_on == LabelSides.RIGHT:
        on_left, on_right = on_right, on_left
    notes = (
        (left + 1.5, top + 4.5, "start", on_left),
        (left + width - 1.5, top + 4.5, "end", on_right),
    )
    return ChartView(
        view=view_name,
        title=view.title,
        tab=view.tab,
        viewbox=" ".join(_num(v) for v in view.viewbox),
        width=round(width * view.px_per_unit),
        height=round(height * view.px_per_unit),
        label_size=view.label_size,
        figure=figure,
        channels=channels,
        points=points,
        legend=legend,
        side_notes=notes,
    )


def _channel_name(code: str, catalogue: Catalogue) -> str:
    if code == "EX":
        return "Extra points"
    return catalogue.channel(code).name


def _point(record: ChartPointRecord, view: ViewRecord, catalogue: Catalogue) -> ChartPoint:
    facts = catalogue.point(record.code)
    mid = view.midline_x
    if record.bilateral:
        # The record gives the mark on the left of the picture; which side of the patient that is
        # depends on the view (the back view shows the patient's left on the left).
        near, far = (Side.LEFT, Side.RIGHT) if view.patient_left_on == LabelSides.LEFT else (Side.RIGHT, Side.LEFT)
        mirrored = round(2 * mid - record.x, 2)
        sides = [(near, record.x, list(record.more)), (far, mirrored, _mirror(record.more, mid))]
        sides.sort(key=lambda side: side[0] != Side.LEFT)  # the patient's left first, in every view
    else:
        sides = [(Side.MIDLINE, record.x, list(record.more))]
    marks = tuple(
        Mark(
            side=side,
            x=x,
            y=record.y,
            label=_label(record, x, view) if _labelled(record, side) else None,
            more=tuple(more),
        )
        for side, x, more in sides
    )
    depth = facts.depth
    depth_text = f"{_num(depth.min_cm)}–{_num(depth.max_cm)} cm, {depth.angle}" if depth else ""
    if facts.max_safe_depth_cm:
        depth_text += f" (never deeper than {_num(facts.max_safe_depth_cm)} cm)"
    return ChartPoint(
        code=facts.code,
        pinyin=facts.pinyin,
        pinyin_plain=facts.pinyin_plain,
        chinese=facts.chinese,
        english=facts.english,
        channel=facts.channel,
        channel_name=_channel_name(facts.channel, catalogue),
        location=facts.location,
        depth=depth_text,
        cautions=tuple(labels.CAUTIONS.get(str(c), str(c)) for c in facts.cautions or ()),
        bilateral=record.bilateral,
        marks=marks,
    )


def _labelled(record: ChartPointRecord, side: Side) -> bool:
    return record.label_sides == LabelSides.BOTH or side == Side.MIDLINE or record.label_sides.value == side.value


def _label(record: ChartPointRecord, x: float, view: ViewRecord) -> Label:
    """Where the code label of one mark goes: beside the dot, mirrored with the mark."""
    size = view.label_size
    width = len(record.code) * CHAR_WIDTH * size
    outwards = -1.0 if x < view.midline_x else 1.0  # midline points count as right-hand
    dx = record.dx * outwards
    if record.label == LabelAt.OUT:
        direction = outwards
    elif record.label == LabelAt.IN:
        direction = -outwards
    else:
        direction = 0.0
    if direction:
        lx = x + direction * LABEL_GAP + dx
        baseline = record.y + 0.36 * size + record.dy
        anchor = "start" if direction > 0 else "end"
        left = lx if direction > 0 else lx - width
    else:
        lx = x + dx
        above = record.label == LabelAt.UP
        baseline = (record.y - LABEL_GAP + 0.1 * size if above else record.y + LABEL_GAP + 0.75 * size) + record.dy
        anchor = "middle"
        left = lx - width / 2
    box = (left, baseline - 0.75 * size, left + width, baseline + 0.05 * size)
    leader = _leader(x, record.y, box)
    return Label(
        x=round(lx, 2),
        y=round(baseline, 2),
        anchor=anchor,
        box=_rounded(box),
        leader=_rounded(leader) if leader else None,
    )


def _rounded(values: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    a, b, c, d = (round(v, 2) for v in values)
    return (a, b, c, d)


def _leader(x: float, y: float, box: tuple[float, float, float, float]) -> tuple[float, float, float, float] | None:
    """A thin line from the dot to a label that had to be moved well away from it."""
    left, top, right, bottom = box
    nearest_x = min(max(x, left), right)
    nearest_y = min(max(y, top), bottom)
    distance = math.hypot(nearest_x - x, nearest_y - y)
    if distance <= LEADER_FROM:
        return None
    scale = DOT_RADIUS / distance
    return (x + (nearest_x - x) * scale, y + (nearest_y - y) * scale, nearest_x, nearest_y)


def _mirror(points: Sequence[tuple[float, float]], mid: float) -> list[tuple[float, float]]:
    return [(round(2 * mid - x, 2), y) for x, y in points]


def _sided(path: Sequence[tuple[float, float]], bilateral: bool, mid: float) -> list[list[tuple[float, float]]]:
    return [list(path), _mirror(path, mid)] if bilateral else [list(path)]


def _shape_paths(shape: ShapeRecord, mid: float) -> list[str]:
    if shape.symmetry == Symmetry.HALF:
        whole = list(shape.path) + _mirror(list(reversed(shape.path)), mid)[1:-1]
        return [_smooth(whole, closed=shape.closed)]
    return [_smooth(p, closed=shape.closed) for p in _sided(shape.path, shape.symmetry == Symmetry.PAIR, mid)]


def _num(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _smooth(points: Sequence[tuple[float, float]], closed: bool = False) -> str:
    """SVG path data for a smooth curve through `points` (Catmull-Rom turned into cubic Béziers)."""
    pts = list(points)
    if len(pts) < 3:
        return "M" + " L".join(f"{_num(x)} {_num(y)}" for x, y in pts)
    n = len(pts)
    segments = n if closed else n - 1
    parts = [f"M{_num(pts[0][0])} {_num(pts[0][1])}"]
    for i in range(segments):
        p0 = pts[(i - 1) % n] if closed or i > 0 else pts[i]
        p1, p2 = pts[i], pts[(i + 1) % n]
        p3 = pts[(i + 2) % n] if closed or i + 2 < n else p2
        c1 = (p1[0] + (p2[0] - p0[0]) / 6, p1[1] + (p2[1] - p0[1]) / 6)
        c2 = (p2[0] - (p3[0] - p1[0]) / 6, p2[1] - (p3[1] - p1[1]) / 6)
        parts.append(f"C{_num(c1[0])} {_num(c1[1])} {_num(c2[0])} {_num(c2[1])} {_num(p2[0])} {_num(p2[1])}")
    return " ".join(parts) + (" Z" if closed else "")
