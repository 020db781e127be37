"""Drafting, editing and issuing invoices.

Numbers come from a counter row per clinic and financial year, incremented inside the issuing
transaction: a failed issue rolls its number back with it, and two desks issuing at once are
serialised on the row (PostgreSQL's row lock; SQLite's single writer), so numbers are consecutive,
distinct and gapless.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from acupath.billing.domain.money import InvalidMoney, is_currency, line_amounts
from acupath.billing.domain.numbering import financial_year, invoice_number
from acupath.billing.models import ClinicBilling, Invoice, InvoiceCounter, InvoiceLine, InvoiceStatus, PriceItem
from acupath.clinic.models import Clinic
from acupath.clinic.selectors import clinic_zone
from acupath.core.audit import audit_record
from acupath.core.errors import Conflict, ServiceError
from acupath.core.models import AuditAction
from acupath.patients.models import Patient
from acupath.scheduling.enums import AppointmentStatus
from acupath.scheduling.models import Appointment

__all__ = ["LineIn", "billing_settings", "invoice_create", "invoice_issue", "invoice_replace_lines"]


@dataclass(frozen=True, slots=True)
class LineIn:
    """A line as typed (description, quantity, unit price) or an attended appointment to bill."""

    description: str = ""
    quantity: Decimal | None = None
    unit_price: Decimal | None = None
    appointment: Appointment | None = None


def billing_settings(clinic: Clinic) -> ClinicBilling:
    settings, _ = ClinicBilling.objects.get_or_create(clinic=clinic)
    return settings


def price_for(appointment: Appointment) -> PriceItem | None:
    """The price in force on the appointment's day, the location's own before the clinic-wide one."""
    day = appointment.start.astimezone(clinic_zone()).date()
    location_id = appointment.practitioner.location_id
    candidates = (
        PriceItem.objects.filter(
            clinic_id=appointment.patient.clinic_id,
            appointment_type_id=appointment.type_id,
            effective_from__lte=day,
        )
        .exclude(effective_to__lte=day)
        .order_by("-effective_from")
    )
    prices = list(candidates)
    return next((p for p in prices if p.location_id == location_id), None) or next(
        (p for p in prices if p.location_id is None), None
    )


def _lines(invoice: Invoice, lines: list[LineIn]) -> list[InvoiceLine]:
    if not lines:
        raise ServiceError({"lines": "add at least one line"})
    built: list[InvoiceLine] = []
    errors: dict[str, str] = {}
    for position, line in enumerate(lines):
        field = f"lines.{position}"
        try:
            built.append(_line(invoice, position, line))
        except InvalidMoney as exc:
            errors[field] = str(exc)
        except ServiceError as exc:
            errors[field] = "; ".join(exc.errors.values())
    if errors:
        raise ServiceError(errors)
    return built


def _line(invoice: Invoice, position: int, line: LineIn) -> InvoiceLine:
    tax_rate = billing_settings(invoice.clinic).default_tax_rate
    description, quantity, unit_price = line.description.strip(), line.quantity, line.unit_price
    if line.appointment is not None:
        appointment = line.appointment
        if appointment.patient_id != invoice.patient_id:
            raise ServiceError("this appointment belongs to another patient")
        if appointment.status != AppointmentStatus.ATTENDED:
            raise ServiceError("only an attended appointment can be billed")
        if InvoiceLine.objects.filter(appointment=appointment).exclude(invoice=invoice).exists():
            raise ServiceError("this appointment is already on an invoice")
        price = price_for(appointment)
        if price is None:
            raise ServiceError(f"the price list has no price for {appointment.type.name} on that day")
        day = appointment.start.astimezone(clinic_zone()).date()
        description = description or f"{price.name}, {day:%d %b %Y}"
        quantity, unit_price, tax_rate = Decimal(1), price.unit_price, price.tax_rate
    if not description:
        raise ServiceError("say what the line is for")
    if quantity is None or unit_price is None:
        raise ServiceError("give a quantity and a unit price, or an appointment")
    net, tax = line_amounts(quantity=quantity, unit_price=unit_price, tax_rate=tax_rate, currency=invoice.currency)
    return InvoiceLine(
        invoice=invoice,
        position=position,
        description=description[:200],
        quantity=quantity,
        unit_price=unit_price,
        tax_rate=tax_rate,
        net=net,
        tax=tax,
        appointment=line.appointment,
    )


def _save_lines(invoice: Invoice, lines: list[InvoiceLine]) -> None:
    InvoiceLine.objects.bulk_create(lines)
    invoice.net = sum((line.net for line in lines), Decimal(0))
    invoice.tax = sum((line.tax for line in lines), Decimal(0))
    invoice.total = invoice.net + invoice.tax
    invoice.save(update_fields=["net", "tax", "total", "updated_at", "updated_by"])


def invoice_create(
    actor: Any, *, patient: Patient, lines: list[LineIn], currency: str = "", via: str = "web"
) -> Invoice:
    """A draft invoice for `patient`, in the clinic's currency unless another is named."""
    currency = (currency or billing_settings(patient.clinic).currency).upper()
    if not is_currency(currency):
        raise ServiceError({"currency": f"{currency} is not an ISO 4217 currency code (for example INR or USD)"})
    with transaction.atomic():
        invoice = Invoice.objects.create(
            clinic=patient.clinic, patient=patient, currency=currency, created_by=actor, updated_by=actor
        )
        _save_lines(invoice, _lines(invoice, lines))
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            entity="invoice",
            entity_id=invoice.public_id,
            patient_id=patient.public_id,
            summary=f"Drafted an invoice for {invoice.total} {currency}",
            via=via,
        )
    return invoice


def _locked_draft(invoice: Invoice) -> Invoice:
    locked = Invoice.objects.select_for_update().select_related("clinic").get(pk=invoice.pk)
    if locked.status != InvoiceStatus.DRAFT:
        raise Conflict(
            f"invoice {locked.number} is issued and cannot be changed: issue a credit note instead",
            code="invoice_issued",
        )
    return locked


def invoice_replace_lines(actor: Any, invoice: Invoice, *, lines: list[LineIn], via: str = "web") -> Invoice:
    """Replace a draft's lines; an issued invoice is refused (409)."""
    with transaction.atomic():
        draft = _locked_draft(invoice)
        built = _lines(draft, lines)
        draft.lines.all().delete()
        draft.updated_by = actor
        _save_lines(draft, built)
        _audit(actor, draft, AuditAction.UPDATE, f"Edited a draft invoice, now {draft.total} {draft.currency}", via)
    return draft


def _audit(actor: Any, invoice: Invoice, action: AuditAction, summary: str, via: str) -> None:
    audit_record(
        actor=actor,
        action=action,
        entity="invoice",
        entity_id=invoice.public_id,
        patient_id=invoice.patient.public_id,
        summary=summary,
        via=via,
    )


def _next_serial(clinic: Clinic, year: int) -> int:
    """Take the next serial for (clinic, year) inside the caller's transaction."""
    InvoiceCounter.objects.get_or_create(clinic=clinic, financial_year=year)
    counter = InvoiceCounter.objects.filter(clinic=clinic, financial_year=year)
    counter.update(last=F("last") + 1)  # the UPDATE takes the row's write lock until commit
    return counter.values_list("last", flat=True).get()


def invoice_issue(actor: Any, invoice: Invoice, *, via: str = "web") -> Invoice:
    """Give a draft its number and make it permanent."""
    with transaction.atomic():
        draft = _locked_draft(invoice)
        if not draft.lines.exists():
            raise ServiceError({"lines": "an invoice needs at least one line before it is issued"})
        settings = billing_settings(draft.clinic)
        now = timezone.now()
        today = now.astimezone(clinic_zone()).date()
        year = financial_year(today, settings.year_start_month)
        serial = _next_serial(draft.clinic, year)
        try:
            number = invoice_number(settings.invoice_prefix, year, serial)
        except ValueError as exc:
            raise ServiceError({"invoice_prefix": str(exc)}) from None
        draft.status = InvoiceStatus.ISSUED
        draft.number, draft.financial_year, draft.serial = number, year, serial
        draft.issued_on, draft.issued_at, draft.updated_by = today, now, actor
        draft.save()
        _audit(actor, draft, AuditAction.UPDATE, f"Issued invoice {number} for {draft.total} {draft.currency}", via)
    return draft
