"""The public booking pages: no sign-in, rate-limited, every field checked, nothing typed lost.

/book/                      pick a service, a practitioner and a free time; leave details; answer
                            the pre-visit questions (htmx reloads only the time picker)
/book/m/<token>/            the visitor's own request, from the signed link: cancel it
/book/m/<token>/move/       choose another time
/book/claim/<token>/        claim a freed time offered to the waitlist
"""

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods
from django_htmx.middleware import HtmxDetails

from acupath.booking import conf
from acupath.booking.enums import OPEN_REQUESTS, RequestStatus
from acupath.booking.forms import WAITLIST, BookingForm, RescheduleForm, ServiceChoiceMixin, parse_slot
from acupath.booking.links import CLAIM_SALT, MANAGE_SALT, LinkExpired, LinkInvalid, make_token, read_token
from acupath.booking.models import OnlineRequest, WaitlistOffer
from acupath.booking.ratelimit import limit_hit, slot_query_limit, submit_counted, submit_refused
from acupath.booking.selectors import verified_email, week_count, week_slots
from acupath.booking.services import (
    online_request_cancel,
    online_request_reschedule,
    online_request_submit,
    waitlist_offer_claim,
)
from acupath.clinic.models import AppointmentType, Clinic, Practitioner
from acupath.clinic.selectors import clinic_current
from acupath.core.audit import audit_record
from acupath.core.errors import Conflict, ServiceError
from acupath.core.forms import add_service_errors
from acupath.core.models import AuditAction


class PublicRequest(HttpRequest):
    htmx: HtmxDetails


def base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _clinic() -> Clinic:
    clinic = clinic_current()
    if clinic is None:
        raise Http404("Online booking is not set up yet.")
    return clinic


def _minutes(seconds: int) -> int:
    return max(1, -(-seconds // 60))


def _picker(
    request: HttpRequest,
    form: ServiceChoiceMixin,
    source: Mapping[str, Any],
    *,
    appointment_type: AppointmentType | None,
    url: str,
    ignoring: Sequence[int] = (),
) -> dict[str, Any]:
    """Context of the time picker: the chosen service's free times for one week."""
    practitioner: Practitioner | None = form.practitioners.get(str(source.get("practitioner") or ""))
    try:
        week = min(max(int(source.get("week") or 0), 0), week_count() - 1)
    except ValueError:
        week = 0
    selected = str(source.get("slot") or "")
    context: dict[str, Any] = {
        "form": form,
        "picker_url": url,
        "appointment_type": appointment_type,
        "practitioner": practitioner,
        "week": week,
        "weeks": range(week_count()),
        "selected": selected,
        "waitlist_value": WAITLIST,
        "days": [],
        "limited": None,
        "extra_selected": None,
    }
    if appointment_type is None:
        return context
    retry = limit_hit(request, slot_query_limit())
    if retry is not None:
        context["limited"] = _minutes(retry)
        return context
    chosen = [practitioner] if practitioner else list(form.practitioners.values())
    days = week_slots(appointment_type=appointment_type, practitioners=chosen, week=week, ignoring=ignoring)
    context["days"] = days
    pick = parse_slot(selected, form.practitioners) if selected and selected != WAITLIST else None
    shown = {s.value for d in days for s in d.slots}
    if pick is not None and selected not in shown:
        context["extra_selected"] = {"value": selected, "start": pick.start, "practitioner": pick.practitioner}
    return context


def _chosen_type(form: ServiceChoiceMixin, source: Mapping[str, Any]) -> AppointmentType | None:
    value = str(source.get("type") or "")
    return next((t for t in form.types if str(t.public_id) == value), None)


@require_http_methods(["GET", "POST"])
def book(request: PublicRequest) -> HttpResponse:
    clinic = _clinic()
    status = 200
    limited = None
    if request.method == "POST" and request.POST.get("action") != "show":
        if request.POST.get("website"):  # the hidden field only robots fill in
            return render(request, "booking/refused.html", {"title": "Request not sent"}, status=400)
        form = BookingForm(request.POST, clinic=clinic)
        if form.is_valid():
            known = verified_email(clinic, form.cleaned_data["email"])
            retry = submit_refused(request, known)
            if retry is not None:
                status, limited = 429, _minutes(retry)
            else:
                try:
                    made = online_request_submit(
                        clinic=clinic,
                        details=form.details(),
                        appointment_type=form.cleaned_data["type"],
                        practitioner=form.cleaned_data["practitioner"],
                        previsit=form.previsit(),
                        pick=form.pick(),
                        waitlist=form.waitlist_dates(),
                        base_url=base_url(request),
                    )
                except ServiceError as exc:
                    add_service_errors(form, exc)
                except Conflict as exc:
                    form.add_error("slot", str(exc))
                else:
                    submit_counted(request, known)
                    token = make_token(made.public_id, MANAGE_SALT)
                    return redirect(reverse("booking:manage", kwargs={"token": token}) + "?new=1")
        source: Mapping[str, Any] = request.POST
    else:
        # First visit, a htmx reload of the picker, or the no-script "show times" button: no errors yet.
        source = request.POST if request.method == "POST" else request.GET
        form = BookingForm(initial=source.dict(), clinic=clinic)
    context = _picker(request, form, source, appointment_type=_chosen_type(form, source), url=reverse("booking:book"))
    if context["limited"] is not None and status == 200:
        status = 429
    context |= {"clinic": clinic, "limited_submit": limited, "types": form.types, "allow_waitlist": True}
    if request.htmx and request.method == "GET":
        return render(request, "booking/_slots.html", context, status=status)
    response = render(request, "booking/book.html", context, status=status)
    if status == 429:
        response["Retry-After"] = str((limited or context["limited"] or 1) * 60)
    return response


def _refused(request: HttpRequest, expired: bool) -> HttpResponse:
    """A link that was altered or is too old: say so plainly, and offer the way forward."""
    return render(
        request,
        "booking/refused.html",
        {
            "title": "This link has expired" if expired else "This link is not valid",
            "expired": expired,
            "invalid": not expired,
        },
        status=410 if expired else 404,
    )


def _request_by_token(token: str) -> OnlineRequest:
    key = read_token(token, MANAGE_SALT, conf.link_max_age())
    found = (
        OnlineRequest.objects.select_related(
            "patient", "type", "practitioner", "appointment", "appointment__practitioner", "appointment__type"
        )
        .filter(public_id=key)
        .first()
    )
    if found is None:
        raise LinkInvalid
    return found


@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest, token: str) -> HttpResponse:
    try:
        online = _request_by_token(token)
    except (LinkInvalid, LinkExpired) as exc:
        return _refused(request, isinstance(exc, LinkExpired))
    error = None
    if request.method == "POST":
        if (retry := submit_refused(request)) is not None:
            return render(request, "booking/limited.html", {"minutes": _minutes(retry)}, status=429)
        try:
            online_request_cancel(request=online, base_url=base_url(request))
        except Conflict as exc:
            error = str(exc)
        else:
            submit_counted(request)
            messages.success(request, "Cancelled. We have sent you an e-mail to confirm it.")
            return redirect("booking:manage", token=token)
    audit_record(
        actor=None,
        action=AuditAction.READ,
        entity="online_request",
        entity_id=online.public_id,
        patient_id=online.patient.public_id,
        via="online",
    )
    entry = getattr(online, "waitlist_entry", None) if online.status == RequestStatus.WAITLISTED else None
    appointment = online.appointment
    ahead = appointment is not None and appointment.start > timezone.now()
    return render(
        request,
        "booking/manage.html",
        {
            "online": online,
            "appointment": appointment,
            "entry": entry,
            "token": token,
            "new": request.GET.get("new") == "1",
            "can_change": online.status in OPEN_REQUESTS and ahead,
            "can_leave": online.status == RequestStatus.WAITLISTED,
            "error": error,
        },
    )


@require_http_methods(["GET", "POST"])
def move(request: PublicRequest, token: str) -> HttpResponse:
    try:
        online = _request_by_token(token)
    except (LinkInvalid, LinkExpired) as exc:
        return _refused(request, isinstance(exc, LinkExpired))
    if online.status not in OPEN_REQUESTS or online.appointment is None:
        return redirect("booking:manage", token=token)
    clinic = _clinic()
    status = 200
    limited = None
    if request.method == "POST":
        form = RescheduleForm(request.POST, clinic=clinic)
        if form.is_valid():
            if (retry := submit_refused(request)) is not None:
                status, limited = 429, _minutes(retry)
            else:
                try:
                    online_request_reschedule(request=online, pick=form.pick(), base_url=base_url(request))
                except ServiceError as exc:
                    add_service_errors(form, exc)
                except Conflict as exc:
                    form.add_error("slot", str(exc))
                else:
                    submit_counted(request)
                    messages.success(
                        request, "Your appointment has moved. We have sent you an e-mail with the new time."
                    )
                    return redirect("booking:manage", token=token)
        source: Mapping[str, Any] = request.POST
    else:
        source = request.GET.dict() or {"practitioner": str(online.appointment.practitioner.public_id)}
        form = RescheduleForm(initial=dict(source), clinic=clinic)
    url = reverse("booking:move", kwargs={"token": token})
    # The visitor's own current time is offered too: moving by half an hour is a fine move.
    context = _picker(request, form, source, appointment_type=online.type, url=url, ignoring=[online.appointment.pk])
    if context["limited"] is not None and status == 200:
        status = 429
    context |= {"online": online, "token": token, "limited_submit": limited, "allow_waitlist": False}
    if request.htmx and request.method == "GET":
        return render(request, "booking/_slots.html", context, status=status)
    return render(request, "booking/move.html", context, status=status)


def _offer_by_token(token: str) -> WaitlistOffer:
    key: uuid.UUID = read_token(token, CLAIM_SALT, conf.offer_max_age())
    offer = (
        WaitlistOffer.objects.select_related("entry", "entry__patient", "entry__request", "practitioner", "type")
        .filter(public_id=key)
        .first()
    )
    if offer is None:
        raise LinkInvalid
    return offer


@require_http_methods(["GET", "POST"])
def claim(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows the offer and one button; POST claims it (mail scanners that follow links only GET)."""
    try:
        offer = _offer_by_token(token)
    except (LinkInvalid, LinkExpired) as exc:
        return _refused(request, isinstance(exc, LinkExpired))
    error = None
    booked = None
    if request.method == "POST":
        if (retry := submit_refused(request)) is not None:
            return render(request, "booking/limited.html", {"minutes": _minutes(retry)}, status=429)
        try:
            booked = waitlist_offer_claim(offer=offer, base_url=base_url(request))
        except Conflict as exc:
            error = str(exc)
        else:
            submit_counted(request)
    online = offer.entry.request  # read with the offer (select_related), so no query here
    manage_token = make_token(online.public_id, MANAGE_SALT) if online is not None else None
    return render(
        request,
        "booking/claim.html",
        {
            "offer": offer,
            "booked": booked,
            "error": error,
            "open": offer.status == "open" and booked is None and offer.start > timezone.now(),
            "manage_token": manage_token,
        },
        status=409 if error else 200,
    )
