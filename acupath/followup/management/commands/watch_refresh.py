"""`acupath watch_refresh`: recompute the recurrence watch's work list now (e.g. nightly from cron)."""

from typing import Any

from django.core.management.base import BaseCommand

from acupath.followup.services import recurrence_watch_refresh


class Command(BaseCommand):
    help = "Recompute the recurrence watch (patients in maintenance who are worse or overdue)."

    def handle(self, *args: Any, **options: Any) -> None:
        flagged = recurrence_watch_refresh()
        self.stdout.write(f"{flagged} patient(s) on the work list.")
