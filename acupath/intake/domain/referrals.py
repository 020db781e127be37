"""What a red flag asks of the practitioner, and what holds treatment back (pure rules).

- A decision must be at least as urgent as the flag's tier: an emergency flag only
  ``refer_emergency``; an urgent one ``refer_emergency`` or ``refer_urgent``; a soon flag any
  referral at least as urgent as soon, or ``not_relevant`` with a reason; a routine flag anything.
- A referral at the emergency or urgent tier holds planning and needling until its outcome is
  ``cleared``; ``confirmed`` (the serious cause was found) and ``not_attended`` keep them held.
- A flag raised at any consultation of the episode (the current back problem: the consultations
  since the latest initial one) stays open until a decision adequate for its tier is recorded in
  the episode, whatever a later re-assessment answers.

Sources: knowledge/data/red_flags.yaml (tiers per NICE CKS, GIRFT/SBNS, UK MSK card).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from acupath.intake.domain.red_flags import Alert, Answer, RedFlagCatalogue, Urgency, evaluate_red_flags


class Decision(StrEnum):
    REFER_EMERGENCY = "refer_emergency"
    REFER_URGENT = "refer_urgent"
    REFER_SOON = "refer_soon"
    REFER_ROUTINE = "refer_routine"
    NOT_RELEVANT = "not_relevant"

    @property
    def referral_tier(self) -> Urgency | None:
        """How urgent the referral this decision makes is; None for ``not_relevant``."""
        return _REFERRAL_TIER.get(self)


_REFERRAL_TIER = {
    Decision.REFER_EMERGENCY: Urgency.EMERGENCY,
    Decision.REFER_URGENT: Urgency.URGENT,
    Decision.REFER_SOON: Urgency.SOON,
    Decision.REFER_ROUTINE: Urgency.ROUTINE,
}


class Outcome(StrEnum):
    CLEARED = "cleared"
    CONFIRMED = "confirmed"
    NOT_ATTENDED = "not_attended"


def allowed_decisions(tier: Urgency) -> tuple[Decision, ...]:
    """The decisions that are at least as urgent as ``tier``."""
    referrals = tuple(d for d, t in _REFERRAL_TIER.items() if t.rank <= tier.rank)
    if tier.blocks_until_cleared:
        return referrals
    return (*referrals, Decision.NOT_RELEVANT)


def decision_allowed(tier: Urgency, decision: str) -> bool:
    return decision in {d.value for d in allowed_decisions(tier)}


def decision_refusal(tier: Urgency, decision: str, title: str) -> str | None:
    """Why ``decision`` is not enough for a flag of ``tier``, in the clinic's words; None if it is."""
    if decision_allowed(tier, decision):
        return None
    if tier is Urgency.EMERGENCY:
        return (
            f"'{title}' is an emergency flag (same day): the only safe decision is to refer to the "
            "emergency department today. Choose 'Refer as an emergency, same day'."
        )
    return (
        f"'{title}' is an urgent flag (within 2 weeks): refer urgently (or as an emergency); it cannot be "
        "judged not relevant or referred less urgently."
    )


def referral_blocks(tier: Urgency, outcome: str) -> bool:
    """Whether a referral at ``tier`` with ``outcome`` ("" while waiting) holds treatment."""
    return tier.blocks_until_cleared and outcome != Outcome.CLEARED


@dataclass(frozen=True, slots=True)
class Screen:
    """One consultation's screen as the gate sees it: its answers and the decisions recorded on it."""

    kind: str  # "initial" or "reassessment"
    answers: Mapping[str, Answer]
    decisions: Mapping[str, str]  # flag code -> decision code


def current_episode(screens: Sequence[Screen]) -> Sequence[Screen]:
    """The screens of the current back problem: from the latest initial consultation on (screens
    oldest first). Without an initial consultation, all of them."""
    starts = [i for i, s in enumerate(screens) if s.kind == "initial"]
    return screens[starts[-1] :] if starts else screens


def open_alerts(episode: Sequence[Screen], catalogue: RedFlagCatalogue | None = None) -> list[Alert]:
    """The flags raised anywhere in the episode without an adequate decision anywhere in it, each at
    the most urgent tier it reached, most urgent first."""
    worst: dict[str, Alert] = {}
    decided: dict[str, set[str]] = {}
    for screen in episode:
        for alert in evaluate_red_flags(screen.answers, catalogue=catalogue):
            known = worst.get(alert.flag)
            if known is None or alert.urgency.rank <= known.urgency.rank:
                worst[alert.flag] = alert
        for flag, decision in screen.decisions.items():
            decided.setdefault(flag, set()).add(decision)
    still_open = [
        alert
        for flag, alert in worst.items()
        if not any(decision_allowed(alert.urgency, d) for d in decided.get(flag, ()))
    ]
    return sorted(still_open, key=lambda a: a.urgency.rank)
