"""Reads for follow-up: the recurrence watch (watch.py), attendance and no-shows (attendance.py)."""

from acupath.followup.selectors.attendance import (
    MonthRow,
    NoShowReport,
    attendance_day,
    no_show_report,
    no_show_report_cached,
    no_show_report_forget,
    no_show_report_keep_fresh,
)
from acupath.followup.selectors.watch import (
    OVERDUE,
    WORSE,
    ScoreChange,
    WatchItem,
    lapsed_after,
    recurrence_watch,
    snapshot_is_stale,
    snapshot_max_age,
    watch_last_run,
    watch_page,
)

__all__ = [
    "OVERDUE",
    "WORSE",
    "MonthRow",
    "NoShowReport",
    "ScoreChange",
    "WatchItem",
    "attendance_day",
    "lapsed_after",
    "no_show_report",
    "no_show_report_cached",
    "no_show_report_forget",
    "no_show_report_keep_fresh",
    "recurrence_watch",
    "snapshot_is_stale",
    "snapshot_max_age",
    "watch_last_run",
    "watch_page",
]
