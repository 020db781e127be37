"""Pages of the treatment app: the live session, the room board, adverse events."""

from acupath.treatment.views.adverse import (
    adverse_alert_acknowledge_view,
    adverse_event_follow_up_view,
    adverse_event_new,
    adverse_event_page,
    adverse_report,
)
from acupath.treatment.views.board import board
from acupath.treatment.views.record import session_new
from acupath.treatment.views.session import (
    point_row,
    session_close_view,
    session_needles,
    session_page,
    session_removal,
    session_start_patients,
    session_start_view,
)

__all__ = [
    "adverse_alert_acknowledge_view",
    "adverse_event_follow_up_view",
    "adverse_event_new",
    "adverse_event_page",
    "adverse_report",
    "board",
    "point_row",
    "session_close_view",
    "session_needles",
    "session_new",
    "session_page",
    "session_removal",
    "session_start_patients",
    "session_start_view",
]
