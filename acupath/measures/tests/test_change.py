"""Change from baseline, MCID and responder status (Ostelo 2008 consensus)."""

from __future__ import annotations

import pytest

from acupath.measures.domain.change import change_from_baseline
from acupath.measures.domain.instruments import Mcid, ResponderRule, instrument
from acupath.measures.domain.scoring import Score, score


def scored(value: float, *, risk: str | None = None) -> Score:
    return Score(
        value=value,
        scorable=True,
        reason=None,
        band=None,
        risk=risk,
        distress_subscale=None,
        answered=1,
        max_value=100,
    )


NOT_SCORABLE = Score(
    value=None,
    scorable=False,
    reason="only 5 of 10 sections answered",
    band=None,
    risk=None,
    distress_subscale=None,
    answered=5,
    max_value=100,
)


@pytest.mark.parametrize(
    (
        "code",
        "before",
        "after",
        "from_baseline",
        "improvement",
        "percent",
        "mcid_met",
        "responder",
        "worsened",
    ),
    [
        # NRS: MCID 2 points or 30%
        ("nrs", 8, 6, -2.0, 2.0, 25.0, True, True, False),  # responder by absolute change
        ("nrs", 3, 2, -1.0, 1.0, 33.33, False, False, False),  # 33% but 1 point is under the MDC of 2
        ("nrs", 10, 7, -3.0, 3.0, 30.0, True, True, False),  # both, percent exactly 30
        ("nrs", 7, 6, -1.0, 1.0, 14.29, False, False, False),  # below both
        ("nrs", 5, 7, 2.0, -2.0, -40.0, False, False, True),  # worse by the MCID
        ("nrs", 5, 6, 1.0, -1.0, -20.0, False, False, False),  # worse, not by the MCID
        ("nrs", 0, 0, 0.0, 0.0, None, False, False, False),  # baseline 0: no percent
        ("nrs", 0, 3, 3.0, -3.0, None, False, False, True),
        # ODI: MCID 10 points or 30%
        ("odi", 50, 40, -10.0, 10.0, 20.0, True, True, False),
        ("odi", 35.56, 25.56, -10.0, 10.0, 28.12, True, True, False),  # no float drift at the edge
        ("odi", 40, 30.02, -9.98, 9.98, 24.95, False, False, False),  # just below both
        ("odi", 20, 14, -6.0, 6.0, 30.0, False, False, False),  # 30% but 6 points is under the MDC of 10
        ("odi", 20, 14.02, -5.98, 5.98, 29.9, False, False, False),  # just below 30%
        ("odi", 30, 40, 10.0, -10.0, -33.33, False, False, True),
        # RMDQ: MCID 5 points or 30%
        ("rmdq", 12, 7, -5.0, 5.0, 41.67, True, True, False),
        ("rmdq", 10, 7, -3.0, 3.0, 30.0, False, False, False),  # 30% but 3 points is under the MDC of 4
        ("rmdq", 13, 9, -4.0, 4.0, 30.77, False, True, False),  # 30% and the MDC of 4 exactly
        ("rmdq", 20, 16, -4.0, 4.0, 20.0, False, False, False),  # just below both
        # PSFS: higher is better; MCID 2 points (UNVERIFIED), no percent rule
        ("psfs", 3, 5, 2.0, 2.0, 66.67, True, True, False),
        ("psfs", 3, 4.5, 1.5, 1.5, 50.0, False, False, False),  # 50% is not a PSFS rule
        ("psfs", 5, 3, -2.0, -2.0, -40.0, False, False, True),
        ("psfs", 0, 2, 2.0, 2.0, None, True, True, False),  # baseline 0: no percent
    ],
)
def test_change_and_responder_table(
    code: str,
    before: float,
    after: float,
    from_baseline: float,
    improvement: float,
    percent: float | None,
    mcid_met: bool,
    responder: bool,
    worsened: bool,
) -> None:
    change = change_from_baseline(code, scored(before), scored(after))
    assert change is not None
    assert change.from_baseline == from_baseline
    assert change.improvement == improvement
    assert change.percent == percent
    assert change.mcid_met is mcid_met
    assert change.responder is responder
    assert change.worsened_by_mcid is worsened


def test_change_from_real_odi_scores() -> None:
    baseline = score("odi", [3] * 10)  # 60%
    current = score("odi", [2, 2, 2, 2, 2, 2, 2, 1, 1, None])  # 35.56%
    change = change_from_baseline("odi", baseline, current)
    assert change is not None
    assert (change.from_baseline, change.improvement, change.percent) == (-24.44, 24.44, 40.73)
    assert change.responder is True


@pytest.mark.parametrize(("baseline", "current"), [(NOT_SCORABLE, scored(30)), (scored(30), NOT_SCORABLE)])
def test_no_change_when_either_score_is_not_scorable(baseline: Score, current: Score) -> None:
    assert change_from_baseline("odi", baseline, current) is None


def test_startback_reports_risk_change_not_mcid() -> None:
    change = change_from_baseline("startback", scored(6, risk="high"), scored(2, risk="low"))
    assert change is not None
    assert change.from_baseline == -4.0
    assert change.improvement == 4.0
    assert (change.mcid_met, change.responder, change.worsened_by_mcid) == (None, None, None)
    assert (change.baseline_risk, change.current_risk) == ("high", "low")


def test_responder_rule_all_needs_both_thresholds() -> None:
    both = ResponderRule(combine="all", source="test")
    by_absolute_only = change_from_baseline("nrs", scored(8), scored(6), rule=both)
    by_both = change_from_baseline("nrs", scored(10), scored(7), rule=both)
    assert by_absolute_only is not None
    assert by_both is not None
    assert by_absolute_only.responder is False
    assert by_both.responder is True


def test_psfs_mcid_is_configurable() -> None:
    stricter = instrument("psfs").model_copy(
        update={"mcid": Mcid(absolute=3, percent=None, unverified=True, source="local")}
    )
    change = change_from_baseline("psfs", scored(3), scored(5), definition=stricter)
    assert change is not None
    assert change.mcid_met is False


def test_definition_for_another_instrument_is_refused() -> None:
    with pytest.raises(ValueError, match="'nrs'"):
        change_from_baseline("odi", scored(1), scored(2), definition=instrument("nrs"))
