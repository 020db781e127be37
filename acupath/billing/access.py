"""Who may see and handle which invoice: the desk and the owner bill; a patient sees their own."""

import uuid
from typing import Any

from django.db.models import QuerySet

from acupath.accounts.models import Role
from acupath.accounts.permissions import Capability, can
from acupath.billing.models import Invoice
from acupath.core.errors import NotFound


def invoices_visible_to(user: Any) -> QuerySet[Invoice]:
    if not can(user, Capability.VIEW_INVOICES):
        return Invoice.objects.none()
    if user.role == Role.PATIENT:
        return Invoice.objects.filter(patient__user=user)
    return Invoice.objects.all()


def access_invoice_by_id(user: Any, invoice_id: uuid.UUID | str, capability: Capability) -> Invoice:
    """The invoice, if `user` may exercise `capability` on it; otherwise NotFound (no leaks)."""
    if not can(user, capability):
        raise NotFound("invoice")
    try:
        key = uuid.UUID(str(invoice_id))
    except ValueError:
        raise NotFound("invoice") from None
    invoice = invoices_visible_to(user).filter(public_id=key).select_related("clinic", "patient").first()
    if invoice is None:
        raise NotFound("invoice")
    return invoice
