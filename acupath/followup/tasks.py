"""Follow-up's background work, run by `acupath worker`: keep the work list and the no-show report fresh."""

from acupath.core.tasks import periodic_task_register
from acupath.followup.selectors import no_show_report_keep_fresh, snapshot_max_age, watch_last_run
from acupath.followup.services import watch_refresh_if_stale


def watch_keep_fresh(worker: str) -> dict[str, int]:
    """Refresh the work list at half the age pages accept, so no page waits for a refresh."""
    before = watch_last_run()
    after = watch_refresh_if_stale(max_age=snapshot_max_age() / 2)
    refreshed = after is not None and (before is None or after.pk != before.pk)
    return {"refreshed": 1} if refreshed else {}


def no_show_report_count(worker: str) -> dict[str, int]:
    counted = no_show_report_keep_fresh()
    return {"counted": counted} if counted else {}


def register() -> None:
    periodic_task_register("watch", watch_keep_fresh)
    periodic_task_register("no_show_report", no_show_report_count)
