import datetime as dt
import uuid
from typing import Any

from ninja import Field, Schema

from acupath.measures.domain.series import BaselineStatus


class AssessmentIn(Schema):
    instrument: str = Field(description="nrs, odi, rmdq, startback or psfs")
    answers: Any = Field(
        description=(
            "In item order. nrs: one integer 0-10; odi: a list of 10 integers 0-5 or null (unanswered); "
            "rmdq: a list of 24 booleans; startback: a list of 9, items 1-8 booleans (true = agree) and item 9 "
            "one of not_at_all, slightly, moderately, very_much, extremely; psfs: a list of 1 to 5 "
            '{"activity": text, "score": 0-10}.'
        )
    )
    taken_at: dt.datetime | None = Field(
        None, description="When it was taken; now when omitted. A time without a zone is the clinic's local time."
    )


class ChangeOut(Schema):
    baseline: float
    baseline_at: dt.datetime
    from_baseline: float = Field(description="current minus baseline, in the instrument's units")
    improvement: float = Field(description="positive = better, whatever the instrument's direction")
    percent: float | None = Field(description="improvement as a percentage of the baseline; null when it is 0")
    mcid_met: bool | None = Field(description="the improvement reaches the instrument's MCID; null without one")
    responder: bool | None = Field(
        description=(
            "the improvement reaches the MCID (absolute, or the percent rule) and also the minimal "
            "detectable change; null without an MCID"
        )
    )
    mdc: float | None = Field(
        None, description="the instrument's minimal detectable change applied (PSFS: 3 for one activity)"
    )
    mdc_met: bool | None = Field(None, description="the improvement reaches the minimal detectable change")
    activities_compared: list[str] = Field(
        [], description="PSFS: the activities rated at baseline and now; only these are compared"
    )
    baseline_risk: str | None = None
    risk: str | None = None


class AssessmentOut(Schema):
    id: uuid.UUID
    instrument: str
    taken_at: dt.datetime
    score: float | None
    scorable: bool
    not_scorable_reason: str | None
    band: str | None
    risk: str | None
    distress_subscale: int | None
    context: str
    is_baseline: bool
    baseline_status: BaselineStatus | None = Field(
        None,
        description=(
            "for a baseline: on_time (taken with the initial consultation), late (a first score taken "
            "later in the episode) or no_initial_consultation; null for follow-ups"
        ),
    )
    change: ChangeOut | None = Field(description="null until a baseline exists (and for the baseline itself)")
