#!/usr/bin/env python3
"""Vendor the few browser libraries that no Python package ships, from the npm registry.

    python3 tools/vendor_js.py          fetch each pinned package, check it, copy its files
    python3 tools/vendor_js.py --check  only verify that the vendored files match the pins

Each package is fetched with `npm pack` (the npm client as configured on this machine), its
tarball is checked against the pinned sha512 integrity, and only the listed files are copied into
``acupath/core/static/vendor/<folder>/`` with the package's licence, so pages load them from our own
origin. The copied files are committed: a fresh machine needs neither npm nor the network to serve
them. To upgrade, change a version, run the script once with ``--integrity`` to print the new
integrity, review the diff of the vendored files, and pin the new value.
Standard library only.
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENDOR = ROOT / "acupath" / "core" / "static" / "vendor"

MIT = """MIT License

Copyright (c) {holder}

Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
associated documentation files (the "Software"), to deal in the Software without restriction,
including without limitation the rights to use, copy, modify, merge, publish, distribute,
sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or
substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT
NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES
OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN
CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
"""


@dataclass(frozen=True)
class Pin:
    package: str
    version: str
    integrity: str  # the registry's sha512 of the tarball
    folder: str  # under static/vendor/
    files: tuple[str, ...]  # paths inside the tarball's package/ folder
    licence: str  # SPDX id; the package's own licence file is copied when it ships one
    holder: str = ""  # copyright holder, for a package that declares MIT but ships no licence file


PINS = (
    # Drawn signatures on the consent page (tablet and portal).
    Pin(
        "signature_pad",
        "5.1.4",
        "sha512-q0wO5a+U+AWPVcVmiNXz7FY4Ad1QiE8wto/3Yn41WVqepoVVYMvkb1CTokaWPUUAHWDLLabH3/acODeWM9jCrg==",
        "signature_pad",
        ("dist/signature_pad.umd.min.js",),
        "MIT",
    ),
    # The desk's calendar: resource columns, touch drag-and-drop. The build package is the
    # self-contained bundle of @event-calendar/core and its plugins (MIT, declared in package.json;
    # the package ships no licence file, so the MIT text is written with its author's name).
    Pin(
        "@event-calendar/build",
        "5.10.1",
        "sha512-iAR/l5oeFwqt7mfjBGsrpTiWFOt8yfI7PxV0OqnGaTzZGxvre2QeI0TNNlTpuefoMPd15qseQlfWpxiORzJOMA==",
        "event-calendar",
        ("dist/event-calendar.min.js", "dist/event-calendar.min.css"),
        "MIT",
        holder="Vladimir Kurko",
    ),
)

LICENCE_FILES = ("LICENSE", "LICENSE.md", "LICENSE.txt", "license")


def integrity_of(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def fetch(pin: Pin, into: Path) -> Path:
    subprocess.run(
        ["npm", "pack", f"{pin.package}@{pin.version}", "--silent", "--pack-destination", str(into)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    (tarball,) = into.glob("*.tgz")
    return tarball


def vendor(pin: Pin, *, print_integrity: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tarball = fetch(pin, Path(tmp))
        actual = integrity_of(tarball.read_bytes())
        if print_integrity:
            print(f"{pin.package}@{pin.version}: {actual}")
            return
        if actual != pin.integrity:
            sys.exit(f"{pin.package}@{pin.version}: integrity {actual} differs from the pin; refusing to vendor it")
        target = VENDOR / pin.folder
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        with tarfile.open(tarball) as archive:
            names = set(archive.getnames())
            for name in pin.files:
                member = archive.extractfile(f"package/{name}")
                if member is None:
                    sys.exit(f"{pin.package}: {name} is not a file in the package")
                (target / Path(name).name).write_bytes(member.read())
            shipped = next((f"package/{n}" for n in LICENCE_FILES if f"package/{n}" in names), None)
            if shipped:
                licence = archive.extractfile(shipped)
                if licence is None:
                    sys.exit(f"{pin.package}: {shipped} is not a file")
                (target / "LICENSE").write_bytes(licence.read())
            elif pin.licence == "MIT" and pin.holder:
                (target / "LICENSE").write_text(MIT.format(holder=pin.holder))
            else:
                sys.exit(f"{pin.package}: no licence file in the package and none to write")
        (target / "VERSION.json").write_text(
            json.dumps(
                {"package": pin.package, "version": pin.version, "integrity": pin.integrity, "licence": pin.licence},
                indent=2,
            )
            + "\n"
        )
        print(f"vendored {pin.package}@{pin.version} into {target.relative_to(ROOT)}")


def check() -> int:
    """Every pin has its files, licence and a VERSION.json that names the pinned version."""
    problems = []
    for pin in PINS:
        target = VENDOR / pin.folder
        stamp = target / "VERSION.json"
        if not stamp.exists() or json.loads(stamp.read_text()).get("version") != pin.version:
            problems.append(f"{pin.package}: not vendored at {pin.version}")
            continue
        for name in (*(Path(f).name for f in pin.files), "LICENSE"):
            if not (target / name).exists():
                problems.append(f"{pin.package}: {name} missing")
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    if "--check" in sys.argv:
        sys.exit(check())
    for pin in PINS:
        vendor(pin, print_integrity="--integrity" in sys.argv)
