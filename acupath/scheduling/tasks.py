"""Scheduling's background work, run by `acupath worker`."""

from acupath.core.tasks import periodic_task_register
from acupath.scheduling.services.reminders import reminders_run_once


def register() -> None:
    periodic_task_register("reminders", reminders_run_once)
