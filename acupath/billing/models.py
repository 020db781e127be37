"""Price list, invoices and their numbering.

An issued invoice is a legal record: its rows are refused UPDATE and DELETE by database triggers
(migration 0002) as well as by the services, and corrections are credit notes that reference it.
Prices are copied onto the invoice line when it is drafted, so a later price change never alters
an invoice.
"""

from django.core.validators import MinValueValidator
from django.db import models

from acupath.clinic.models import AppointmentType, Clinic, Location
from acupath.core.models import Entity
from acupath.patients.models import Patient
from acupath.scheduling.models import Appointment

# Amounts keep three decimal places, enough for any ISO 4217 minor unit (BHD, KWD); rates two.


class ClinicBilling(models.Model):
    """The clinic's billing settings: currency, invoice number prefix, start of its financial year."""

    clinic = models.OneToOneField(Clinic, on_delete=models.PROTECT, related_name="billing")
    currency = models.CharField(max_length=3, default="INR")
    locale = models.CharField(max_length=10, default="en_IN")  # how amounts are written on documents
    invoice_prefix = models.CharField(max_length=6, default="INV")
    year_start_month = models.PositiveSmallIntegerField(default=4)  # April, India's financial year
    default_tax_rate = models.DecimalField(default=0, max_digits=5, decimal_places=2)
    # Indian GST exempts health care services by a clinical establishment (SAC 9993, notification
    # 12/2017-CT(Rate) entry 74); that it covers acupuncture is UNVERIFIED, so the clinic confirms.
    tax_note = models.CharField(
        max_length=200,
        blank=True,
        default="Health care services by a clinical establishment (SAC 9993): GST exempt. "
        "Confirm with your tax adviser that this covers acupuncture.",
    )
    address = models.CharField(max_length=300, blank=True)
    registration_number = models.CharField(max_length=40, blank=True)
    tax_number = models.CharField(max_length=20, blank=True)  # GSTIN in India

    def __str__(self) -> str:
        return f"Billing settings of {self.clinic}"


class PriceItem(Entity):
    """One price, for an appointment type or an add-on, from a date; a change is a new row."""

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey(Location, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    appointment_type = models.ForeignKey(
        AppointmentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    add_on = models.CharField(max_length=40, blank=True)  # e.g. electroacupuncture, cupping
    name = models.CharField(max_length=120)
    unit_price = models.DecimalField(validators=[MinValueValidator(0)], max_digits=14, decimal_places=3)
    tax_rate = models.DecimalField(default=0, validators=[MinValueValidator(0)], max_digits=5, decimal_places=2)
    effective_from = models.DateField()
    effective_to = models.DateField(null=True, blank=True)  # exclusive; open-ended when empty

    class Meta:
        indexes = [models.Index(fields=["clinic", "appointment_type", "effective_from"], name="price_type_from")]


class InvoiceStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ISSUED = "issued", "Issued"


class Invoice(Entity):
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="invoices")
    status = models.CharField(max_length=10, choices=InvoiceStatus.choices, default=InvoiceStatus.DRAFT)
    currency = models.CharField(max_length=3)
    net = models.DecimalField(default=0, max_digits=14, decimal_places=3)
    tax = models.DecimalField(default=0, max_digits=14, decimal_places=3)
    total = models.DecimalField(default=0, max_digits=14, decimal_places=3)
    number = models.CharField(max_length=16, blank=True)
    financial_year = models.PositiveSmallIntegerField(null=True, blank=True)
    serial = models.PositiveIntegerField(null=True, blank=True)
    issued_on = models.DateField(null=True, blank=True)
    issued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "number"], condition=~models.Q(number=""), name="invoice_number_unique"
            ),
        ]
        indexes = [models.Index(fields=["patient", "created_at"], name="invoice_patient_created")]


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField()
    description = models.CharField(max_length=200)
    quantity = models.DecimalField(max_digits=8, decimal_places=2)
    unit_price = models.DecimalField(max_digits=14, decimal_places=3)
    tax_rate = models.DecimalField(max_digits=5, decimal_places=2)
    net = models.DecimalField(max_digits=14, decimal_places=3)
    tax = models.DecimalField(max_digits=14, decimal_places=3)
    appointment = models.OneToOneField(
        Appointment, null=True, blank=True, on_delete=models.PROTECT, related_name="invoice_line"
    )

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.description


class InvoiceCounter(models.Model):
    """The last serial issued per clinic and financial year; incremented inside the issuing
    transaction, so a failed issue rolls its number back and no number is skipped."""

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    financial_year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["clinic", "financial_year"], name="invoice_counter_unique"),
        ]

    def __str__(self) -> str:
        return f"Invoices of {self.financial_year}: {self.last} issued"
