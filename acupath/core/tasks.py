"""Background work that `acupath worker` runs on its loop: each app registers its own tasks.

A task is a function taking the worker's name and returning counts of what it did; it must
be safe to run in several workers at once (claim rows, take a lock or be idempotent). The
worker lives below every app, so apps plug in here (from their AppConfig.ready) instead of
the worker importing them.
"""

from collections.abc import Callable
from dataclasses import dataclass

TaskRun = Callable[[str], dict[str, int]]


@dataclass(frozen=True)
class PeriodicTask:
    name: str
    run: TaskRun
    every_seconds: float = 0.0  # 0: on every pass of the worker


_TASKS: dict[str, PeriodicTask] = {}


def periodic_task_register(name: str, run: TaskRun, every_seconds: float = 0.0) -> None:
    _TASKS[name] = PeriodicTask(name, run, every_seconds)


def periodic_tasks() -> list[PeriodicTask]:
    return list(_TASKS.values())
