"""The benchmark: latency and query counts of the key operations on a seeded database.

Latency is measured over HTTP against a real `acupath serve` process (gunicorn, several
workers), so it includes everything a tablet waits for. Query counts are measured in
process with Django's test client on the same URLs. Two floors are measured in the same
run so that figures from a shared, noisy machine can be compared: a trivial view on the
same server (the framework's ceiling) and the raw SQL of the heaviest query seen (the
database's floor).
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from acupath.accounts.models import ApiToken, User
from acupath.demo.clinic import DEMO_PASSWORD


@dataclass
class Operation:
    name: str
    method: str
    path: str
    budget_ms: float = 100.0
    body: dict[str, Any] | None = None
    api: bool = False  # authenticate with the bearer token instead of the session cookie
    htmx: bool = False  # ask for the partial an htmx poll gets, as the board's refresh does
    # Request n goes to paths[n] when given: e.g. a different patient each time, so nothing drawn
    # or read for one request can serve the next.
    paths: tuple[str, ...] = ()
    expect: int = 0  # the status the operation must answer (0: any success), e.g. 409 for a duplicate

    def path_for(self, n: int) -> str:
        return self.paths[n % len(self.paths)] if self.paths else self.path


@dataclass
class Result:
    name: str
    path: str
    budget_ms: float
    status: int = 0
    median_ms: float = 0.0
    p95_ms: float = 0.0
    queries: int | None = None
    ratio_to_floor: float | None = None  # median over the trivial view's median
    sql_floor_ms: float | None = None  # the operation's slowest query, run raw on the database
    within_budget: bool = False
    note: str = ""
    samples: list[float] = field(default_factory=list, repr=False)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def running_server(port: int, workers: int) -> Iterator[str]:
    """Start `acupath serve` on `port` and stop it afterwards."""
    # The background worker's passes would compete with the timed requests for the two cores;
    # `acupath bench` runs one pass itself before it starts measuring.
    env = dict(os.environ, ACUPATH_LOG_LEVEL="ERROR", ACUPATH_BACKGROUND_WORKER="0")
    process = subprocess.Popen(
        [sys.executable, "-m", "acupath.cli", "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            with contextlib.suppress(OSError):
                urllib.request.urlopen(f"{base}/healthz", timeout=1).read()
                break
            time.sleep(0.1)
        else:
            raise RuntimeError("the server did not start")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


class Http:
    """A signed-in browser (session cookie) and an API client (bearer token) for one user."""

    def __init__(self, base: str, username: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        form = self.opener.open(f"{base}/accounts/sign-in/").read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
        if token is None:
            raise RuntimeError("no CSRF token on the sign-in page")
        data = urllib.parse.urlencode(
            {"username": username, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token.group(1)}
        ).encode()
        self.opener.open(urllib.request.Request(f"{base}/accounts/sign-in/", data=data, headers={"Referer": base}))
        body = json.dumps({"username": username, "password": DEMO_PASSWORD}).encode()
        answer = urllib.request.urlopen(
            urllib.request.Request(f"{base}/api/v1/auth/token", data=body, headers={"Content-Type": "application/json"})
        )
        self.token = json.load(answer)["token"]

    def request(self, op: Operation, n: int = 0) -> tuple[int, float]:
        data = json.dumps(op.body).encode() if op.body is not None else None
        headers = {"Content-Type": "application/json"} if data is not None else {}
        if op.api:
            headers["Authorization"] = f"Bearer {self.token}"
        if op.htmx:
            headers["HX-Request"] = "true"
        req = urllib.request.Request(f"{self.base}{op.path_for(n)}", data=data, method=op.method, headers=headers)
        opener = self.opener if not op.api else urllib.request.build_opener()
        started = time.perf_counter()
        try:
            with opener.open(req, timeout=30) as response:
                response.read()
                status = response.status
        except urllib.error.HTTPError as error:
            error.read()
            status = error.code
        return status, (time.perf_counter() - started) * 1000


def count_queries(username: str, op: Operation) -> tuple[int, list[dict[str, str]]]:
    """Queries the operation makes, measured in process on the same URL."""
    client = Client()
    user = User.objects.get(username=username)
    client.force_login(user)
    headers: dict[str, str] = {}
    if op.api:
        key = ApiToken.new_key()
        ApiToken.objects.create(user=user, key_hash=ApiToken.hash(key))
        headers["Authorization"] = f"Bearer {key}"
    if op.htmx:
        headers["HX-Request"] = "true"

    def call() -> None:
        if op.method == "GET":
            client.get(op.path, headers=headers)
        else:
            client.generic(
                op.method, op.path, json.dumps(op.body or {}), content_type="application/json", headers=headers
            )

    call()  # warm, as the timed requests are: per-process caches filled, the session touched
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured.captured_queries), list(captured.captured_queries)


def time_raw_sql(sql: str, repeat: int) -> float:
    """Median milliseconds of one captured SELECT run directly on the database cursor."""
    samples = []
    with connection.cursor() as cursor:
        for _ in range(repeat):
            started = time.perf_counter()
            cursor.execute(sql)
            cursor.fetchall()
            samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def measure(client: Http, op: Operation, requests: int) -> Result:
    result = Result(op.name, op.path, op.budget_ms)
    for n in range(3):  # warm caches and connections
        client.request(op, n)
    for n in range(3, 3 + requests):
        status, ms = client.request(op, n)
        result.status = status
        result.samples.append(ms)
    result.median_ms = round(statistics.median(result.samples), 2)
    result.p95_ms = round(percentile(result.samples, 95), 2)
    answered = result.status == op.expect if op.expect else result.status < 400
    result.within_budget = answered and result.p95_ms < op.budget_ms
    if not answered:
        result.note = f"answered {result.status}"
    return result


def concurrent_rate(make: Callable[[int], Operation], client: Http, clients: int, total: int) -> tuple[float, int, int]:
    """Requests per second with `clients` threads issuing `total` distinct requests."""
    counter = iter(range(total))
    lock = threading.Lock()
    outcomes: list[int] = []

    def work() -> None:
        while True:
            with lock:
                n = next(counter, None)
            if n is None:
                return
            status, _ms = client.request(make(n))
            with lock:
                outcomes.append(status)

    threads = [threading.Thread(target=work) for _ in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    return total / elapsed, sum(1 for s in outcomes if s < 300), sum(1 for s in outcomes if s == 409)


def report_rows(results: list[Result]) -> list[dict[str, Any]]:
    return [{k: v for k, v in asdict(r).items() if k != "samples"} for r in results]
