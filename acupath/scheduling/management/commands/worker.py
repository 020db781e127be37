"""`acupath worker`: the background task runner (appointment reminders), a loop with a short sleep.

Safe to run several at once and to stop at any moment: the work lives in the database
outbox (scheduling.Reminder) and each reminder is claimed by one conditional UPDATE.
`acupath serve` starts one beside gunicorn with --parent, so it stops with the server.
"""

import logging
import os
import signal
import socket
import time
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError, close_old_connections

from acupath.scheduling import conf
from acupath.scheduling.services.reminders import reminders_run_once

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Send due appointment reminders, in a loop (or once with --once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="one pass, then exit")
        parser.add_argument("--interval", type=float, default=None, help="seconds between passes (default 15)")
        parser.add_argument("--parent", type=int, default=None, help="exit when this process is gone")

    def handle(self, *args: Any, **options: Any) -> None:
        worker = f"{socket.gethostname()}:{os.getpid()}"
        interval = options["interval"] if options["interval"] is not None else conf.worker_interval()
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
            try:
                counts = reminders_run_once(worker)
            except DatabaseError as exc:  # database restarting or migrating: try again next pass
                log.warning("worker pass failed: %s", type(exc).__name__)
                counts = {}
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
