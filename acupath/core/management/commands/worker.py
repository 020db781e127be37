"""`acupath worker`: the background task runner, a loop with a short sleep.

It runs the tasks the apps register (acupath.core.tasks): appointment reminders, the
recurrence watch's work list, waitlist offers. Safe to run several at once and to stop at any
moment: each task claims its rows, takes a lock or is idempotent. `acupath serve` starts one
beside gunicorn with --parent, so it stops with the server.
"""

import logging
import os
import signal
import socket
import time
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError, close_old_connections

from acupath.core.tasks import PeriodicTask, periodic_tasks

DEFAULT_INTERVAL = 15.0  # seconds between passes; ACUPATH_WORKER_INTERVAL overrides

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Run the background tasks (reminders, recurrence watch, waitlist offers) in a loop, or once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="one pass, then exit")
        parser.add_argument("--interval", type=float, default=None, help="seconds between passes (default 15)")
        parser.add_argument("--parent", type=int, default=None, help="exit when this process is gone")

    def handle(self, *args: Any, **options: Any) -> None:
        worker = f"{socket.gethostname()}:{os.getpid()}"
        interval = options["interval"] if options["interval"] is not None else _interval()
        last_run: dict[str, float] = {}
        parent = options["parent"]
        stopping = False

        def stop(signum: int, frame: FrameType | None) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        if not options["once"]:
            self.stdout.write(f"Acupath worker {worker} running (every {interval:g} s)")
            self.stdout.flush()
        while not stopping:
            counts: dict[str, int] = {}
            for task in periodic_tasks():
                if options["once"] or _due(task, last_run):
                    counts |= _run(task, worker)
                    last_run[task.name] = time.monotonic()
            if options["once"]:
                self.stdout.write(" ".join(f"{k}={v}" for k, v in sorted(counts.items())))
                return
            close_old_connections()  # like a request's end: drop a broken or aged connection
            # Sleep in short steps so a stop request or the server's exit is noticed quickly.
            deadline = time.monotonic() + interval
            while not stopping and time.monotonic() < deadline:
                if parent is not None and os.getppid() != parent:
                    return  # the server this worker belongs to has gone
                time.sleep(min(0.5, interval))


def _interval() -> float:
    """ACUPATH_WORKER_INTERVAL from Django settings or the environment, else the default."""
    raw = getattr(settings, "ACUPATH_WORKER_INTERVAL", None) or os.environ.get("ACUPATH_WORKER_INTERVAL")
    try:
        return float(raw) if raw else DEFAULT_INTERVAL
    except ValueError:
        log.warning("ACUPATH_WORKER_INTERVAL is not a number of seconds; using %s", DEFAULT_INTERVAL)
        return DEFAULT_INTERVAL


def _due(task: PeriodicTask, last_run: dict[str, float]) -> bool:
    last = last_run.get(task.name)
    return last is None or time.monotonic() - last >= task.every_seconds


def _run(task: PeriodicTask, worker: str) -> dict[str, int]:
    try:
        return {f"{task.name}.{k}": v for k, v in task.run(worker).items()}
    except DatabaseError as exc:  # database restarting or migrating: try again next pass
        log.warning("worker task %s failed: %s", task.name, type(exc).__name__)
        return {}
