"""Real consultations for planning tests, recorded through the intake service."""

from acupath.intake.services import red_flag_decide as _decide
from tests.consultations import consult, onset

__all__ = ["consult", "decide", "onset"]


def decide(practitioner, consultation, flag):
    return _decide(
        actor=practitioner.user,
        consultation=consultation,
        flag=flag,
        decision="not_relevant",
        reason="Explained by a known, benign cause; examined and documented.",
    )
