"""Outcome charts, drawn by pygal as SVG on the server (no JavaScript build step)."""

import datetime as dt
import functools
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ParamSpec

import pygal
from django.core.cache import cache
from pygal.style import Style

P = ParamSpec("P")
CHART_CACHE_SECONDS = 6 * 3600  # a working day: charts are reopened during a course

STYLE = Style(
    background="transparent",
    plot_background="#ffffff",
    foreground="#1d2a2e",
    foreground_strong="#1d2a2e",
    foreground_subtle="#c9c5ba",
    colors=("#2d6a65", "#c2762b", "#7a8a8f", "#a8231b"),
    font_family="Inter, Segoe UI, system-ui, sans-serif",
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=14,
    title_font_size=16,
    value_font_size=12,
    tooltip_font_size=13,
)


@dataclass(frozen=True)
class Reading:
    at: dt.datetime
    value: float
    label: str = ""


def date_ticks(times: Sequence[dt.datetime], count: int = 6) -> list[dt.datetime]:
    """Evenly spaced axis labels across the data, at least a day apart, so labels never pile up."""
    if not times:
        return []
    first, last = times[0], max(times[-1], times[0] + dt.timedelta(days=1))
    step = max((last - first) / (count - 1), dt.timedelta(days=1))
    ticks = []
    t = first
    while t <= last + dt.timedelta(seconds=1):
        ticks.append(t)
        t += step
    return ticks


def outcome_chart_svg(
    *,
    title: str,
    series: Sequence[tuple[str, Sequence[Reading]]],
    y_range: tuple[float, float],
    threshold: tuple[str, float] | None = None,
    session_marks: Sequence[dt.datetime] = (),
    tz: dt.tzinfo | None = None,
) -> str:
    """A time chart of one instrument: each series a line, an optional threshold line
    (e.g. the MCID target), and treatment sessions as markers along the bottom."""
    all_times = sorted([r.at for _, readings in series for r in readings] + list(session_marks))
    chart = pygal.DateTimeLine(
        style=STYLE,
        title=title,
        height=320,
        width=900,
        range=y_range,
        show_dots=True,
        dots_size=4,
        stroke_style={"width": 2.5},
        x_label_rotation=0,
        truncate_label=-1,
        legend_at_bottom=True,
        legend_at_bottom_columns=4,
        x_value_formatter=lambda d: d.astimezone(tz).strftime("%d %b %Y") if tz else d.strftime("%d %b %Y"),
        x_labels=date_ticks(all_times),
        truncate_legend=-1,
        disable_xml_declaration=True,
        js=(),
    )
    for name, readings in series:
        chart.add(name, [{"value": (r.at, r.value), "label": r.label} for r in readings])
    if threshold and all_times:
        label, value = threshold
        chart.add(
            label,
            [(min(all_times), value), (max(all_times), value)],
            show_dots=False,
            stroke_style={"width": 2, "dasharray": "6, 6"},
        )
    if session_marks:
        chart.add(
            "Treatment sessions",
            [(t, y_range[0]) for t in session_marks],
            stroke=False,
            dots_size=3,
        )
    return str(chart.render(is_unicode=True))


# --- one chart per instrument (the patient page's outcome charts) ------------------------------

SCORE_COLOUR = "#2d6a65"
THRESHOLD_COLOUR = "#c2762b"
SESSION_COLOUR = "#8a9a9f"

INSTRUMENT_STYLE = Style(
    background="transparent",
    plot_background="#ffffff",
    foreground="#1d2a2e",
    foreground_strong="#1d2a2e",
    foreground_subtle="#e4e1d8",
    colors=(SCORE_COLOUR, THRESHOLD_COLOUR, SESSION_COLOUR),
    font_family="Inter, Segoe UI, system-ui, sans-serif",
    label_font_size=14,
    major_label_font_size=14,
    legend_font_size=15,
    title_font_size=17,
    value_font_size=13,
    value_label_font_size=13,
    tooltip_font_size=13,
)


# pygal's own stylesheet gives every line a 1px stroke and black guides, with id selectors; these
# rules (scoped to our charts' class) make the score line bold and the guides quiet.
_OUTCOME_CSS = """
.acupath-outcome .serie-0 .line { stroke-width: 3px !important; stroke-opacity: 1 !important; }
.acupath-outcome .serie-1 .line { stroke-width: 2.5px !important; stroke-opacity: 1 !important;
  stroke-dasharray: 9, 6 !important; }
.acupath-outcome .serie-2 .line { stroke-width: 2.5px !important; stroke-opacity: .9 !important; }
.acupath-outcome .axis .guide.line { stroke: #e4e1d8 !important; stroke-dasharray: none !important; }
.acupath-outcome .axis.x .line { stroke: #8a9a9f !important; }
.acupath-outcome .text-overlay text.value { font-weight: 600; }
"""


@dataclass(frozen=True)
class Segment:
    """A horizontal line from ``start`` to ``end`` at ``level`` (one episode's MCID target)."""

    start: dt.datetime
    end: dt.datetime
    level: float


def _remembered(draw: Callable[P, str]) -> Callable[P, str]:
    """`draw`, remembered in this process by a digest of its inputs.

    Drawing is most of a chart page's time and a practitioner reopens the same chart often; the
    key covers everything drawn, so a new score or session is a new key, never a stale chart.
    """

    @functools.wraps(draw)
    def remembered(*args: P.args, **kwargs: P.kwargs) -> str:
        digest = hashlib.sha256(repr((draw.__name__, args, sorted(kwargs.items()))).encode()).hexdigest()
        key = f"outcome-svg:{digest}"
        svg = cache.get(key)
        if svg is None:
            svg = draw(*args, **kwargs)
            cache.set(key, svg, timeout=CHART_CACHE_SECONDS)
        return str(svg)

    return remembered


def _instrument_svg(
    *,
    readings: Sequence[Reading],
    y_range: tuple[float, float],
    y_labels: Sequence[float],
    score_label: str,
    threshold_label: str = "",
    thresholds: Sequence[Segment] = (),
    session_marks: Sequence[dt.datetime] = (),
    tz: dt.tzinfo | None = None,
) -> str:
    """One instrument over time: its scores as a line with the value printed at each dot, the
    MCID target of each episode as a dashed line, and treatment sessions as short ticks rising
    from the time axis (a rug), so sessions are visible without being mistaken for scores.
    Series order (and so colour) is fixed: scores, target, sessions; the key is drawn by the page."""
    times = sorted([r.at for r in readings] + list(session_marks))
    low, high = y_range
    tick = (high - low) * 0.06
    chart = pygal.DateTimeLine(
        style=INSTRUMENT_STYLE,
        height=280,
        width=920,
        range=y_range,
        y_labels=list(y_labels),
        show_dots=True,
        dots_size=5,
        stroke_style={"width": 3},
        allow_interruptions=True,
        print_values=True,
        print_values_position="top",
        x_label_rotation=0,
        truncate_label=-1,
        show_legend=False,  # the page draws the key in HTML, where it can wrap on a narrow screen
        margin=12,
        margin_right=36,
        show_x_guides=False,
        classes=["pygal-chart", "acupath-outcome"],
        css=["file://style.css", "file://graph.css", "inline:" + _OUTCOME_CSS],
        x_value_formatter=lambda d: d.astimezone(tz).strftime("%d %b %y") if tz else d.strftime("%d %b %y"),
        x_labels=date_ticks(times, count=6),
        disable_xml_declaration=True,
        js=(),
    )
    chart.add(
        score_label,
        [{"value": (r.at, r.value), "label": r.label} for r in readings],
        formatter=lambda xy: f"{xy[1]:g}",
    )
    if thresholds:
        points: list[tuple[dt.datetime, float | None]] = []
        for segment in thresholds:
            points += [(segment.start, segment.level), (segment.end, segment.level), (segment.end, None)]
        chart.add(
            threshold_label,
            points,
            show_dots=False,
            print_values=False,
            stroke_style={"width": 2.5, "dasharray": "8, 6"},
        )
    if session_marks:
        rug: list[tuple[dt.datetime, float | None]] = []
        for t in session_marks:
            rug += [(t, low), (t, low + tick), (t, None)]
        chart.add(
            f"Treatment session ({len(session_marks)})",
            rug,
            show_dots=False,
            print_values=False,
            stroke_style={"width": 2},
        )
    return str(chart.render(is_unicode=True))


instrument_chart_svg = _remembered(_instrument_svg)


def chart_draw_once() -> str:
    """Draw a small chart, not remembered: warms pygal in a server process before its first page."""
    start = dt.datetime(2026, 1, 5, tzinfo=dt.UTC)
    readings = [Reading(start, 6), Reading(start + dt.timedelta(days=14), 3)]
    return _instrument_svg(
        readings=readings, y_range=(0, 10), y_labels=[0, 5, 10], score_label="Pain", session_marks=[start]
    )
