"""Duration class of a back-pain episode: acute, subacute or chronic.

Our boundaries (set by the product issue): acute under 6 weeks, subacute 6 to under 12 weeks,
chronic 12 weeks or more. Counted in whole days from onset: day 42 is the first subacute day and
day 84 the first chronic day. The 12-week chronic edge matches Medicare NCD 30.3.3 ("lasting 12
weeks or longer"). Sources disagree on the acute edge: ACP 2017 (Qaseem et al.) uses acute under 4
weeks, subacute 4-12 weeks; we keep 6 weeks as the issue asks and say so here.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

SUBACUTE_FROM_DAYS = 6 * 7  # 42
CHRONIC_FROM_DAYS = 12 * 7  # 84


class DurationClass(StrEnum):
    ACUTE = "acute"  # < 6 weeks
    SUBACUTE = "subacute"  # 6 to < 12 weeks
    CHRONIC = "chronic"  # >= 12 weeks


def duration_class(onset: date, on: date) -> DurationClass:
    """Classify an episode that began on ``onset`` as it stands on ``on``.

    Raises ``ValueError`` when the onset is after ``on`` and ``TypeError`` for datetimes (pass
    dates in the clinic's local zone, so the day count is unambiguous).
    """
    if isinstance(onset, datetime) or isinstance(on, datetime):
        raise TypeError("duration_class takes dates, not datetimes")
    days = (on - onset).days
    if days < 0:
        raise ValueError(f"onset {onset.isoformat()} is after {on.isoformat()}")
    if days < SUBACUTE_FROM_DAYS:
        return DurationClass.ACUTE
    if days < CHRONIC_FROM_DAYS:
        return DurationClass.SUBACUTE
    return DurationClass.CHRONIC
