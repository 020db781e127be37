"""Invoice numbers: the financial year, the 16-character limit, and no gaps when an issue fails."""

import datetime as dt
from unittest import mock

import pytest
from django.utils import timezone

from acupath.billing.domain.numbering import financial_year, invoice_number
from acupath.billing.models import Invoice, InvoiceCounter
from acupath.billing.services.invoices import LineIn, invoice_create, invoice_issue
from acupath.billing.tests.helpers import desk
from acupath.clinic.selectors import clinic_zone
from acupath.core.errors import ServiceError
from tests.factories import PatientFactory


@pytest.mark.parametrize(
    ("day", "start", "year"),
    [
        (dt.date(2026, 3, 31), 4, 2025),
        (dt.date(2026, 4, 1), 4, 2026),
        (dt.date(2026, 1, 1), 1, 2026),
        (dt.date(2026, 12, 31), 1, 2026),
    ],
)
def test_financial_year_starts_in_the_clinics_month(day, start, year):
    assert financial_year(day, start) == year


def test_numbers_are_padded_and_at_most_sixteen_characters():
    assert invoice_number("ACU", 2026, 7) == "ACU/2026/0007"
    assert invoice_number("ACUPAT", 2026, 9999) == "ACUPAT/2026/9999"
    assert invoice_number("ACU", 2026, 12345) == "ACU/2026/12345"
    with pytest.raises(ValueError, match="longer than 16"):
        invoice_number("ACUPAT", 2026, 10000)


def _draft(clinic, user):
    return invoice_create(
        user,
        patient=PatientFactory(clinic=clinic),
        lines=[LineIn(description="Treatment", quantity=1, unit_price=1000)],  # type: ignore[arg-type]
    )


@pytest.mark.django_db
def test_a_failed_issue_gives_its_number_back(clinic):
    user = desk()
    first, failing, third = (_draft(clinic, user) for _ in range(3))
    assert invoice_issue(user, first).serial == 1
    with (
        mock.patch("acupath.billing.services.invoices.audit_record", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        invoice_issue(user, failing)
    assert Invoice.objects.get(pk=failing.pk).number == ""
    assert invoice_issue(user, third).serial == 2
    assert invoice_issue(user, failing).serial == 3
    assert InvoiceCounter.objects.get().last == 3


@pytest.mark.django_db
def test_a_prefix_too_long_for_the_number_is_refused_and_rolls_back(clinic):
    user = desk()
    draft = _draft(clinic, user)
    clinic.billing.invoice_prefix = "ACUPAT"
    clinic.billing.save()
    year = financial_year(timezone.now().astimezone(clinic_zone()).date(), clinic.billing.year_start_month)
    InvoiceCounter.objects.create(clinic=clinic, financial_year=year, last=9998)
    assert invoice_issue(user, draft).number == f"ACUPAT/{year}/9999"
    late = _draft(clinic, user)
    with pytest.raises(ServiceError, match="shorten the prefix"):
        invoice_issue(user, late)
    assert InvoiceCounter.objects.get().last == 9999
    assert Invoice.objects.get(pk=late.pk).number == ""
