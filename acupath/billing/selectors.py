"""Billing reads, each a fixed number of queries."""

from decimal import Decimal
from typing import Any

from babel.numbers import get_currency_precision

from acupath.billing.models import Invoice


def money_text(amount: Decimal, currency: str) -> str:
    """The amount as a decimal string in the currency's minor units, e.g. "1500.00"."""
    return str(amount.quantize(Decimal(1).scaleb(-get_currency_precision(currency))))


def invoice_summary(invoice: Invoice) -> dict[str, Any]:
    return {
        "id": invoice.public_id,
        "patient": invoice.patient.public_id,
        "status": invoice.status,
        "status_display": invoice.get_status_display(),
        "number": invoice.number or None,
        "currency": invoice.currency,
        "total": money_text(invoice.total, invoice.currency),
        "issued_on": invoice.issued_on,
    }


def invoice_detail(invoice: Invoice) -> dict[str, Any]:
    """The invoice with its lines (one query for the lines and their appointments)."""
    currency = invoice.currency
    lines = [
        {
            "description": line.description,
            "quantity": str(line.quantity.normalize()),
            "unit_price": money_text(line.unit_price, currency),
            "tax_rate": str(line.tax_rate),
            "net": money_text(line.net, currency),
            "tax": money_text(line.tax, currency),
            "appointment": line.appointment.public_id if line.appointment else None,
        }
        for line in invoice.lines.select_related("appointment")
    ]
    return invoice_summary(invoice) | {
        "net": money_text(invoice.net, currency),
        "tax": money_text(invoice.tax, currency),
        "lines": lines,
    }
