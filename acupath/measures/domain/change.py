"""Change from baseline, minimal clinically important difference (MCID) and responder status.

The MCIDs and the responder rule are data (``knowledge/data/instruments.yaml``); this module is
the one place that applies them. Source: Ostelo et al., Spine 2008;33(1):90-94: consensus minimal
important change (NRS 2, RMDQ 5, ODI 10) and a 30% improvement from baseline. A patient is a
*responder* when the improvement reaches the absolute MCID or the percent threshold (the
``responder_rule.combine`` setting: ``any`` by default, or ``all``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from acupath.measures.domain.instruments import (
    Direction,
    Instrument,
    ResponderRule,
    instrument,
    load_instruments,
)
from acupath.measures.domain.scoring import Score, round2


@dataclass(frozen=True, slots=True)
class Change:
    baseline: float
    current: float
    from_baseline: float  # current - baseline, signed, in the instrument's units
    improvement: float  # positive = better, whatever the instrument's direction
    percent: float | None  # improvement as % of baseline; None when the baseline is 0
    mcid_met: bool | None  # improvement >= absolute MCID; None when the instrument has no MCID
    responder: bool | None  # responder rule (Ostelo 2008); None when no MCID
    worsened_by_mcid: bool | None  # deterioration >= absolute MCID; None when no MCID
    baseline_risk: str | None  # STarT Back: risk group change is reported instead of an MCID
    current_risk: str | None


def _decimal(value: float) -> Decimal:
    return Decimal(str(value))


def change_from_baseline(
    instrument_code: str,
    baseline: Score,
    current: Score,
    *,
    definition: Instrument | None = None,
    rule: ResponderRule | None = None,
) -> Change | None:
    """Compare a follow-up score with the baseline; None when either is not scorable.

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

    delta = _decimal(current.value) - _decimal(baseline.value)
    gain = -delta if spec.direction is Direction.HIGHER_IS_WORSE else delta
    from_baseline = round2(delta) + 0.0  # + 0.0 turns -0.0 into 0.0
    improvement = round2(gain) + 0.0
    base = _decimal(baseline.value)
    percent = None if base == 0 else round2(gain * 100 / abs(base)) + 0.0

    mcid_met: bool | None = None
    responder: bool | None = None
    worsened: bool | None = None
    mcid = spec.mcid
    if mcid is not None and mcid.absolute is not None:
        mcid_met = improvement >= mcid.absolute
        worsened = -improvement >= mcid.absolute
        if mcid.percent is None:
            # No percent threshold for this instrument (e.g. PSFS): the absolute MCID decides.
            responder = mcid_met
        else:
            percent_met = percent is not None and percent >= mcid.percent
            combine = any if responder_rule.combine == "any" else all
            responder = combine((mcid_met, percent_met))

    return Change(
        baseline=baseline.value,
        current=current.value,
        from_baseline=from_baseline,
        improvement=improvement,
        percent=percent,
        mcid_met=mcid_met,
        responder=responder,
        worsened_by_mcid=worsened,
        baseline_risk=baseline.risk,
        current_risk=current.risk,
    )
