"""Twenty desks issue twenty drafts at the same moment: twenty distinct, consecutive numbers.

Each thread has its own client and so its own database connection; a barrier releases them
together. On PostgreSQL the counter row's UPDATE waits on the row lock; on SQLite writers queue on
the database lock (IMMEDIATE transactions, a 20 s busy timeout in settings).
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client

from acupath.billing.models import Invoice
from acupath.billing.services.invoices import LineIn, invoice_create
from acupath.billing.tests.helpers import desk
from conftest import bearer
from tests.factories import PatientFactory

THREADS = 20


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_issues_get_twenty_consecutive_numbers(clinic):
    user = desk()
    drafts = [
        invoice_create(
            user,
            patient=PatientFactory(clinic=clinic),
            lines=[LineIn(description="Treatment", quantity=1, unit_price=1000)],  # type: ignore[arg-type]
        )
        for _ in range(THREADS)
    ]
    headers = bearer(user)
    barrier = threading.Barrier(THREADS)

    def issue(invoice: Invoice) -> tuple[int, dict]:
        try:
            barrier.wait(timeout=30)
            response = Client().post(f"/api/v1/invoices/{invoice.public_id}/issue", **headers)
            return response.status_code, response.json()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        results = list(pool.map(issue, drafts))

    assert [code for code, _ in results] == [200] * THREADS, results
    serials = sorted(Invoice.objects.values_list("serial", flat=True))
    assert serials == list(range(1, THREADS + 1))
    numbers = {body["number"] for _, body in results}
    assert len(numbers) == THREADS
