"""What matters for safety at a glance, read from the latest consultation and the open red flags.

Pregnancy weeks are carried forward to today from the weeks recorded at the consultation; past
42 weeks the record is out of date (the pregnancy has ended) and the header asks to check it.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from acupath.intake.domain.red_flags import Alert
from acupath.intake.models import Consultation

TERM_WEEKS = 42


@dataclass(frozen=True)
class SafetySummary:
    asked_on: dt.date | None = None  # the consultation the facts come from; None: never asked
    pregnant: bool = False
    pregnancy_weeks: int | None = None  # today
    pregnancy_out_of_date: bool = False
    anticoagulant: bool = False
    bleeding_disorder: bool = False
    pacemaker: bool = False
    allergies: str = ""
    red_flags: list[Alert] = field(default_factory=list)
    referrals_pending: int = 0  # referrals holding treatment until their outcome clears it

    @property
    def clear(self) -> bool:
        """Asked, and nothing to show."""
        return self.asked_on is not None and not (
            self.pregnant
            or self.anticoagulant
            or self.bleeding_disorder
            or self.pacemaker
            or self.allergies
            or self.red_flags
            or self.referrals_pending
        )


def weeks_today(weeks_then: int, then: dt.date, today: dt.date) -> int:
    return weeks_then + max(0, (today - then).days) // 7


def safety_summary(
    consultation: Consultation | None, open_flags: list[Alert], today: dt.date, referrals: int = 0
) -> SafetySummary:
    if consultation is None:
        return SafetySummary(red_flags=open_flags, referrals_pending=referrals)
    asked_on = timezone.localdate(consultation.consulted_at)
    weeks = None
    if consultation.pregnant and consultation.pregnancy_weeks is not None:
        weeks = weeks_today(consultation.pregnancy_weeks, asked_on, today)
    return SafetySummary(
        asked_on=asked_on,
        pregnant=consultation.pregnant,
        pregnancy_weeks=weeks,
        pregnancy_out_of_date=weeks is not None and weeks > TERM_WEEKS,
        anticoagulant=consultation.anticoagulant,
        bleeding_disorder=consultation.bleeding_disorder,
        pacemaker=consultation.pacemaker,
        allergies=consultation.allergies.strip(),
        red_flags=open_flags,
        referrals_pending=referrals,
    )
