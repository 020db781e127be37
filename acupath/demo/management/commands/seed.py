"""`acupath seed --patients N --seed S`: a synthetic clinic of any size, written in bulk."""

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from acupath.clinic.models import Clinic
from acupath.demo.clinic import ClinicSpec
from acupath.demo.generator import clinic_generate


class Command(BaseCommand):
    help = "Generate a realistic synthetic clinic (migrates and loads reference data first)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--patients", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--years", type=int, default=3, help="years of history")

    def handle(self, *args: Any, **options: Any) -> None:
        patients = options["patients"]
        if patients < 1:
            raise CommandError("--patients must be at least 1")
        call_command("migrate", interactive=False, verbosity=0)
        if Clinic.objects.exists():
            raise CommandError("This database already holds a clinic; seed into an empty data folder.")
        # About 250 active patients per practitioner, 4 practitioners and 6 rooms per location.
        practitioners = max(3, patients // 250)
        locations = max(1, -(-practitioners // 4))
        spec = ClinicSpec(locations=locations, practitioners_per_location=min(practitioners, 4), rooms_per_location=6)
        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[sessions]} sessions"),
            TimeElapsedColumn(),
        )
        with Progress(*columns) as bar:
            task = bar.add_task("Seeding patients", total=patients, sessions=0)
            clinic_generate(
                spec=spec,
                patients=patients,
                seed=options["seed"],
                history_days=365 * options["years"],
                chunk=1000,
                progress=lambda done, sessions: bar.update(task, completed=done, sessions=sessions),
            )
        self.stdout.write(self.style.SUCCESS(f"Seeded {patients} patients. Demo logins use the password acupath-demo."))
