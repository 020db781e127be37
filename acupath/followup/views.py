"""Front-desk follow-up pages: the recurrence work list, the day's attendance, the no-show report."""

import datetime as dt
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from acupath.accounts.http import AuthedRequest
from acupath.accounts.permissions import Capability, can
from acupath.clinic.models import Practitioner
from acupath.core.audit import audit_record
from acupath.core.errors import Conflict, NotFound, ServiceError
from acupath.core.models import AuditAction
from acupath.core.views import act_and_return
from acupath.followup.selectors import attendance_day, no_show_report_cached, watch_page
from acupath.followup.services import appointment_mark_no_show, watch_book_next, watch_refresh_if_stale
from acupath.patients.access import access_patient_by_id
from acupath.scheduling.access import access_visit_by_id

PAGE_SIZE = 50
ATTENDANCE_PAGE = 100


def _desk_only(request: AuthedRequest) -> None:
    if not can(request.user, Capability.BOOK_APPOINTMENTS):
        raise PermissionDenied


@login_required
def work_list(request: AuthedRequest) -> HttpResponse:
    _desk_only(request)
    run = watch_refresh_if_stale()
    try:
        number = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        number = 1
    # A practitioner sees their own patients first; "everyone" is one click away.
    own = Practitioner.objects.filter(user=request.user, active=True).first()
    mine = own.pk if own is not None and request.GET.get("who") != "all" else None
    everyone = mine is None
    items, count = watch_page(offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE, practitioner_id=mine)
    audit_record(actor=request.user, action=AuditAction.READ, entity="recurrence_watch", summary=f"{len(items)} shown")
    clinical = can(request.user, Capability.VIEW_CLINICAL)
    pages = max(1, -(-count // PAGE_SIZE))
    return render(
        request,
        "followup/work_list.html",
        {
            "rows": [(item, item.detail(clinical)) for item in items],
            "count": count,
            "number": number,
            "pages": pages,
            "previous": number - 1 if number > 1 else None,
            "next": number + 1 if number < pages else None,
            "run": run,
            "own": own,
            "everyone": everyone,
            "who": "all" if everyone and own else "",
            "nav": "worklist",
        },
    )


@login_required
@require_POST
def book_next(request: AuthedRequest, patient_id: uuid.UUID) -> HttpResponse:
    try:
        patient = access_patient_by_id(request.user, patient_id, Capability.BOOK_APPOINTMENTS)
    except NotFound:
        raise Http404("No such patient") from None
    error = None
    appointment = None
    try:
        appointment = watch_book_next(actor=request.user, patient=patient)
    except (Conflict, ServiceError) as exc:
        error = str(exc)
    if request.htmx:
        return render(
            request,
            "followup/_booked.html",
            {"patient": patient, "appointment": appointment, "error": error},
        )
    if error:
        messages.error(request, error)
    elif appointment is not None:
        when = timezone.localtime(appointment.start).strftime("%a %d %b %H:%M")
        messages.success(request, f"Booked {patient.full_name} on {when} with {appointment.practitioner}.")
    return redirect("followup:work_list")


def _day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return timezone.localdate()


@login_required
def attendance(request: AuthedRequest) -> HttpResponse:
    _desk_only(request)
    day = _day(request.GET.get("day", ""))
    practitioners = list(Practitioner.objects.filter(active=True).order_by("display_name"))
    chosen = next((p for p in practitioners if str(p.public_id) == request.GET.get("practitioner")), None)
    try:
        number = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        number = 1
    appointments, count = attendance_day(
        day, practitioner=chosen, offset=(number - 1) * ATTENDANCE_PAGE, limit=ATTENDANCE_PAGE
    )
    audit_record(actor=request.user, action=AuditAction.READ, entity="attendance", summary=f"{len(appointments)} shown")
    pages = max(1, -(-count // ATTENDANCE_PAGE))
    return render(
        request,
        "followup/attendance.html",
        {
            "day": day,
            "today": timezone.localdate(),
            "prev_day": day - dt.timedelta(days=1),
            "next_day": day + dt.timedelta(days=1),
            "appointments": appointments,
            "count": count,
            "practitioners": practitioners,
            "chosen": chosen,
            "number": number,
            "pages": pages,
            "now": timezone.now(),
            "nav": "attendance",
        },
    )


@login_required
@require_POST
def mark_no_show(request: AuthedRequest, appointment_id: uuid.UUID) -> HttpResponse:
    _desk_only(request)
    try:
        appointment = access_visit_by_id(request.user, appointment_id, Capability.BOOK_APPOINTMENTS)
    except NotFound:
        raise Http404("No such appointment") from None
    target = request.POST.get("next", "")
    here = {request.get_host()}
    if not url_has_allowed_host_and_scheme(target, allowed_hosts=here, require_https=request.is_secure()):
        target = "followup:attendance"
    return act_and_return(
        request,
        lambda: appointment_mark_no_show(
            actor=request.user, appointment=appointment, confirm_arrived=request.POST.get("confirm_arrived") == "1"
        ),
        f"Recorded that {appointment.patient.full_name} did not attend.",
        target,
    )


@login_required
def no_shows(request: AuthedRequest) -> HttpResponse:
    _desk_only(request)
    months = 12 if request.GET.get("months") == "12" else 6  # the two REPORT_MONTHS
    report = no_show_report_cached(months=months)
    audit_record(actor=request.user, action=AuditAction.READ, entity="no_show_report")
    return render(request, "followup/no_shows.html", {"report": report, "months": months, "nav": "attendance"})
