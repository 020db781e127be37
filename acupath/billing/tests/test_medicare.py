"""NCD 30.3.3 worked cases at the boundaries the issue names (clinical-reference.md §7.3)."""

import pytest

from acupath.billing.domain.medicare import Coverage, CoverageReason, ncd_30_3_3

R = CoverageReason


def rule(**overrides: object) -> Coverage:
    facts: dict[str, object] = {
        "weeks_of_pain": 16,
        "pregnant": False,
        "post_surgical": False,
        "systemic_cause": False,
        "visits_in_90_days": 0,
        "visits_in_year": 0,
        "improved": False,
    }
    facts.update(overrides)
    return ncd_30_3_3(**facts)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("weeks", "eligible", "first"),
    [(10, False, R.NOT_CHRONIC), (11, False, R.NOT_CHRONIC), (12, True, R.CHRONIC), (16, True, R.CHRONIC)],
)
def test_chronic_from_twelve_weeks(weeks: int, eligible: bool, first: CoverageReason) -> None:
    coverage = rule(weeks_of_pain=weeks)
    assert coverage.eligible is eligible
    assert coverage.next_visit_covered is eligible
    assert coverage.reasons[0] is first


@pytest.mark.parametrize(
    ("flag", "reason"),
    [("pregnant", R.PREGNANCY), ("post_surgical", R.POST_SURGICAL), ("systemic_cause", R.SYSTEMIC_CAUSE)],
)
def test_each_exclusion_makes_chronic_pain_ineligible(flag: str, reason: CoverageReason) -> None:
    coverage = rule(**{flag: True}, improved=True)
    assert coverage == Coverage(eligible=False, next_visit_covered=False, reasons=(R.CHRONIC, reason))


def test_every_deciding_rule_is_named() -> None:
    coverage = rule(weeks_of_pain=10, pregnant=True, post_surgical=True, systemic_cause=True)
    assert coverage.reasons == (R.NOT_CHRONIC, R.PREGNANCY, R.POST_SURGICAL, R.SYSTEMIC_CAUSE)


@pytest.mark.parametrize(
    ("had", "improved", "covered", "reason"),
    [
        (0, False, True, R.WITHIN_INITIAL_VISITS),
        (11, False, True, R.WITHIN_INITIAL_VISITS),  # booking the 12th
        (12, False, False, R.INITIAL_VISITS_USED),  # the 13th needs improvement
        (12, True, True, R.ADDITIONAL_WITH_IMPROVEMENT),  # improvement at visit 12 -> 13
        (19, True, True, R.ADDITIONAL_WITH_IMPROVEMENT),  # booking the 20th
        (20, True, False, R.YEARLY_LIMIT_REACHED),  # the yearly cap holds even when improving
        (20, False, False, R.YEARLY_LIMIT_REACHED),
    ],
)
def test_visit_limits(had: int, improved: bool, covered: bool, reason: CoverageReason) -> None:
    coverage = rule(visits_in_90_days=had, visits_in_year=had, improved=improved)
    assert coverage.eligible is True
    assert coverage.next_visit_covered is covered
    assert coverage.reasons == (R.CHRONIC, reason)


def test_twelve_in_ninety_days_gates_even_early_in_a_calendar_year() -> None:
    # A calendar year that began inside the window: 12 visits in 90 days, 3 of them this year.
    assert rule(visits_in_90_days=12, visits_in_year=3).next_visit_covered is False
    assert rule(visits_in_90_days=12, visits_in_year=3, improved=True).next_visit_covered is True


def test_visits_after_the_twelfth_of_the_year_need_improvement_outside_the_window() -> None:
    assert rule(visits_in_90_days=2, visits_in_year=14).reasons[-1] is R.INITIAL_VISITS_USED


@pytest.mark.parametrize("field", ["weeks_of_pain", "visits_in_90_days", "visits_in_year"])
def test_negative_counts_are_refused(field: str) -> None:
    with pytest.raises(ValueError, match=field):
        rule(**{field: -1})


def test_every_reason_has_display_text_without_its_code() -> None:
    for reason in CoverageReason:
        assert reason.display[0].isupper() and "_" not in reason.display
