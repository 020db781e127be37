#!/usr/bin/env python3
"""Acupath's two commands, for a machine that has only Python 3.11+ and the package index.

    python3 dev.py demo [--port N] [--no-serve]   install into .venv, set up the demo clinic, serve it
    python3 dev.py test                           install test tools, run checks and the whole suite

`test` runs the suite on SQLite, then again on PostgreSQL when a server is reachable
(TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/acupath). Set
ACUPATH_REQUIRE_POSTGRES=1 (as CI does) to fail instead of skipping when it is not.
Standard library only: this file runs before anything is installed.
"""

import hashlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/acupath"


def say(text: str) -> None:
    print(f"\n== {text}", flush=True)


def run(*args: str | Path, env: dict[str, str] | None = None) -> None:
    result = subprocess.run([str(a) for a in args], cwd=ROOT, env=env)
    if result.returncode:
        sys.exit(result.returncode)


def ensure_venv() -> None:
    if PY.exists():
        return
    say("Creating the virtual environment in .venv")
    if subprocess.run([sys.executable, "-m", "venv", str(VENV)]).returncode == 0:
        return
    # Debian without python3-venv has no ensurepip: make the venv bare and let the system's own pip
    # (configured for this machine's package index) install pip into it.
    shutil.rmtree(VENV, ignore_errors=True)
    if subprocess.run([sys.executable, "-m", "pip", "--version"], capture_output=True).returncode:
        sys.exit("Python cannot create a virtual environment here: install Debian's python3-venv (or pip).")
    run(sys.executable, "-m", "venv", "--without-pip", VENV)
    run(sys.executable, "-m", "pip", "--python", PY, "install", "--quiet", "pip")


def ensure_installed(extra: str) -> None:
    """pip install the project (editable) when pyproject.toml changed since the last install."""
    ensure_venv()
    stamp = VENV / f".installed-{extra or 'base'}"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    say(f"Installing Acupath{' and its test tools' if extra else ''} into .venv")
    run(PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(PY, "-m", "pip", "install", "--quiet", "-e", f".[{extra}]" if extra else ".")
    stamp.write_text(digest)


# What the browser tests need from Debian: the browser, and a font with Chinese characters
# (point names are shown with their characters; without it screenshots show empty boxes).
# Printed documents are looked at too: poppler's pdftoppm renders their pages to pictures.
BROWSER_PACKAGES = {
    "chromium": "/usr/bin/chromium",
    "fonts-wqy-zenhei": "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "poppler-utils": "/usr/bin/pdftoppm",
}


def ensure_browser() -> None:
    """Install Debian's chromium (and the CJK font) for the browser tests, when missing and allowed."""
    missing = [package for package, path in BROWSER_PACKAGES.items() if not Path(path).exists()]
    if not missing:
        return
    sudo: list[str] = []
    if os.geteuid() != 0:
        if not shutil.which("sudo"):
            say(f"{', '.join(missing)} not installed and no sudo: the browser tests may be skipped")
            return
        sudo = ["sudo", "-n"]
    say(f"Installing {', '.join(missing)} from Debian for the browser tests")
    subprocess.run([*sudo, "apt-get", "update", "-q"])
    if subprocess.run([*sudo, "apt-get", "install", "-y", "--no-install-recommends", *missing]).returncode:
        say("Could not install them: the browser tests may be skipped")


def postgres_reachable(url: str) -> bool:
    parts = urllib.parse.urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 5432), timeout=2):
            return True
    except OSError:
        return False


def test() -> None:
    ensure_installed("test")
    ensure_browser()
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env["ACUPATH_DATA_DIR"] = tempfile.mkdtemp(prefix="acupath-test-")
    say("Static checks: ruff, mypy, import layers, migrations")
    run(BIN / "ruff", "check", "acupath", "tests", "tools", "conftest.py", "dev.py")
    run(BIN / "ruff", "format", "--check", "acupath", "tests", "tools", "conftest.py", "dev.py")
    run(BIN / "mypy", "acupath")
    run(BIN / "lint-imports")
    run(BIN / "acupath", "makemigrations", "--check", "--dry-run", env=env)
    say("Test suite on SQLite")
    run(PY, "-m", "pytest", *sys.argv[2:], env=env)
    url = os.environ.get("TEST_DATABASE_URL", DEFAULT_PG)
    if postgres_reachable(url):
        say(f"Test suite on PostgreSQL ({urllib.parse.urlsplit(url).hostname})")
        run(PY, "-m", "pytest", *sys.argv[2:], env=env | {"DATABASE_URL": url})
    elif os.environ.get("ACUPATH_REQUIRE_POSTGRES") == "1":
        say(f"PostgreSQL is required but not reachable at {url}")
        sys.exit(1)
    else:
        say(f"PostgreSQL not reachable at {url}: the PostgreSQL run was skipped (SQLite run passed)")


def demo() -> None:
    ensure_installed("")
    os.execv(BIN / "acupath", [str(BIN / "acupath"), "demo", *sys.argv[2:]])


if __name__ == "__main__":
    commands = {"demo": demo, "test": test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    commands[sys.argv[1]]()
