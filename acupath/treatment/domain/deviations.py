"""How today's needling differs from the plan: points added and plan points left out."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["Deviations", "deviations"]


@dataclass(frozen=True, slots=True)
class Deviations:
    added: tuple[tuple[str, str], ...]  # (code, side) needled but not in the plan
    skipped: tuple[tuple[str, str], ...]  # (code, side) in the plan but not needled

    @property
    def any(self) -> bool:
        return bool(self.added or self.skipped)


def _covers(needled_side: str, planned_side: str) -> bool:
    return needled_side == planned_side or needled_side == "both"


def deviations(planned: Iterable[tuple[str, str]], needled: Iterable[tuple[str, str]]) -> Deviations:
    """Compare (code, side) pairs. A point needled on both sides covers a plan's left or right.

    A plan point counts as done when its code was needled on a covering side; a needled point
    counts as added when its code is not in the plan at all, or only on another side.
    """
    planned = list(dict.fromkeys(planned))
    needled = list(dict.fromkeys(needled))
    skipped = tuple(
        (code, side) for code, side in planned if not any(c == code and _covers(s, side) for c, s in needled)
    )
    added = tuple(
        (code, side)
        for code, side in needled
        if not any(c == code and (_covers(side, s) or _covers(s, side)) for c, s in planned)
    )
    return Deviations(added=added, skipped=skipped)
