"""Calendar pages: rotas, breaks and leave per practitioner; clinic holidays; appointment types.

Everyone on the staff may look; the owner and the front desk may change them.
"""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from acupath.accounts.http import AuthedRequest
from acupath.clinic.models import AppointmentType, Clinic
from acupath.clinic.selectors import clinic_current, clinic_zone
from acupath.core.errors import Forbidden, NotFound, ServiceError
from acupath.core.forms import add_service_errors
from acupath.scheduling.access import (
    access_practitioner_by_id,
    may_manage_calendars,
    require_calendar_manager,
    require_schedule_viewer,
)
from acupath.scheduling.forms import AppointmentTypeForm, HolidayForm, LeaveForm, WeeklyBlockForm
from acupath.scheduling.selectors.calendars import calendars_overview, practitioner_calendar
from acupath.scheduling.services.calendars import (
    appointment_type_save,
    holiday_add,
    holiday_remove,
    leave_add,
    leave_remove,
    weekly_block_add,
    weekly_block_remove,
)


def _viewer(request: AuthedRequest) -> None:
    try:
        require_schedule_viewer(request.user)
    except Forbidden as exc:
        raise PermissionDenied(str(exc)) from None


def _manager(request: AuthedRequest) -> None:
    try:
        require_calendar_manager(request.user)
    except Forbidden as exc:
        raise PermissionDenied(str(exc)) from None


def _clinic() -> Clinic:
    clinic = clinic_current()
    if clinic is None:
        raise Http404("No clinic is set up yet.")
    return clinic


@login_required
def calendars_index(request: AuthedRequest) -> HttpResponse:
    _viewer(request)
    clinic = _clinic()
    holiday_form = HolidayForm(request.POST or None, prefix="holiday")
    if request.method == "POST":
        _manager(request)
        if holiday_form.is_valid():
            try:
                holiday, affected = holiday_add(
                    actor=request.user,
                    clinic=clinic,
                    day=holiday_form.cleaned_data["day"],
                    name=holiday_form.cleaned_data["name"],
                )
            except ServiceError as exc:
                add_service_errors(holiday_form, exc)
            else:
                messages.success(request, f"{holiday.day:%a %d %b %Y} is now a holiday: {holiday.name}.")
                if affected:
                    messages.warning(
                        request,
                        f"{affected} booked appointment(s) fall on that day: move them (see the week schedule).",
                    )
                return redirect("scheduling:calendars")
    context = calendars_overview(clinic) | {
        "holiday_form": holiday_form,
        "can_manage": may_manage_calendars(request.user),
        "nav": "schedule",
    }
    return render(request, "scheduling/calendars.html", context)


@login_required
@require_POST
def holiday_delete(request: AuthedRequest, holiday_id: int) -> HttpResponse:
    _manager(request)
    try:
        holiday_remove(actor=request.user, clinic=_clinic(), holiday_id=holiday_id)
    except NotFound:
        raise Http404("No such holiday") from None
    messages.success(request, "Holiday removed: the clinic is open that day.")
    return redirect("scheduling:calendars")


@login_required
def practitioner_calendar_view(request: AuthedRequest, practitioner_id: uuid.UUID) -> HttpResponse:
    try:
        practitioner = access_practitioner_by_id(request.user, practitioner_id)
    except Forbidden as exc:
        raise PermissionDenied(str(exc)) from None
    except NotFound:
        raise Http404("No such practitioner") from None
    which = request.POST.get("form") if request.method == "POST" else None
    block_form = WeeklyBlockForm(request.POST if which == "block" else None, prefix="block")
    leave_form = LeaveForm(request.POST if which == "leave" else None, prefix="leave")
    if which is not None:
        _manager(request)
    if which == "block" and block_form.is_valid():
        d = block_form.cleaned_data
        try:
            weekly_block_add(
                actor=request.user,
                practitioner=practitioner,
                kind=d["kind"],
                weekday=d["weekday"],
                start=d["start"],
                end=d["end"],
            )
        except ServiceError as exc:
            add_service_errors(block_form, exc)
        else:
            messages.success(request, "Added to the weekly rota.")
            return redirect("scheduling:practitioner_calendar", practitioner_id=practitioner.public_id)
    if which == "leave" and leave_form.is_valid():
        start, end = leave_form.span()
        try:
            _, affected = leave_add(
                actor=request.user,
                practitioner=practitioner,
                start=start,
                end=end,
                reason=leave_form.cleaned_data["reason"],
            )
        except ServiceError as exc:
            add_service_errors(leave_form, exc)
        else:
            messages.success(request, f"Leave recorded for {practitioner}.")
            if affected:
                messages.warning(request, f"{affected} booked appointment(s) fall in this leave: move or cancel them.")
            return redirect("scheduling:practitioner_calendar", practitioner_id=practitioner.public_id)
    context = {
        "cal": practitioner_calendar(practitioner),
        "block_form": block_form,
        "leave_form": leave_form,
        "can_manage": may_manage_calendars(request.user),
        "zone": clinic_zone().key,
        "nav": "schedule",
    }
    return render(request, "scheduling/practitioner_calendar.html", context)


@login_required
@require_POST
def rota_delete(request: AuthedRequest, practitioner_id: uuid.UUID, kind: str, block_id: int) -> HttpResponse:
    _manager(request)
    try:
        practitioner = access_practitioner_by_id(request.user, practitioner_id)
        if kind == "leave":
            leave_remove(actor=request.user, practitioner=practitioner, leave_id=block_id)
        elif kind in ("hours", "break"):
            weekly_block_remove(actor=request.user, practitioner=practitioner, kind=kind, block_id=block_id)
        else:
            raise NotFound(kind)
    except NotFound:
        raise Http404("Nothing to remove") from None
    messages.success(request, "Removed.")
    return redirect("scheduling:practitioner_calendar", practitioner_id=practitioner.public_id)


@login_required
def appointment_type_edit(request: AuthedRequest, type_id: uuid.UUID | None = None) -> HttpResponse:
    _manager(request)
    clinic = _clinic()
    existing = None
    if type_id is not None:
        existing = AppointmentType.objects.filter(clinic=clinic, public_id=type_id).first()
        if existing is None:
            raise Http404("No such appointment type")
    initial = (
        {
            "name": existing.name,
            "code": existing.code,
            "kind": existing.kind,
            "minutes": existing.minutes,
            "bookable_online": existing.bookable_online,
        }
        if existing
        else {"minutes": 45}
    )
    form = AppointmentTypeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = appointment_type_save(actor=request.user, clinic=clinic, existing=existing, **form.cleaned_data)
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Saved “{saved.name}” ({saved.minutes} min).")
            return redirect("scheduling:calendars")
    return render(
        request, "scheduling/appointment_type_form.html", {"form": form, "existing": existing, "nav": "schedule"}
    )
