"""Self-care advice that goes home with the plan, chosen by cause from ``self_care_advice.yaml``.

The seed of the product pairs treatment with posture and physical activity; this picks the
patient's items in file order (the file's order is the clinician's order of importance), then
the general items everyone gets, without repeating an item that several causes share.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from acupath.planning.domain.facts import Cause, PatientFacts
from acupath.planning.domain.rules import DATA_DIR, FrozenModel, Header, load_file, require_unique

__all__ = ["AdviceItem", "AdviceRules", "advice_for", "load_advice_rules"]


class AdviceItem(FrozenModel):
    code: str
    title: str = Field(min_length=3, max_length=80)
    text: str = Field(min_length=10, max_length=400)  # short, patient-facing, our own words
    for_causes: tuple[Cause, ...] = ()  # empty: general advice for everyone
    # Keele STarT Back risk groups the item is for (stratified care); such an item is not general.
    for_startback_risk: tuple[Literal["low", "medium", "high"], ...] = ()
    source: str


class AdviceRules(Header):
    items: tuple[AdviceItem, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> AdviceRules:
        require_unique([i.code for i in self.items], "advice item")
        return self


@cache
def load_advice_rules(data_dir: Path = DATA_DIR) -> AdviceRules:
    return load_file(AdviceRules, "self_care_advice", data_dir)


def advice_for(
    facts: PatientFacts, rules: AdviceRules | None = None, *, startback_risk: str | None = None
) -> list[AdviceItem]:
    """The patient's advice: their STarT Back group's items first, then by cause, then general."""
    rules = rules or load_advice_rules()
    stratified = [item for item in rules.items if startback_risk and startback_risk in item.for_startback_risk]
    specific = [item for item in rules.items if facts.causes & set(item.for_causes)]
    general = [item for item in rules.items if not item.for_causes and not item.for_startback_risk]
    # Codes are unique in the file, but a caller may pass hand-built rules: never repeat an item.
    chosen: list[AdviceItem] = []
    seen: set[str] = set()
    for item in stratified + specific + general:
        if item.code not in seen:
            seen.add(item.code)
            chosen.append(item)
    return chosen
