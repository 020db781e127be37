"""Everything that can happen to a treatment session and its adverse events (grep `session_`)."""

from acupath.treatment.services.adverse_alert import adverse_alert_acknowledge, adverse_alert_raise
from acupath.treatment.services.adverse_event import (
    AdverseEventInput,
    FollowUpInput,
    adverse_event_follow_up,
    adverse_event_record,
)
from acupath.treatment.services.session import (
    NeedleBatch,
    NeedledPoint,
    SoapNote,
    session_close,
    session_insert_needles,
    session_remove_needles,
    session_start,
)

__all__ = [
    "AdverseEventInput",
    "FollowUpInput",
    "NeedleBatch",
    "NeedledPoint",
    "SoapNote",
    "adverse_alert_acknowledge",
    "adverse_alert_raise",
    "adverse_event_follow_up",
    "adverse_event_record",
    "session_close",
    "session_insert_needles",
    "session_remove_needles",
    "session_start",
]
