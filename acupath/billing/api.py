"""/api/v1/invoices: draft, edit, issue, read. The desk and the owner bill; a patient reads their own."""

import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from acupath.accounts.permissions import Capability
from acupath.billing.access import access_invoice_by_id, invoices_visible_to
from acupath.billing.models import Invoice
from acupath.billing.schemas import InvoiceIn, InvoiceLineIn, InvoiceLinesIn, InvoiceOut, InvoiceSummaryOut
from acupath.billing.selectors import invoice_detail, invoice_summary
from acupath.billing.services.invoices import LineIn, invoice_create, invoice_issue, invoice_replace_lines
from acupath.core.errors import ServiceError
from acupath.patients.access import access_patient_by_id
from acupath.scheduling.access import access_appointment_by_id

router = Router(tags=["billing"])


def _decimal(value: str | int | None, field: str) -> Decimal | None:
    if value is None:
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise ServiceError({field: f"{value!r} is not a number: write it like 1500.00"}) from None
    if not number.is_finite():
        raise ServiceError({field: f"{value!r} is not a number: write it like 1500.00"})
    return number


def _lines(request: HttpRequest, lines: list[InvoiceLineIn]) -> list[LineIn]:
    out = []
    for position, line in enumerate(lines):
        where = f"lines.{position}"
        appointment = (
            access_appointment_by_id(request.user, line.appointment, Capability.BILL) if line.appointment else None
        )
        out.append(
            LineIn(
                description=line.description,
                quantity=_decimal(line.quantity, f"{where}.quantity"),
                unit_price=_decimal(line.unit_price, f"{where}.unit_price"),
                appointment=appointment,
            )
        )
    return out


def _reload(invoice: Invoice) -> Invoice:
    return Invoice.objects.select_related("patient").get(pk=invoice.pk)


@router.post("/invoices", response={201: InvoiceOut})
def create_invoice(request: HttpRequest, payload: InvoiceIn) -> Status[dict[str, Any]]:
    patient = access_patient_by_id(request.user, payload.patient, Capability.BILL)
    invoice = invoice_create(
        request.user, patient=patient, lines=_lines(request, payload.lines), currency=payload.currency, via="api"
    )
    return Status(201, invoice_detail(_reload(invoice)))


@router.get("/invoices", response=list[InvoiceSummaryOut])
def list_invoices(request: HttpRequest, patient: uuid.UUID | None = None) -> list[dict[str, Any]]:
    invoices = invoices_visible_to(request.user).select_related("patient").order_by("-created_at")
    if patient is not None:
        invoices = invoices.filter(patient__public_id=patient)
    return [invoice_summary(invoice) for invoice in invoices[:200]]


@router.get("/invoices/{invoice_id}", response=InvoiceOut)
def get_invoice(request: HttpRequest, invoice_id: uuid.UUID) -> dict[str, Any]:
    return invoice_detail(access_invoice_by_id(request.user, invoice_id, Capability.VIEW_INVOICES))


@router.put("/invoices/{invoice_id}/lines", response=InvoiceOut)
def replace_lines(request: HttpRequest, invoice_id: uuid.UUID, payload: InvoiceLinesIn) -> dict[str, Any]:
    invoice = access_invoice_by_id(request.user, invoice_id, Capability.BILL)
    invoice = invoice_replace_lines(request.user, invoice, lines=_lines(request, payload.lines), via="api")
    return invoice_detail(_reload(invoice))


@router.post("/invoices/{invoice_id}/issue", response=InvoiceOut)
def issue_invoice(request: HttpRequest, invoice_id: uuid.UUID) -> dict[str, Any]:
    invoice = access_invoice_by_id(request.user, invoice_id, Capability.BILL)
    return invoice_detail(_reload(invoice_issue(request.user, invoice, via="api")))
