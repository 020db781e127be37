"""E-mails to visitors and waiting patients, sent through Django's e-mail backend.

Each template's first line is the subject. Times are shown in the clinic's zone. The messages say
what was booked and carry the signed links; they never repeat the visitor's health answers.
"""

from typing import Any

from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from acupath.booking.links import CLAIM_SALT, MANAGE_SALT, make_token
from acupath.booking.models import OnlineRequest, WaitlistOffer
from acupath.clinic.models import Clinic
from acupath.clinic.selectors import clinic_zone


def _send(to: str, template: str, context: dict[str, Any]) -> None:
    if not to:
        return
    with timezone.override(clinic_zone()):
        text = render_to_string(f"booking/email/{template}.txt", context)
    subject, _, body = text.strip().partition("\n")
    EmailMessage(subject=subject.strip(), body=body.strip() + "\n", to=[to]).send()


def manage_url(base_url: str, request: OnlineRequest) -> str:
    token = make_token(request.public_id, MANAGE_SALT)
    return base_url + reverse("booking:manage", kwargs={"token": token})


def claim_url(base_url: str, offer: WaitlistOffer) -> str:
    token = make_token(offer.public_id, CLAIM_SALT)
    return base_url + reverse("booking:claim", kwargs={"token": token})


def request_email_later(request: OnlineRequest, template: str, base_url: str, **extra: Any) -> None:
    """Send `template` about `request` once the current transaction has committed."""
    clinic = Clinic.objects.filter(pk=request.patient.clinic_id).first()
    context = {
        "request": request,
        "patient": request.patient,
        "appointment": request.appointment,
        "clinic": clinic,
        "manage_url": manage_url(base_url, request),
        "book_url": base_url + reverse("booking:book"),
        **extra,
    }
    to = request.patient.email
    transaction.on_commit(lambda: _send(to, template, context))


def offer_email_later(offer: WaitlistOffer, base_url: str) -> None:
    patient = offer.entry.patient
    clinic = Clinic.objects.filter(pk=patient.clinic_id).first()
    context = {"offer": offer, "patient": patient, "clinic": clinic, "claim_url": claim_url(base_url, offer)}
    transaction.on_commit(lambda: _send(patient.email, "offer", context))
