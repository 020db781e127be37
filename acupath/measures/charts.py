"""Outcome charts, drawn by pygal as SVG on the server (no JavaScript build step)."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import pygal
from pygal.style import Style

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
