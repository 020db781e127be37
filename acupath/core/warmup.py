"""Work each server process would otherwise do on its first requests, done before it serves any.

Reading the rule and catalogue files, compiling templates and drawing a first chart cost a
cold process 70-300 ms on its first requests. `acupath serve` loads the application once in
gunicorn's master (--preload) and warms it there, so every worker forks warm. Apps register
their own warmers from AppConfig.ready; warmers read files, never the database.
"""

import gc
from collections.abc import Callable
from pathlib import Path

from django.apps import apps
from django.db import connections
from django.template.loader import get_template
from django.urls import get_resolver

_WARMERS: list[Callable[[], object]] = []


def warmer_register(warm: Callable[[], object]) -> None:
    _WARMERS.append(warm)


def templates_compile() -> int:
    """Compile every template of the project's apps into the cached loader; how many."""
    count = 0
    for config in apps.get_app_configs():
        folder = Path(config.path) / "templates"
        if not config.name.startswith("acupath.") or not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*.html")):
            get_template(path.relative_to(folder).as_posix())
            count += 1
    return count


def warm() -> None:
    get_resolver().url_patterns  # noqa: B018 - imports every view module and builds the resolver
    templates_compile()
    for warmer in _WARMERS:
        warmer()
    connections.close_all()  # nothing opened here may be shared by the forked workers
    # What is loaded now lives as long as the process: keep it out of the garbage collector's
    # full passes (which otherwise walk it all, pausing a request) and off copy-on-write pages.
    gc.freeze()
