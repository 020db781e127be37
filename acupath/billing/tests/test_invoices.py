"""Invoices through the API: drafted from typed lines or attended visits, edited as drafts, issued
with a number, permanent once issued, and refused with a message for each bad field."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction

from acupath.accounts.models import Role
from acupath.billing.models import Invoice, InvoiceLine, PriceItem
from acupath.billing.tests.helpers import attended_visit, desk
from acupath.core.models import AuditEvent
from acupath.scheduling.enums import AppointmentStatus
from tests.factories import PatientFactory, UserFactory

pytestmark = pytest.mark.django_db


def typed(**overrides):
    return {"description": "Cupping", "quantity": 2, "unit_price": "750.00"} | overrides


def test_a_typed_draft_answers_201_with_decimal_strings(api, clinic):
    patient = PatientFactory(clinic=clinic)
    response = api.post("/api/v1/invoices", {"patient": str(patient.public_id), "lines": [typed()]}, user=desk())
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["total"], body["currency"], body["number"]) == ("draft", "1500.00", "INR", None)
    assert body["lines"][0]["net"] == "1500.00"
    assert AuditEvent.objects.filter(entity="invoice", entity_id=body["id"]).count() == 1


def test_an_attended_visit_is_billed_at_the_price_in_force(api, clinic):
    visit = attended_visit(clinic, price="1200.00")
    # A newer price from tomorrow does not apply to today's visit.
    PriceItem.objects.create(
        clinic=clinic,
        appointment_type=visit.type,
        name=visit.type.name,
        unit_price=Decimal("1800"),
        effective_from=visit.start.date() + dt.timedelta(days=1),
    )
    response = api.post(
        "/api/v1/invoices",
        {"patient": str(visit.patient.public_id), "lines": [{"appointment": str(visit.public_id)}]},
        user=desk(),
    )
    assert response.status_code == 201, response.json()
    assert response.json()["total"] == "1200.00"
    assert response.json()["lines"][0]["appointment"] == str(visit.public_id)


def test_a_visit_not_attended_or_already_billed_is_refused(api, clinic):
    visit = attended_visit(clinic)
    body = {"patient": str(visit.patient.public_id), "lines": [{"appointment": str(visit.public_id)}]}
    assert api.post("/api/v1/invoices", body, user=desk()).status_code == 201
    again = api.post("/api/v1/invoices", body, user=desk())
    assert again.status_code == 422
    assert "already on an invoice" in again.json()["detail"][0]["msg"]

    booked = attended_visit(clinic)
    booked.status = AppointmentStatus.BOOKED
    booked.save()
    response = api.post(
        "/api/v1/invoices",
        {"patient": str(booked.patient.public_id), "lines": [{"appointment": str(booked.public_id)}]},
        user=desk(),
    )
    assert response.status_code == 422
    assert "only an attended appointment" in response.json()["detail"][0]["msg"]


@pytest.mark.parametrize(
    ("line", "currency", "field", "says"),
    [
        (typed(quantity=-1), "", "lines.0", "quantity must be more than zero"),
        (typed(unit_price="-5"), "", "lines.0", "unit price must not be negative"),
        (typed(unit_price="abc"), "", "lines.0.unit_price", "is not a number"),
        (typed(description=""), "", "lines.0", "say what the line is for"),
        (typed(), "XYZ", "currency", "not an ISO 4217 currency"),
    ],
)
def test_bad_input_is_refused_with_a_message_per_field(api, clinic, line, currency, field, says):
    patient = PatientFactory(clinic=clinic)
    body = {"patient": str(patient.public_id), "lines": [line], "currency": currency}
    response = api.post("/api/v1/invoices", body, user=desk())
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", field] and says in error["msg"]
    assert not Invoice.objects.exists()


def test_a_float_amount_is_refused(api, clinic):
    patient = PatientFactory(clinic=clinic)
    body = {"patient": str(patient.public_id), "lines": [typed(unit_price=750.5)]}
    assert api.post("/api/v1/invoices", body, user=desk()).status_code == 422


def test_jpy_has_no_minor_units(api, clinic):
    patient = PatientFactory(clinic=clinic)
    body = {"patient": str(patient.public_id), "lines": [typed(quantity=1, unit_price="750.5")], "currency": "JPY"}
    assert api.post("/api/v1/invoices", body, user=desk()).json()["total"] == "751"  # half up, no minor units


def test_a_draft_is_edited_then_issued_and_then_refuses_edits(api, clinic):
    user = desk()
    patient = PatientFactory(clinic=clinic)
    draft = api.post("/api/v1/invoices", {"patient": str(patient.public_id), "lines": [typed()]}, user=user).json()
    edited = api.client.put(
        f"/api/v1/invoices/{draft['id']}/lines",
        {"lines": [typed(quantity=1)]},
        content_type="application/json",
        **_bearer(user),
    )
    assert edited.status_code == 200 and edited.json()["total"] == "750.00"

    issued = api.post(f"/api/v1/invoices/{draft['id']}/issue", user=user)
    assert issued.status_code == 200, issued.json()
    assert issued.json()["status"] == "issued"
    number = issued.json()["number"]
    assert number.startswith("INV/") and len(number) <= 16

    again = api.client.put(
        f"/api/v1/invoices/{draft['id']}/lines", {"lines": [typed()]}, content_type="application/json", **_bearer(user)
    )
    assert again.status_code == 409 and "credit note" in again.json()["detail"]
    assert api.post(f"/api/v1/invoices/{draft['id']}/issue", user=user).status_code == 409
    assert api.get(f"/api/v1/invoices/{draft['id']}", user=user).json()["total"] == "750.00"


def test_the_database_refuses_changes_to_an_issued_invoice(api, clinic):
    user = desk()
    patient = PatientFactory(clinic=clinic)
    draft = api.post("/api/v1/invoices", {"patient": str(patient.public_id), "lines": [typed()]}, user=user).json()
    api.post(f"/api/v1/invoices/{draft['id']}/issue", user=user)
    invoice = Invoice.objects.get(public_id=draft["id"])
    attempts = [
        lambda: Invoice.objects.filter(pk=invoice.pk).update(total=Decimal("1")),
        lambda: Invoice.objects.filter(pk=invoice.pk).update(status="draft"),
        lambda: InvoiceLine.objects.filter(invoice=invoice).update(quantity=5),
        lambda: InvoiceLine.objects.create(
            invoice=invoice, position=9, description="x", quantity=1, unit_price=1, tax_rate=0, net=1, tax=0
        ),
    ]
    if connection.vendor == "postgresql":  # SQLite leaves DELETE to the services (see migration 0002)
        attempts += [
            lambda: InvoiceLine.objects.filter(invoice=invoice).delete(),
            lambda: Invoice.objects.filter(pk=invoice.pk).delete(),
        ]
    for attempt in attempts:
        with pytest.raises(DatabaseError, match="issued invoice cannot be changed"), transaction.atomic():
            attempt()
    # A patient merge may still move it to the surviving record.
    other = PatientFactory(clinic=clinic)
    Invoice.objects.filter(pk=invoice.pk).update(patient=other)
    assert Invoice.objects.get(pk=invoice.pk).patient == other


def test_who_sees_invoices(api, clinic):
    patient = PatientFactory(clinic=clinic, user=UserFactory(username="pat", role=Role.PATIENT))
    stranger = PatientFactory(clinic=clinic, user=UserFactory(username="other", role=Role.PATIENT))
    draft = api.post("/api/v1/invoices", {"patient": str(patient.public_id), "lines": [typed()]}, user=desk()).json()
    path = f"/api/v1/invoices/{draft['id']}"
    assert api.get(path, user=patient.user).status_code == 200
    assert api.get(path, user=stranger.user).status_code == 404
    assert api.get("/api/v1/invoices", user=stranger.user).json() == []
    practitioner = UserFactory(username="doc", role=Role.PRACTITIONER)
    assert api.get(path, user=practitioner).status_code == 404
    body = {"patient": str(patient.public_id), "lines": [typed()]}
    assert api.post("/api/v1/invoices", body, user=practitioner).status_code == 404
    assert api.post(f"{path}/issue", user=patient.user).status_code == 404
    owner = UserFactory(username="owner", role=Role.OWNER)
    assert api.get(path, user=owner).status_code == 200


def _bearer(user):
    from conftest import bearer

    return bearer(user)
