"""`acupath serve`: run the clinic with gunicorn (several workers), not the development server.

Beside gunicorn it starts one `acupath worker` (reminders and other background tasks) as a
child process; the worker watches its parent and stops when the server stops. Several
servers sharing a database may each run one: the worker is safe to run in parallel.
"""

import multiprocessing
import os
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve Acupath with a production-grade server (gunicorn). Seeds nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("ACUPATH_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("ACUPATH_PORT", "8000")))
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("ACUPATH_WORKERS", 0)) or min(2 * multiprocessing.cpu_count() + 1, 9),
            help="worker processes (default 2 x cores + 1)",
        )
        parser.add_argument(
            "--no-background",
            action="store_true",
            default=os.environ.get("ACUPATH_BACKGROUND_WORKER", "1") == "0",
            help="do not start the background task worker (run `acupath worker` elsewhere)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # Static files are served by WhiteNoise from STATIC_ROOT; collect them first (quick, idempotent).
        call_command("collectstatic", interactive=False, verbosity=0)
        bind = f"{options['host']}:{options['port']}"
        db = settings.DATABASES["default"]
        where = db["NAME"] if db["ENGINE"].endswith("sqlite3") else f"PostgreSQL at {db.get('HOST')}"
        self.stdout.write(f"Acupath serving http://{bind}/  ({options['workers']} workers, database: {where})")
        self.stdout.flush()
        if not options["no_background"]:
            # The worker is told our pid; after execv below that pid is gunicorn's master, so the
            # worker exits when the server does (it checks its parent every half second).
            subprocess.Popen(  # noqa: S603 - our own interpreter and command, no shell
                [sys.executable, "-m", "acupath.cli", "worker", "--parent", str(os.getpid())],
                close_fds=True,
            )
        # Hand the process over to gunicorn; each worker opens its own database connections.
        command = [
            sys.executable, "-m", "gunicorn", "acupath.config.wsgi:application",
            "--bind", bind,
            "--workers", str(options["workers"]),
            "--worker-class", "gthread",
            "--threads", "4",
            "--timeout", "60",
            "--graceful-timeout", "10",
            "--log-level", "warning",
            "--preload",  # load and warm the app once, then fork warm workers (acupath.core.warmup)
        ]  # fmt: skip
        os.execv(sys.executable, command)
