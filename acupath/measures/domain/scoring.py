"""Scoring of the outcome instruments, following each instrument's published scoring rules.

``score(code, answers)`` validates the answer shape strictly (anything else raises ``AnswerError``
naming the item) and returns a ``Score``. A form that is well-shaped but cannot be scored (too few
ODI sections, missing items where the settings allow them) is reported as *not scorable* with a
reason, never as zero. All parameters come from ``knowledge/data/instruments.yaml``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import cast

from acupath.measures.domain.instruments import (
    AnswerSpec,
    AnswerType,
    Instrument,
    InstrumentCode,
    Item,
    instrument,
)

AnswerValue = int | bool | str | None

_TWO_PLACES = Decimal("0.01")


def describe_value(value: object) -> str:
    """A short, JSON-flavoured description of what was received, for error messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, Sequence):
        return f"a list of {len(value)}"
    return f"a {type(value).__name__}"


class AnswerError(ValueError):
    """The answers do not have the instrument's shape. The message names the item."""

    def __init__(self, item: str, expected: str, got: object) -> None:
        self.item = item
        self.expected = expected
        self.got = got
        super().__init__(f"{item}: expected {expected}, got {describe_value(got)}")


@dataclass(frozen=True, slots=True)
class Score:
    value: float | None  # None when not scorable
    scorable: bool
    reason: str | None  # why not scorable
    band: str | None
    risk: str | None  # STarT Back risk group: low / medium / high
    distress_subscale: int | None  # STarT Back items 5-9
    answered: int
    max_value: float
    # PSFS: each rated activity as (the patient's words, score), so a follow-up is compared on
    # the same activities only. Empty for the other instruments.
    activities: tuple[tuple[str, int], ...] = ()


def round2(value: Decimal) -> float:
    """Round half-up to 2 decimals (16/45 x 100 -> 35.56)."""
    return float(value.quantize(_TWO_PLACES, rounding=ROUND_HALF_UP))


def score(instrument_code: str, answers: object, *, definition: Instrument | None = None) -> Score:
    """Score one completed instrument.

    ``definition`` lets a caller pass a definition with local settings applied
    (``instrument("odi").with_settings(min_sections_answered=6)``); by default the shipped one.
    """
    spec = definition if definition is not None else instrument(instrument_code)
    if spec.code != instrument_code:
        raise ValueError(f"definition is for {spec.code!r}, not {instrument_code!r}")
    scorer = _SCORERS[spec.code]
    return scorer(spec, answers)


# --- shape validation ---------------------------------------------------------------------------


def _check_value(spec: Instrument, item: Item, value: object, *, nullable: bool) -> AnswerValue:
    answer: AnswerSpec = spec.answer_spec(item)
    ok: bool
    if value is None:
        ok = nullable
    elif answer.type is AnswerType.INTEGER:
        ok = (
            isinstance(value, int)
            and not isinstance(value, bool)
            and answer.min is not None
            and answer.max is not None
            and answer.min <= value <= answer.max
        )
    elif answer.type is AnswerType.BOOLEAN:
        ok = isinstance(value, bool)
    else:
        ok = isinstance(value, str) and value in {option.code for option in answer.options}
    if not ok:
        raise AnswerError(spec.item_name(item), answer.describe(nullable=nullable), value)
    return cast(AnswerValue, value)  # narrowed by the checks above


def _check_list(spec: Instrument, answers: object) -> list[AnswerValue]:
    count = len(spec.items)
    if not isinstance(answers, list | tuple) or len(answers) != count:
        expected = f"a list of exactly {count} answers, one per {spec.item_noun}"
        raise AnswerError(f"{spec.short_name} answers", expected, answers)
    allow_missing = spec.setting_bool("allow_missing_items", default=False)
    return [
        _check_value(spec, item, value, nullable=allow_missing or spec.answer_spec(item).nullable)
        for item, value in zip(spec.items, answers, strict=True)
    ]


def _not_scorable(spec: Instrument, reason: str, answered: int) -> Score:
    return Score(
        value=None,
        scorable=False,
        reason=reason,
        band=None,
        risk=None,
        distress_subscale=None,
        answered=answered,
        max_value=spec.range.max,
    )


def _missing_reason(spec: Instrument, values: Sequence[AnswerValue]) -> str | None:
    missing = [item.number for item, value in zip(spec.items, values, strict=True) if value is None]
    if not missing:
        return None
    numbers = ", ".join(str(number) for number in missing)
    return f"{len(missing)} {spec.item_noun}(s) unanswered ({numbers}); no score without every answer"


# --- one scorer per instrument -----------------------------------------------------------------


def _score_nrs(spec: Instrument, answers: object) -> Score:
    value = cast(int, _check_value(spec, spec.items[0], answers, nullable=False))
    return Score(
        value=float(value),
        scorable=True,
        reason=None,
        band=spec.band_for(value),
        risk=None,
        distress_subscale=None,
        answered=1,
        max_value=spec.range.max,
    )


def _score_odi(spec: Instrument, answers: object) -> Score:
    values = [value for value in _check_list(spec, answers) if value is not None]
    answered = len(values)
    minimum = max(1, spec.setting_int("min_sections_answered"))
    if answered < minimum:
        reason = (
            f"only {answered} of {len(spec.items)} sections answered; "
            f"at least {minimum} are needed (local policy setting odi.min_sections_answered)"
        )
        return _not_scorable(spec, reason, answered)
    total = sum(int(value) for value in values)
    # ODI% = sum / (5 x sections answered) x 100 (Fairbank; Mapi Research Trust).
    percent = round2(Decimal(total * 100) / Decimal(5 * answered))
    return Score(
        value=percent,
        scorable=True,
        reason=None,
        band=spec.band_for(percent),
        risk=None,
        distress_subscale=None,
        answered=answered,
        max_value=spec.range.max,
    )


def _score_rmdq(spec: Instrument, answers: object) -> Score:
    values = _check_list(spec, answers)
    answered = sum(value is not None for value in values)
    reason = _missing_reason(spec, values)
    if reason is not None:
        return _not_scorable(spec, reason, answered)
    return Score(
        value=float(sum(value is True for value in values)),
        scorable=True,
        reason=None,
        band=None,
        risk=None,
        distress_subscale=None,
        answered=answered,
        max_value=spec.range.max,
    )


def _score_startback(spec: Instrument, answers: object) -> Score:
    rule = spec.risk_rule
    if rule is None:
        raise ValueError(f"{spec.code}: the definition has no risk_rule")
    values = _check_list(spec, answers)
    answered = sum(value is not None for value in values)
    reason = _missing_reason(spec, values)
    if reason is not None:
        return _not_scorable(spec, reason, answered)
    points: dict[int, int] = {}
    for item, value in zip(spec.items, values, strict=True):
        if isinstance(value, str):
            points[item.number] = spec.answer_spec(item).points_for(value)
        else:
            points[item.number] = 1 if value is True else 0
    total = sum(points.values())
    distress = sum(points[number] for number in rule.distress_items)
    if total <= rule.low_max_total:
        risk = "low"
    elif distress <= rule.medium_max_distress:
        risk = "medium"
    else:
        risk = "high"
    return Score(
        value=float(total),
        scorable=True,
        reason=None,
        band=None,
        risk=risk,
        distress_subscale=distress,
        answered=answered,
        max_value=spec.range.max,
    )


def _score_psfs(spec: Instrument, answers: object) -> Score:
    limits = spec.activities
    if limits is None:
        raise ValueError(f"{spec.code}: the definition has no activities settings")
    if not isinstance(answers, list | tuple) or not limits.min_count <= len(answers) <= limits.max_count:
        expected = f"a list of {limits.min_count} to {limits.max_count} activities"
        raise AnswerError(f"{spec.short_name} answers", expected, answers)
    scores: list[int] = []
    for number, entry in enumerate(answers, start=1):
        scores.append(_check_activity(spec, number, entry, limits.max_text_length))
    names = [str(entry["activity"]).strip() for entry in answers]
    mean = round2(Decimal(sum(scores)) / Decimal(len(scores)))
    return Score(
        value=mean,
        scorable=True,
        reason=None,
        band=None,
        risk=None,
        distress_subscale=None,
        answered=len(scores),
        max_value=spec.range.max,
        activities=tuple(zip(names, scores, strict=True)),
    )


def _check_activity(spec: Instrument, number: int, entry: object, max_length: int) -> int:
    where = f"{spec.short_name} {spec.item_noun} {number}"
    score_spec = spec.default_answer
    shape = f'an object {{"activity": text, "score": {score_spec.describe(nullable=False)}}}'
    if not isinstance(entry, Mapping) or set(entry) != {"activity", "score"}:
        raise AnswerError(where, shape, entry)
    activity = entry["activity"]
    if not isinstance(activity, str) or not activity.strip() or len(activity) > max_length:
        raise AnswerError(
            f"{where} (activity name)",
            f"non-empty text of at most {max_length} characters",
            activity,
        )
    value = entry["score"]
    item = Item(number=number, label=activity.strip())
    return cast(int, _check_value(spec, item, value, nullable=False))


_SCORERS = {
    InstrumentCode.NRS: _score_nrs,
    InstrumentCode.ODI: _score_odi,
    InstrumentCode.RMDQ: _score_rmdq,
    InstrumentCode.STARTBACK: _score_startback,
    InstrumentCode.PSFS: _score_psfs,
}

__all__ = ["AnswerError", "Score", "describe_value", "round2", "score"]
