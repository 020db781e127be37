"""`acupath serve` starts the background worker beside gunicorn, told to stop with it."""

import os
import sys

from django.core.management import call_command

from acupath.core.management.commands import serve


def test_serve_starts_the_worker_watching_the_server_then_hands_over_to_gunicorn(monkeypatch):
    started, executed = [], []
    monkeypatch.setattr(serve, "call_command", lambda *a, **k: None)
    monkeypatch.setattr(serve.subprocess, "Popen", lambda args, **kwargs: started.append(args))
    monkeypatch.setattr(serve.os, "execv", lambda path, args: executed.append(args))
    call_command("serve", port=8999)
    assert started == [[sys.executable, "-m", "acupath.cli", "worker", "--parent", str(os.getpid())]]
    assert executed and "gunicorn" in executed[0]


def test_serve_can_leave_the_worker_to_run_elsewhere(monkeypatch):
    started = []
    monkeypatch.setattr(serve, "call_command", lambda *a, **k: None)
    monkeypatch.setattr(serve.subprocess, "Popen", lambda args, **kwargs: started.append(args))
    monkeypatch.setattr(serve.os, "execv", lambda path, args: None)
    call_command("serve", port=8999, no_background=True)
    assert started == []
