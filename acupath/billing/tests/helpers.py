"""Builders for billing tests: a desk user, an attended visit, a price."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from acupath.accounts.models import Role
from acupath.billing.models import PriceItem
from acupath.scheduling.enums import AppointmentStatus
from acupath.scheduling.models import Appointment
from tests.factories import AppointmentTypeFactory, PatientFactory, PractitionerFactory, UserFactory


def desk(username: str = "desk"):
    return UserFactory(username=username, role=Role.FRONTDESK)


def attended_visit(clinic, *, patient=None, price: str = "1500.00", days_ago: int = 0, **price_fields):
    """An attended treatment for `patient` with a clinic-wide price in force since last year."""
    kind = AppointmentTypeFactory(clinic=clinic)
    doc = PractitionerFactory(clinic=clinic)
    start = timezone.now().replace(microsecond=0) - dt.timedelta(days=days_ago, hours=2)
    PriceItem.objects.create(
        clinic=clinic,
        appointment_type=kind,
        name=kind.name,
        unit_price=Decimal(price),
        effective_from=start.date() - dt.timedelta(days=365),
        **price_fields,
    )
    return Appointment.objects.create(
        patient=patient or PatientFactory(clinic=clinic),
        practitioner=doc,
        type=kind,
        start=start,
        end=start + dt.timedelta(minutes=kind.minutes),
        status=AppointmentStatus.ATTENDED,
    )
