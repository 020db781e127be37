"""`acupath worker`: runs every task the apps register, each at its own pace, surviving a failing one."""

import pytest
from django.core.management import call_command
from django.db import DatabaseError

from acupath.core import tasks
from acupath.core.management.commands import worker

pytestmark = pytest.mark.django_db


def test_the_apps_register_their_background_tasks():
    assert {"reminders", "watch", "waitlist"} <= {t.name for t in tasks.periodic_tasks()}


def test_one_pass_runs_every_task_and_reports_its_counts(capsys, monkeypatch):
    calls = []
    monkeypatch.setattr(tasks, "_TASKS", {})
    tasks.periodic_task_register("fine", lambda w: calls.append(w) or {"done": 2})
    tasks.periodic_task_register("broken", lambda w: (_ for _ in ()).throw(DatabaseError("gone")))
    tasks.periodic_task_register("slow", lambda w: {"done": 1}, every_seconds=3600)
    call_command("worker", "--once")
    out = capsys.readouterr().out
    assert "fine.done=2" in out and "slow.done=1" in out and "broken" not in out
    assert len(calls) == 1


def test_a_task_runs_again_only_when_its_interval_has_passed(monkeypatch):
    task = tasks.PeriodicTask("slow", lambda w: {}, every_seconds=300)
    monkeypatch.setattr(worker.time, "monotonic", lambda: 1301.0)
    assert worker._due(task, {})  # never run
    assert not worker._due(task, {"slow": 1100.0})  # 201 s ago
    assert worker._due(task, {"slow": 1001.0})  # 300 s ago
