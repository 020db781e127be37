"""SQLite's "database is locked" is retried for a whole transaction, a bounded number of times."""

import pytest
from django.db import OperationalError, transaction

from acupath.scheduling.services import appointments
from acupath.scheduling.services.appointments import LOCK_RETRIES, retry_when_locked


@pytest.fixture(autouse=True)
def no_sleep(monkeypatch):
    monkeypatch.setattr(appointments.time, "sleep", lambda seconds: None)


def flaky(failures: int, message: str = "database is locked"):
    calls = []

    @retry_when_locked
    def work():
        calls.append(1)
        if len(calls) <= failures:
            raise OperationalError(message)
        return "done"

    return work, calls


def test_a_locked_database_is_retried_until_it_works():
    work, calls = flaky(2)
    assert work() == "done" and len(calls) == 3


def test_retries_are_bounded():
    work, calls = flaky(99)
    with pytest.raises(OperationalError):
        work()
    assert len(calls) == LOCK_RETRIES


def test_other_database_errors_are_not_retried():
    work, calls = flaky(1, "no such table: x")
    with pytest.raises(OperationalError):
        work()
    assert len(calls) == 1


@pytest.mark.django_db
def test_inside_a_callers_transaction_the_error_is_passed_up():
    work, calls = flaky(1)
    with pytest.raises(OperationalError), transaction.atomic():
        work()
    assert len(calls) == 1
