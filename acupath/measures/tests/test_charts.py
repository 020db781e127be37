import datetime as dt
from zoneinfo import ZoneInfo

import pygal

from acupath.measures import charts
from acupath.measures.charts import Reading, instrument_chart_svg

ZONE = ZoneInfo("Asia/Kolkata")


def _draw(readings, marks=()):
    return instrument_chart_svg(
        readings=readings, y_range=(0, 10), y_labels=[0, 5, 10], score_label="Pain", session_marks=marks, tz=ZONE
    )


def test_a_chart_is_drawn_once_per_content_and_again_when_the_content_changes(monkeypatch):
    drawn = []

    class Counting(pygal.DateTimeLine):
        def render(self, *args, **kwargs):
            drawn.append(self)
            return super().render(*args, **kwargs)

    monkeypatch.setattr(charts.pygal, "DateTimeLine", Counting)
    start = dt.datetime(2026, 3, 2, 10, tzinfo=ZONE)
    readings = [Reading(start, 7), Reading(start + dt.timedelta(days=14), 4)]

    first = _draw(readings)
    assert _draw(list(readings)) == first and len(drawn) == 1
    # A new score, a changed score and a new session each draw a new chart.
    third = Reading(start + dt.timedelta(days=28), 3)
    assert ">3<" in _draw([*readings, third]) and len(drawn) == 2
    _draw([readings[0], Reading(readings[1].at, 5)])
    _draw(readings, marks=[start + dt.timedelta(days=7)])
    assert len(drawn) == 4
    assert "<svg" in first and ">7<" in first and ">4<" in first
