"""`acupath demo`: migrate, load reference data, seed the demo clinic once, print logins, serve."""

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from rich.console import Console
from rich.progress import Progress

from acupath.clinic.models import Clinic
from acupath.demo.clinic import DEMO_LOGINS, DEMO_PASSWORD, ClinicSpec
from acupath.demo.generator import clinic_generate
from acupath.knowledge.services import reference_sync

DEMO_PATIENTS = 200
DEMO_SEED = 2026


class Command(BaseCommand):
    help = "Set up the demo clinic (idempotent) and serve it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--no-serve", action="store_true", help="set everything up but do not serve")

    def handle(self, *args: Any, **options: Any) -> None:
        console = Console()
        call_command("migrate", interactive=False, verbosity=0)
        report = reference_sync()
        console.print(f"Reference data: {report}")
        spec = ClinicSpec()
        if Clinic.objects.filter(name=spec.name).exists():
            console.print(f"[green]{spec.name}[/] is already set up; nothing new seeded.")
        else:
            with Progress(console=console) as bar:
                task = bar.add_task("Seeding the demo clinic", total=DEMO_PATIENTS)
                clinic_generate(
                    spec=spec,
                    patients=DEMO_PATIENTS,
                    seed=DEMO_SEED,
                    history_days=365,
                    chunk=50,
                    progress=lambda done, _sessions: bar.update(task, completed=done),
                )
            console.print(f"[green]{spec.name}[/] seeded with {DEMO_PATIENTS} patients and a year of care.")
        console.print("\nDemo logins (password for all: [bold]" + DEMO_PASSWORD + "[/]):")
        for login in DEMO_LOGINS:
            console.print(f"  {login}")
        if not options["no_serve"]:
            call_command("serve", host=options["host"], port=options["port"])
