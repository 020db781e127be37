"""What the floors above do when a session closes, inside the closing transaction.

A session's appointment lives in scheduling, which sits above treatment, so `session_close`
cannot call it by name. Scheduling registers its step here when the app is ready; the step runs
in the same transaction as the close, so a session is never closed while its appointment fails
to become attended, nor the other way round.
"""

from collections.abc import Callable
from typing import Any

from acupath.treatment.models import TreatmentSession

CloseStep = Callable[..., None]  # called as step(actor=..., session=..., via=...)

_steps: list[CloseStep] = []


def on_session_close(step: CloseStep) -> CloseStep:
    """Run `step` whenever a session closes (registering the same step twice runs it once)."""
    if step not in _steps:
        _steps.append(step)
    return step


def session_close_steps_run(*, actor: Any, session: TreatmentSession, via: str) -> None:
    for step in _steps:
        step(actor=actor, session=session, via=via)
