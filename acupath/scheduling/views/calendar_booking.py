"""Booking from the calendar: a click on an empty slot opens this form with the slot filled in.

Loaded into the calendar's dialog by htmx (a full page without htmx); errors re-render it with
everything typed kept. The booking itself is `appointment_book` with the clinic's rules, as on
the patient's page and in the API.
"""

import datetime as dt
import json
import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from acupath.accounts.http import AuthedRequest
from acupath.accounts.permissions import Capability
from acupath.clinic.models import Practitioner, Room
from acupath.clinic.selectors import clinic_zone
from acupath.core.audit import audit_record
from acupath.core.errors import Conflict, Forbidden, NotFound, ServiceError
from acupath.core.forms import add_service_errors
from acupath.core.models import AuditAction
from acupath.patients.access import access_patient_by_id
from acupath.patients.models import Patient
from acupath.patients.selectors import patient_search
from acupath.planning.enums import PlanStatus
from acupath.planning.models import TreatmentPlan
from acupath.scheduling.access import require_booker
from acupath.scheduling.forms import AppointmentForm
from acupath.scheduling.selectors import booking_warnings
from acupath.scheduling.services import appointment_book
from acupath.scheduling.services.appointments import RuleConflict

PATIENT_MATCHES = 8


class CalendarBookingForm(AppointmentForm):
    patient = forms.UUIDField(
        label="Patient", error_messages={"required": "Find the patient by name and choose them from the list."}
    )
    field_order = ["patient", "type", "practitioner", "room", "day", "time", "note", "override_reason"]


def _initial(request: AuthedRequest) -> dict[str, object]:
    """The clicked slot: ?start=2026-12-03T10:15:00 (clinic wall clock)&practitioner=&room=."""
    initial: dict[str, object] = {}
    try:
        start = dt.datetime.fromisoformat(request.GET.get("start", ""))
    except ValueError:
        start = None
    if start is not None:
        initial |= {"day": start.date(), "time": start.time().replace(second=0, microsecond=0)}
    for name, model in (("practitioner", Practitioner), ("room", Room)):
        ref = request.GET.get(name, "")
        found = model.objects.filter(public_id=ref, active=True).first() if _is_uuid(ref) else None
        if found is not None:
            initial[name] = found
    return initial


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _chosen(request: AuthedRequest, form: CalendarBookingForm) -> Patient | None:
    ref = form.data.get("patient") if form.is_bound else None
    if not ref:
        return None
    try:
        return access_patient_by_id(request.user, str(ref), Capability.BOOK_APPOINTMENTS)
    except NotFound:
        return None


@login_required
def calendar_book(request: AuthedRequest) -> HttpResponse:
    try:
        require_booker(request.user)
    except Forbidden as exc:
        raise PermissionDenied(str(exc)) from None
    form = CalendarBookingForm(request.POST or None, initial=_initial(request))
    patient = _chosen(request, form)
    if request.method == "POST" and form.is_valid():
        if patient is None:
            form.add_error("patient", "Find the patient by name and choose them from the list.")
        else:
            response = _book(request, form, patient)
            if response is not None:
                return response
    template = "scheduling/_calendar_book.html" if request.htmx else "scheduling/calendar_book.html"
    q = request.POST.get("patient_q", "") if request.method == "POST" else ""
    context = {"form": form, "patient": patient, "q": q, "nav": "schedule", "zone": clinic_zone()}
    return render(request, template, context)


def _book(request: AuthedRequest, form: CalendarBookingForm, patient: Patient) -> HttpResponse | None:
    d = form.cleaned_data
    try:
        booked = appointment_book(
            actor=request.user,
            patient=patient,
            practitioner=d["practitioner"],
            type=d["type"],
            start=form.start(),
            room=d["room"],
            plan=TreatmentPlan.objects.filter(patient=patient, status=PlanStatus.APPROVED).first(),
            note=d["note"],
            within_hours=True,
            auto_room=True,
            override_reason=d["override_reason"],
        )
    except ServiceError as exc:
        add_service_errors(form, exc)
        return None
    except RuleConflict as exc:
        form.add_error("override_reason", str(exc))
        return None
    except Conflict as exc:
        form.add_error(None, str(exc))
        return None
    when = booked.start.astimezone(clinic_zone())
    said = [f"Booked {patient.full_name}, {when:%a %d %b %H:%M} with {booked.practitioner}."]
    said += booking_warnings(patient, booked.type.kind)
    if not request.htmx:
        messages.success(request, " ".join(said))
        return redirect(f"{reverse('scheduling:calendar')}?day={when:%Y-%m-%d}")
    response = HttpResponse(status=204)
    response["HX-Trigger"] = json.dumps({"calendar-booked": {"message": " ".join(said)}})
    return response


@login_required
def calendar_patient_matches(request: AuthedRequest) -> HttpResponse:
    """Up to eight patients whose names start with the typed words, as choices for the form."""
    try:
        require_booker(request.user)
    except Forbidden as exc:
        raise PermissionDenied(str(exc)) from None
    q = request.GET.get("patient_q", "").strip()
    matches = list(patient_search(request.user, q)[:PATIENT_MATCHES]) if len(q) >= 2 else []
    if matches:
        audit_record(
            actor=request.user,
            action=AuditAction.READ,
            entity="patient_list",
            summary=f"{len(matches)} shown to book from the calendar",
        )
    return render(request, "scheduling/_patient_matches.html", {"matches": matches, "q": q})
