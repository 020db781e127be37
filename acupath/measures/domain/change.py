"""Change from baseline, minimal clinically important difference (MCID) and responder status.

The MCIDs, the minimal detectable changes (MDC) and the responder rule are data
(``knowledge/data/instruments.yaml``); this module is the one place that applies them.

- Ostelo et al., Spine 2008;33(1):90-94: consensus minimal important change (NRS 2, RMDQ 5, ODI 10)
  and a 30% improvement from baseline. The improvement reaches the MCID when it reaches the
  absolute figure, or the percent figure (``responder_rule.combine``: ``any`` by default, or
  ``all``).
- A *responder* must also have improved by at least the instrument's minimal detectable change
  (RMDQ 4, Stratford 1996; PSFS 2 for the average and 3 for a single activity, Stratford 1995; NRS
  and ODI configurable defaults). A percentage on a tiny baseline (NRS 1 -> 0 is 100%) is within
  measurement error and is not a response.
- PSFS activities are the patient's own: a follow-up is compared on the activities rated both
  times only. With none in common there is no change to judge (``psfs_common`` says which).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from acupath.measures.domain.instruments import (
    AnswersForm,
    Direction,
    Instrument,
    ResponderRule,
    instrument,
    load_instruments,
)
from acupath.measures.domain.scoring import Score, round2


@dataclass(frozen=True, slots=True)
class Change:
    baseline: float  # PSFS: the baseline average over the activities compared
    current: float
    from_baseline: float  # current - baseline, signed, in the instrument's units
    improvement: float  # positive = better, whatever the instrument's direction
    percent: float | None  # improvement as % of baseline; None when the baseline is 0
    mcid_met: bool | None  # improvement >= absolute MCID; None when the instrument has no MCID
    responder: bool | None  # responder rule (Ostelo 2008) and the MDC; None when no MCID
    worsened_by_mcid: bool | None  # deterioration >= absolute MCID; None when no MCID
    baseline_risk: str | None  # STarT Back: risk group change is reported instead of an MCID
    current_risk: str | None
    mdc: float | None = None  # the minimal detectable change applied (PSFS: average or single activity)
    mdc_met: bool | None = None  # improvement >= mdc; None when the instrument has no MDC
    activities_compared: tuple[str, ...] = ()  # PSFS: the activities rated at baseline and now


def _decimal(value: float) -> Decimal:
    return Decimal(str(value))


def activity_key(name: str) -> str:
    """How two PSFS activity names are matched: case and spacing do not count."""
    return " ".join(name.casefold().split())


def psfs_common(baseline: Score, current: Score) -> list[tuple[str, int, int]]:
    """The activities rated in both, as (the baseline's wording, baseline score, current score),
    in the baseline's order."""
    now = {activity_key(name): value for name, value in current.activities}
    return [(name, value, now[activity_key(name)]) for name, value in baseline.activities if activity_key(name) in now]


def _mean(values: Sequence[int]) -> float:
    return round2(Decimal(sum(values)) / Decimal(len(values)))


def change_from_baseline(
    instrument_code: str,
    baseline: Score,
    current: Score,
    *,
    definition: Instrument | None = None,
    rule: ResponderRule | None = None,
) -> Change | None:
    """Compare a follow-up score with the baseline; None when either is not scorable, or (PSFS)
    when they share no activity.

    ``definition`` and ``rule`` let a caller apply local settings (for example a different PSFS
    MCID); by default the shipped data is used.
    """
    spec = definition if definition is not None else instrument(instrument_code)
    if spec.code != instrument_code:
        raise ValueError(f"definition is for {spec.code!r}, not {instrument_code!r}")
    responder_rule = rule if rule is not None else load_instruments().responder_rule
    if not (baseline.scorable and current.scorable):
        return None
    if baseline.value is None or current.value is None:
        return None

    before, after = baseline.value, current.value
    compared: tuple[str, ...] = ()
    if spec.answers_form is AnswersForm.ACTIVITIES and baseline.activities and current.activities:
        common = psfs_common(baseline, current)
        if not common:
            return None
        compared = tuple(name for name, _, _ in common)
        before = _mean([b for _, b, _ in common])
        after = _mean([c for _, _, c in common])

    delta = _decimal(after) - _decimal(before)
    gain = -delta if spec.direction is Direction.HIGHER_IS_WORSE else delta
    from_baseline = round2(delta) + 0.0  # + 0.0 turns -0.0 into 0.0
    improvement = round2(gain) + 0.0
    base = _decimal(before)
    percent = None if base == 0 else round2(gain * 100 / abs(base)) + 0.0

    mdc: float | None = None
    mdc_met: bool | None = None
    if spec.mdc is not None:
        single = spec.mdc.single_activity
        mdc = single if single is not None and compared and len(compared) == 1 else spec.mdc.absolute
        mdc_met = improvement >= mdc

    mcid_met: bool | None = None
    responder: bool | None = None
    worsened: bool | None = None
    mcid = spec.mcid
    if mcid is not None and mcid.absolute is not None:
        mcid_met = improvement >= mcid.absolute
        worsened = -improvement >= mcid.absolute
        if mcid.percent is None:
            # No percent threshold for this instrument (e.g. PSFS): the absolute MCID decides.
            important = mcid_met
        else:
            percent_met = percent is not None and percent >= mcid.percent
            combine = any if responder_rule.combine == "any" else all
            important = combine((mcid_met, percent_met))
        # Beyond measurement error as well: a relative change alone never makes a responder.
        responder = important and mdc_met is not False

    return Change(
        baseline=before,
        current=after,
        from_baseline=from_baseline,
        improvement=improvement,
        percent=percent,
        mcid_met=mcid_met,
        responder=responder,
        worsened_by_mcid=worsened,
        baseline_risk=baseline.risk,
        current_risk=current.risk,
        mdc=mdc,
        mdc_met=mdc_met,
        activities_compared=compared,
    )
