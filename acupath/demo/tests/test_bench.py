"""`acupath seed` then `acupath bench`, end to end, as a clinic would run them (SQLite, a small clinic)."""

import json
import os
import subprocess
import sys


def acupath(*args: str, data_dir: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {"ACUPATH_DATA_DIR": data_dir}
    return subprocess.run(
        [sys.executable, "-m", "acupath.cli", *args], env=env, capture_output=True, text=True, timeout=600
    )


def test_seed_then_bench_measures_every_operation_against_a_real_server(tmp_path):
    data = str(tmp_path)
    seeded = acupath("seed", "--patients", "60", "--seed", "7", data_dir=data)
    assert seeded.returncode == 0, seeded.stderr[-2000:]
    out = tmp_path / "bench.json"
    bench = acupath("bench", "--requests", "3", "--clients", "2", "--workers", "2", "--json", str(out), data_dir=data)
    assert bench.returncode == 0, bench.stderr[-2000:]
    report = json.loads(out.read_text())
    assert report["patients"] == 60 and report["database"] == "sqlite"
    names = {op["name"] for op in report["operations"]}
    assert {"Day schedule page", "Patient chart page", "Room board refresh", "Course slot search"} <= names
    assert "Day calendar feed, every practitioner of a location" in names
    for op in report["operations"]:
        # every operation answered as it must (a success; the duplicate check its 409), as the practitioner
        assert not (op.get("note") or "").startswith("answered"), op
        assert op["queries"] > 0 and op["median_ms"] > 0 and op["ratio_to_floor"] > 0
    assert report["floors"]["trivial_view_median_ms"] > 0 and report["floors"]["heaviest_sql"].startswith("SELECT")
    assert (
        report["booking"]["booked"] > 0
        and report["booking"]["booked"] + report["booking"]["conflicts"] == (report["booking"]["requests"])
    )
    assert "Acupath benchmark" in bench.stdout
    # A second run books fresh times: nothing it asks for was taken by the first.
    again = acupath("bench", "--requests", "2", "--clients", "2", "--workers", "2", "--json", str(out), data_dir=data)
    assert again.returncode == 0, again.stderr[-2000:]
    booking = json.loads(out.read_text())["booking"]
    assert booking["booked"] == booking["requests"] > 0 and booking["conflicts"] == 0
