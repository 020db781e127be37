"""`acupath serve`: run the clinic with gunicorn (several workers), not the development server."""

import multiprocessing
import os
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

    def handle(self, *args: Any, **options: Any) -> None:
        # Static files are served by WhiteNoise from STATIC_ROOT; collect them first (quick, idempotent).
        call_command("collectstatic", interactive=False, verbosity=0)
        bind = f"{options['host']}:{options['port']}"
        db = settings.DATABASES["default"]
        where = db["NAME"] if db["ENGINE"].endswith("sqlite3") else f"PostgreSQL at {db.get('HOST')}"
        self.stdout.write(f"Acupath serving http://{bind}/  ({options['workers']} workers, database: {where})")
        self.stdout.flush()
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
        ]  # fmt: skip
        os.execv(sys.executable, command)
