"""Duration class of a back-pain episode (acute < 6 weeks, subacute 6 to < 12, chronic >= 12)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from acupath.intake.domain.duration import DurationClass, duration_class

ON = date(2024, 3, 31)


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (0, DurationClass.ACUTE),
        (1, DurationClass.ACUTE),
        (41, DurationClass.ACUTE),
        (42, DurationClass.SUBACUTE),  # exactly 6 weeks
        (83, DurationClass.SUBACUTE),
        (84, DurationClass.CHRONIC),  # exactly 12 weeks
        (365, DurationClass.CHRONIC),
    ],
)
def test_duration_class_boundaries(days: int, expected: DurationClass) -> None:
    assert duration_class(ON - timedelta(days=days), ON) is expected


def test_duration_counts_calendar_days_across_a_leap_day() -> None:
    # 2024-01-19 to 2024-03-01 is 42 days because of 29 February.
    assert duration_class(date(2024, 1, 19), date(2024, 3, 1)) is DurationClass.SUBACUTE
    assert duration_class(date(2023, 1, 19), date(2023, 3, 1)) is DurationClass.ACUTE


def test_duration_class_values_are_stable_codes() -> None:
    assert [c.value for c in DurationClass] == ["acute", "subacute", "chronic"]


def test_onset_in_the_future_is_refused() -> None:
    with pytest.raises(ValueError, match="2024-04-01 is after 2024-03-31"):
        duration_class(date(2024, 4, 1), ON)


def test_datetimes_are_refused() -> None:
    with pytest.raises(TypeError, match="dates, not datetimes"):
        duration_class(datetime(2024, 1, 1, 12, 0), ON)
