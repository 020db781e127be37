"""Medicare NCD 30.3.3, acupuncture for chronic low back pain (CMS, decision memo CAG-00452N, 2020).

Source: CMS Medicare Coverage Database, NCD 30.3.3 v1 (ncdid=373), effective 21 Jan 2020; see
clinical-reference.md §7.3. The rule, as this function reads it:

- Eligible: low back pain lasting 12 weeks or longer, nonspecific (no identifiable systemic cause
  such as metastatic, inflammatory or infectious disease), not associated with surgery, not
  associated with pregnancy.
- Up to 12 visits in 90 days; an additional 8 only for a patient demonstrating improvement; no
  more than 20 a year. We gate every visit after the twelfth of the year (visits 13 to 20) on
  improvement, and also any visit after the twelfth inside the 90-day window, which is how the
  clinical reference's rules engine note reads "gate visits 13-20 on documented improvement".
- Whether "a year" is a calendar year or a rolling 12 months is UNVERIFIED: the caller counts
  `visits_in_year` the way the clinic's setting says; this function only compares the counts.

It never refuses a booking: callers warn and let the desk record an Advance Beneficiary Notice.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

__all__ = [
    "ADDITIONAL_VISITS_WITH_IMPROVEMENT",
    "CHRONIC_FROM_WEEKS",
    "INITIAL_VISITS",
    "VISITS_PER_YEAR",
    "Coverage",
    "CoverageReason",
    "ncd_30_3_3",
]

CHRONIC_FROM_WEEKS = 12
INITIAL_VISITS = 12  # in 90 days
ADDITIONAL_VISITS_WITH_IMPROVEMENT = 8
VISITS_PER_YEAR = 20


class CoverageReason(enum.StrEnum):
    """Each rule of the NCD that decided an answer; `display` is what the desk reads."""

    CHRONIC = "chronic"
    NOT_CHRONIC = "not_chronic"
    PREGNANCY = "pregnancy"
    POST_SURGICAL = "post_surgical"
    SYSTEMIC_CAUSE = "systemic_cause"
    WITHIN_INITIAL_VISITS = "within_initial_visits"
    INITIAL_VISITS_USED = "initial_visits_used"
    ADDITIONAL_WITH_IMPROVEMENT = "additional_with_improvement"
    YEARLY_LIMIT_REACHED = "yearly_limit_reached"

    @property
    def display(self) -> str:
        return _DISPLAY[self]


_DISPLAY: dict[CoverageReason, str] = {
    CoverageReason.CHRONIC: f"Low back pain has lasted {CHRONIC_FROM_WEEKS} weeks or longer",
    CoverageReason.NOT_CHRONIC: (
        f"Low back pain has lasted under {CHRONIC_FROM_WEEKS} weeks: Medicare covers chronic pain only"
    ),
    CoverageReason.PREGNANCY: "Back pain associated with pregnancy is not covered",
    CoverageReason.POST_SURGICAL: "Back pain associated with surgery is not covered",
    CoverageReason.SYSTEMIC_CAUSE: (
        "Back pain with a systemic cause (e.g. metastatic, inflammatory or infectious disease) is not covered"
    ),
    CoverageReason.WITHIN_INITIAL_VISITS: f"Within the first {INITIAL_VISITS} visits in 90 days",
    CoverageReason.INITIAL_VISITS_USED: (
        f"The first {INITIAL_VISITS} visits are used and the patient has not shown improvement"
    ),
    CoverageReason.ADDITIONAL_WITH_IMPROVEMENT: (
        f"One of {ADDITIONAL_VISITS_WITH_IMPROVEMENT} further visits allowed because the patient is improving"
    ),
    CoverageReason.YEARLY_LIMIT_REACHED: f"The limit of {VISITS_PER_YEAR} visits a year is reached",
}


@dataclass(frozen=True, slots=True)
class Coverage:
    eligible: bool  # the patient's back pain is of the kind the NCD covers
    next_visit_covered: bool  # the visit about to be booked would be covered
    reasons: tuple[CoverageReason, ...]  # every rule that decided, in the order checked


def ncd_30_3_3(
    *,
    weeks_of_pain: int,
    pregnant: bool,
    post_surgical: bool,
    systemic_cause: bool,
    visits_in_90_days: int,
    visits_in_year: int,
    improved: bool,
) -> Coverage:
    """Whether the patient is eligible and whether their next acupuncture visit is covered.

    Visit counts are covered visits already had (not counting the one being booked). Raises
    ValueError for a negative count. The 90-day count may exceed the yearly one when the year is a
    calendar year that began inside the window, so the two are not checked against each other.
    """
    for name, value in (
        ("weeks_of_pain", weeks_of_pain),
        ("visits_in_90_days", visits_in_90_days),
        ("visits_in_year", visits_in_year),
    ):
        if value < 0:
            raise ValueError(f"{name} must not be negative, got {value}")

    reasons: list[CoverageReason] = []
    reasons.append(CoverageReason.CHRONIC if weeks_of_pain >= CHRONIC_FROM_WEEKS else CoverageReason.NOT_CHRONIC)
    for flag, reason in (
        (pregnant, CoverageReason.PREGNANCY),
        (post_surgical, CoverageReason.POST_SURGICAL),
        (systemic_cause, CoverageReason.SYSTEMIC_CAUSE),
    ):
        if flag:
            reasons.append(reason)
    eligible = reasons == [CoverageReason.CHRONIC]
    if not eligible:
        return Coverage(eligible=False, next_visit_covered=False, reasons=tuple(reasons))

    if visits_in_year >= VISITS_PER_YEAR:
        reasons.append(CoverageReason.YEARLY_LIMIT_REACHED)
        covered = False
    elif visits_in_year < INITIAL_VISITS and visits_in_90_days < INITIAL_VISITS:
        reasons.append(CoverageReason.WITHIN_INITIAL_VISITS)
        covered = True
    elif improved:
        reasons.append(CoverageReason.ADDITIONAL_WITH_IMPROVEMENT)
        covered = True
    else:
        reasons.append(CoverageReason.INITIAL_VISITS_USED)
        covered = False
    return Coverage(eligible=True, next_visit_covered=covered, reasons=tuple(reasons))
