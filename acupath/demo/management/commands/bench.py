"""`acupath bench`: measure the key operations on the seeded database and compare to budgets."""

import datetime as dt
import json
import os
import platform
import sys
from io import StringIO
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.db.models import Count, Max
from django.utils import timezone
from rich.console import Console
from rich.table import Table

from acupath.clinic.models import AppointmentType, Location, Practitioner
from acupath.clinic.selectors import clinic_zone
from acupath.demo.benchmark import (
    Http,
    Operation,
    Result,
    concurrent_rate,
    count_queries,
    free_port,
    measure,
    report_rows,
    running_server,
    time_raw_sql,
)
from acupath.patients.models import Patient
from acupath.planning.models import TreatmentPlan
from acupath.scheduling.models import Appointment


class Command(BaseCommand):
    help = "Benchmark pages and API calls against a real server on the current database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--requests", type=int, default=40, help="timed requests per operation")
        parser.add_argument("--clients", type=int, default=8, help="concurrent clients for the booking test")
        parser.add_argument("--workers", type=int, default=4, help="server worker processes")
        parser.add_argument("--json", default="", help="write results to this file (default: data folder)")
        parser.add_argument("--check", action="store_true", help="exit 1 when an operation misses its budget")

    def operations(self, requests: int) -> list[Operation]:
        # The patients with the longest histories: the heaviest charts to read and draw.
        longest = list(Patient.objects.annotate(n=Count("treatment_sessions")).order_by("-n", "id")[: requests + 3])
        if not longest:
            raise CommandError("The database has no patients: run `acupath seed --patients N` first.")
        patient = longest[0]
        plan = TreatmentPlan.objects.filter(patient=patient, status="approved").first()
        practitioner = Practitioner.objects.order_by("id").first()
        treatment = AppointmentType.objects.filter(code="treatment").first()
        if practitioner is None or treatment is None:
            raise CommandError("The database has no practitioner or no 'treatment' appointment type.")
        today = timezone.localdate()
        week = (today + dt.timedelta(days=7), today + dt.timedelta(days=14))
        # The location with the most practitioners: the widest day calendar the desk opens.
        site = Location.objects.annotate(n=Count("practitioners")).order_by("-n", "id").first()
        where = f"location={site.public_id}&" if site else ""
        ops = [
            Operation("Day schedule page", "GET", "/"),
            Operation("Patient chart page", "GET", f"/patients/{patient.public_id}/"),
            Operation(
                "Patient chart page, a new patient each time",
                "GET",
                f"/patients/{patient.public_id}/",
                paths=tuple(f"/patients/{p.public_id}/" for p in longest),
            ),
            Operation("Room board refresh", "GET", "/board/", budget_ms=20, htmx=True),
            # The API board answers the signed-in practitioner's location, as the page does.
            Operation("Room board API (own location)", "GET", "/api/v1/rooms/board", budget_ms=20, api=True),
            Operation(
                "Room board API, whole network (a page of 50)",
                "GET",
                "/api/v1/rooms/board?location=all&limit=50",
                budget_ms=20,
                api=True,
            ),
            Operation("Plan draft", "POST", f"/api/v1/patients/{patient.public_id}/plans/draft", api=True, body={}),
            Operation(
                "Course slot search",
                "POST",
                f"/api/v1/plans/{plan.public_id if plan else 'none'}/book-course",
                budget_ms=50,
                api=True,
                body={},
            ),
            Operation(
                "Availability (a week)",
                "GET",
                f"/api/v1/availability?practitioner={practitioner.public_id}&type={treatment.public_id}"
                f"&from={week[0]}&to={week[1]}",
                budget_ms=50,
                api=True,
            ),
            Operation("Patient API list", "GET", "/api/v1/patients?limit=50", api=True),
            Operation("Patient API search", "GET", "/api/v1/patients?q=ra&limit=50", api=True),
            Operation("Patient API detail", "GET", f"/api/v1/patients/{patient.public_id}", api=True),
            Operation("Patients page, name search", "GET", "/patients/?q=ra"),
            # Registering someone already registered: the duplicate check answers 409 with the candidates.
            Operation(
                "Duplicate check (register a known patient)",
                "POST",
                "/api/v1/patients",
                api=True,
                expect=409,
                body={
                    "given_name": patient.given_name,
                    "family_name": patient.family_name,
                    "birth_date": patient.birth_date.isoformat(),
                    "sex": patient.sex,
                    "phone": patient.phone,
                    "email": patient.email,
                },
            ),
            Operation("Week calendar page (one practitioner)", "GET", "/schedule/week/"),
            Operation("Day calendar page, every practitioner of a location", "GET", f"/schedule/?{where}day={today}"),
            Operation(
                "Day calendar feed, every practitioner of a location",
                "GET",
                f"/schedule/calendar/feed/?{where}start={today}&end={today + dt.timedelta(days=1)}",
            ),
            Operation("Recurrence watch work list", "GET", "/followup/"),
            Operation("No-show report (clinic aggregate)", "GET", "/followup/no-shows/"),
        ]
        return ops

    def handle(self, *args: Any, **options: Any) -> None:
        console = Console(width=None if sys.stdout.isatty() else 150)  # a log file gets the whole table
        ops = self.operations(options["requests"])
        patients = Patient.objects.count()
        # Background work first (watch snapshot, report counts, due reminders), as a running worker
        # would have done, so that no timed request finds it undone.
        call_command("worker", "--once", stdout=StringIO())
        results: list[Result] = []
        heaviest_sql: list[str] = []  # each operation's slowest SELECT, timed raw as its database floor
        for op in ops:
            queries, captured = count_queries("practitioner", op)
            selects = [q for q in captured if q["sql"].lstrip().upper().startswith("SELECT")]
            heaviest_sql.append(max(selects, key=lambda q: float(q["time"]))["sql"] if selects else "")
            results.append(Result(op.name, op.path, op.budget_ms, queries=queries))
        port = free_port()
        with running_server(port, options["workers"]) as base:
            client = Http(base, "practitioner")
            floor = measure(client, Operation("Floor: trivial view", "GET", "/healthz"), options["requests"])
            for i, op in enumerate(ops):
                timed = measure(client, op, options["requests"])
                timed.queries = results[i].queries
                results[i] = timed
            rate = self.booking_rate(client, options["clients"])
        for r, sql in zip(results, heaviest_sql, strict=True):
            r.sql_floor_ms = round(time_raw_sql(sql, options["requests"]), 2) if sql else None
            r.ratio_to_floor = round(r.median_ms / floor.median_ms, 1) if floor.median_ms else None
        db_floor = max((r.sql_floor_ms or 0.0, sql) for r, sql in zip(results, heaviest_sql, strict=True))
        self.show(console, results, floor, db_floor, rate, patients)
        out = Path(options["json"] or settings.DATA_DIR / "bench.json")
        out.write_text(
            json.dumps(
                {
                    "when": timezone.now().isoformat(),
                    "machine": {
                        "cpus": os.cpu_count(),
                        "python": platform.python_version(),
                        "system": platform.platform(),
                    },
                    "database": connection.vendor,
                    "patients": patients,
                    "floors": {
                        "trivial_view_median_ms": floor.median_ms,
                        "heaviest_sql_median_ms": db_floor[0],
                        "heaviest_sql": db_floor[1][:500],
                    },
                    "booking": rate,
                    "operations": report_rows(results),
                },
                indent=2,
            )
        )
        console.print(f"Results written to {out}")
        missed = [r.name for r in results if not r.within_budget]
        if options["check"] and missed:
            raise CommandError(f"Over budget or failing: {', '.join(missed)}")

    def booking_rate(self, client: Http, clients: int) -> dict[str, Any]:
        """Book distinct slots far ahead from several clients at once; report requests per second."""
        patients = list(Patient.objects.order_by("-id").values_list("public_id", flat=True)[: clients * 10])
        practitioners = list(Practitioner.objects.values_list("public_id", flat=True))
        treatment = AppointmentType.objects.filter(code="treatment").values_list("public_id", flat=True).first()
        # Distinct clinic hours (no Sundays, no lunch hour) a year or more ahead and after every booking
        # already made (an earlier run's too), one practitioner and one patient each, so every request
        # is a real booking that only a concurrent one could refuse.
        latest = Appointment.objects.aggregate(latest=Max("start"))["latest"]
        base = timezone.localdate() + dt.timedelta(days=400)
        if latest is not None:
            base = max(base, timezone.localdate(latest, clinic_zone()) + dt.timedelta(days=1))
        starts = [
            dt.datetime.combine(base + dt.timedelta(days=d), dt.time(h), tzinfo=clinic_zone())
            for d in range(60)
            if (base + dt.timedelta(days=d)).weekday() != 6
            for h in (9, 10, 11, 12, 14, 15, 16)
        ]

        def booking(n: int) -> Operation:
            start = starts[n // len(practitioners)]
            body = {
                "patient": str(patients[n]),
                "practitioner": str(practitioners[n % len(practitioners)]),
                "type": str(treatment),
                "start": start.isoformat(),
            }
            return Operation("Booking", "POST", "/api/v1/appointments", api=True, body=body)

        rate, ok, conflicts = concurrent_rate(booking, client, clients, len(patients))
        return {
            "clients": clients,
            "requests": len(patients),
            "per_second": round(rate, 1),
            "booked": ok,
            "conflicts": conflicts,
        }

    def show(
        self,
        console: Console,
        results: list[Result],
        floor: Result,
        db_floor: tuple[float, str],
        rate: dict[str, Any],
        patients: int,
    ) -> None:
        table = Table(title=f"Acupath benchmark · {patients:,} patients · {connection.vendor}")
        columns = ("operation", "median ms", "p95 ms", "budget ms", "queries", "x view floor", "SQL floor ms", "ok")
        for column in columns:
            table.add_column(column, justify="right" if column != "operation" else "left")
        for r in results:
            table.add_row(
                r.name,
                f"{r.median_ms:.1f}",
                f"{r.p95_ms:.1f}",
                f"{r.budget_ms:.0f}",
                str(r.queries),
                f"{r.ratio_to_floor}",
                "" if r.sql_floor_ms is None else f"{r.sql_floor_ms:.2f}",
                "yes" if r.within_budget else f"NO {r.note}",
            )
        table.add_row("Floor: trivial view", f"{floor.median_ms:.1f}", f"{floor.p95_ms:.1f}", "", "0", "1.0", "", "")
        table.add_row("Floor: heaviest SQL (raw)", f"{db_floor[0]:.2f}", "", "", "1", "", "", "")
        console.print(table)
        console.print(
            f"Booking under concurrency: {rate['per_second']} requests/s with {rate['clients']} clients "
            f"({rate['booked']} booked, {rate['conflicts']} conflicts)"
        )
