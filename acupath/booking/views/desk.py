"""The front desk's side of online booking: requests to confirm, urgent referrals, the waitlist.

Staff who may book appointments use these pages; the visitors' health answers are shown only to
roles that may read clinical notes (the front desk sees that a request is urgent, not why).
"""

import uuid
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from acupath.accounts.http import AuthedRequest
from acupath.accounts.permissions import Capability, can
from acupath.booking.domain.previsit import PAIN_DURATIONS, ces_questions
from acupath.booking.enums import WaitlistSource
from acupath.booking.forms import DeclineForm, WaitlistAddForm
from acupath.booking.models import OnlineRequest, WaitlistEntry, WaitlistOffer
from acupath.booking.selectors import desk_requests, desk_waitlist
from acupath.booking.services import (
    online_request_confirm,
    online_request_decline,
    online_request_mark_contacted,
    waitlist_join,
    waitlist_offer_freed_slots,
    waitlist_remove,
)
from acupath.booking.views.public import base_url
from acupath.core.audit import audit_record
from acupath.core.errors import NotFound, ServiceError
from acupath.core.forms import add_service_errors
from acupath.core.models import AuditAction
from acupath.core.views import act_and_return
from acupath.patients.access import access_patient_by_id


@dataclass(frozen=True)
class DeskRow:
    request: OnlineRequest
    duration: str
    yes_answers: list[str]


def _desk_only(request: AuthedRequest) -> None:
    if not can(request.user, Capability.BOOK_APPOINTMENTS):
        raise PermissionDenied


def _online_request(request: AuthedRequest, request_id: uuid.UUID) -> OnlineRequest:
    _desk_only(request)
    found = OnlineRequest.objects.select_related("patient", "appointment").filter(public_id=request_id).first()
    if found is None:
        raise Http404("No such request")
    return found


@login_required
def requests_list(request: AuthedRequest) -> HttpResponse:
    _desk_only(request)
    requests = list(desk_requests())
    audit_record(
        actor=request.user, action=AuditAction.READ, entity="online_request_list", summary=f"{len(requests)} shown"
    )
    questions = {q.code: q.text for q in ces_questions()}
    durations = dict(PAIN_DURATIONS)
    rows = [
        DeskRow(
            r,
            durations.get(r.pain_duration, r.pain_duration),
            [questions.get(code, code) for code, yes in r.red_flag_answers.items() if yes],
        )
        for r in requests
    ]
    return render(
        request,
        "booking/desk_requests.html",
        {"rows": rows, "clinical": can(request.user, Capability.VIEW_CLINICAL), "nav": "requests"},
    )


@login_required
@require_POST
def request_confirm(request: AuthedRequest, request_id: uuid.UUID) -> HttpResponse:
    online = _online_request(request, request_id)
    return act_and_return(
        request,
        lambda: online_request_confirm(actor=request.user, request=online, base_url=base_url(request)),
        f"Confirmed {online.patient.full_name}. They have been sent an e-mail.",
        "booking:requests",
    )


@login_required
@require_POST
def request_decline(request: AuthedRequest, request_id: uuid.UUID) -> HttpResponse:
    online = _online_request(request, request_id)
    form = DeclineForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("booking:requests")
    return act_and_return(
        request,
        lambda: online_request_decline(
            actor=request.user, request=online, note=form.cleaned_data["note"], base_url=base_url(request)
        ),
        f"Declined the request of {online.patient.full_name}; the time is free again.",
        "booking:requests",
    )


@login_required
@require_POST
def request_contacted(request: AuthedRequest, request_id: uuid.UUID) -> HttpResponse:
    online = _online_request(request, request_id)
    return act_and_return(
        request,
        lambda: online_request_mark_contacted(actor=request.user, request=online),
        f"Marked {online.patient.full_name} as contacted.",
        "booking:requests",
    )


@login_required
def waitlist_list(request: AuthedRequest) -> HttpResponse:
    _desk_only(request)
    entries = list(desk_waitlist())
    audit_record(actor=request.user, action=AuditAction.READ, entity="waitlist", summary=f"{len(entries)} shown")
    return render(request, "booking/desk_waitlist.html", {"entries": entries, "nav": "waitlist"})


@login_required
@require_POST
def waitlist_entry_remove(request: AuthedRequest, entry_id: uuid.UUID) -> HttpResponse:
    _desk_only(request)
    entry = WaitlistEntry.objects.select_related("patient").filter(public_id=entry_id).first()
    if entry is None:
        raise Http404("No such waitlist entry")
    return act_and_return(
        request,
        lambda: waitlist_remove(actor=request.user, entry=entry),
        f"{entry.patient.full_name} is off the waitlist.",
        "booking:waitlist",
    )


@login_required
@require_POST
def waitlist_offer_now(request: AuthedRequest) -> HttpResponse:
    _desk_only(request)

    def sent(offers: list[WaitlistOffer]) -> str:
        n = len(offers)
        return (
            f"Sent {n} offer{'s' if n != 1 else ''} of freed times by e-mail."
            if n
            else ("No freed time suits anyone waiting right now.")
        )

    return act_and_return(
        request, lambda: waitlist_offer_freed_slots(base_url=base_url(request)), sent, "booking:waitlist"
    )


@login_required
def waitlist_add(request: AuthedRequest, patient_id: uuid.UUID) -> HttpResponse:
    try:
        patient = access_patient_by_id(request.user, patient_id, Capability.BOOK_APPOINTMENTS)
    except NotFound:
        raise Http404("No such patient") from None
    form = WaitlistAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            waitlist_join(
                actor=request.user,
                patient=patient,
                appointment_type=d["type"],
                practitioner=d["practitioner"],
                earliest=d["earliest"],
                latest=d["latest"],
                source=WaitlistSource.DESK,
            )
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{patient.full_name} is on the waitlist.")
            return redirect("booking:waitlist")
    return render(request, "booking/waitlist_add.html", {"form": form, "patient": patient, "nav": "waitlist"})
