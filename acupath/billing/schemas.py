"""API shapes for billing. Amounts are decimal strings ("1500.00") both ways, never JSON numbers."""

import datetime as dt
import uuid

from ninja import Schema

from acupath.billing.models import InvoiceStatus


class InvoiceLineIn(Schema):
    """Either an attended appointment to bill at the price list's price, or a typed line."""

    appointment: uuid.UUID | None = None
    description: str = ""
    quantity: str | int | None = None
    unit_price: str | None = None


class InvoiceIn(Schema):
    patient: uuid.UUID
    lines: list[InvoiceLineIn]
    currency: str = ""


class InvoiceLinesIn(Schema):
    lines: list[InvoiceLineIn]


class InvoiceLineOut(Schema):
    description: str
    quantity: str
    unit_price: str
    tax_rate: str
    net: str
    tax: str
    appointment: uuid.UUID | None


class InvoiceOut(Schema):
    id: uuid.UUID
    patient: uuid.UUID
    status: InvoiceStatus
    status_display: str
    number: str | None
    currency: str
    net: str
    tax: str
    total: str
    issued_on: dt.date | None
    lines: list[InvoiceLineOut]


class InvoiceSummaryOut(Schema):
    id: uuid.UUID
    patient: uuid.UUID
    status: InvoiceStatus
    status_display: str
    number: str | None
    currency: str
    total: str
    issued_on: dt.date | None
