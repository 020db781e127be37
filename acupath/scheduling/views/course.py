"""Booking a plan's course, and rebooking it from a cancelled session.

The proposal is a table the front desk can adjust: each row has a day and that day's
free times (a new day fetches its times with htmx) and a Drop box. Confirming books
every kept row in one transaction; on any refusal nothing is booked and the table
comes back exactly as it was posted, with the reason.
"""

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone

from acupath.accounts.http import AuthedRequest
from acupath.accounts.permissions import Capability
from acupath.clinic.models import AppointmentType, Practitioner, Room
from acupath.clinic.selectors import clinic_zone
from acupath.core.audit import audit_record
from acupath.core.errors import Conflict, NotFound, ServiceError
from acupath.core.models import AuditAction
from acupath.planning.models import TreatmentPlan
from acupath.scheduling.access import access_appointment_by_id, access_plan_by_id
from acupath.scheduling.domain.calendar import Slot
from acupath.scheduling.forms import CancelForm, CourseSettingsForm, PostedRow, parse_rows, slot_value
from acupath.scheduling.models import Appointment
from acupath.scheduling.selectors import diary_load, rooms_for
from acupath.scheduling.selectors.course import (
    CourseOffer,
    course_propose,
    course_rebook_propose,
    plan_rhythm,
    treatment_type,
)
from acupath.scheduling.selectors.lookups import course_practitioners
from acupath.scheduling.services import appointment_cancel
from acupath.scheduling.services.course import ChosenSlot, course_book, course_rebook


@dataclass
class RowView:
    number: int
    day: dt.date | None
    value: str
    options: list[tuple[str, str]] = field(default_factory=list)
    keep: bool = True
    error: str = ""


def _plan(request: AuthedRequest, plan_id: uuid.UUID) -> TreatmentPlan:
    try:
        return access_plan_by_id(request.user, plan_id, Capability.BOOK_APPOINTMENTS)
    except NotFound:
        raise Http404("No such plan") from None


def _appointment(request: AuthedRequest, appointment_id: uuid.UUID) -> Appointment:
    try:
        return access_appointment_by_id(request.user, appointment_id, Capability.BOOK_APPOINTMENTS)
    except NotFound:
        raise Http404("No such appointment") from None


def _defaults(request: AuthedRequest, plan: TreatmentPlan, cancelled: Appointment | None) -> dict[str, Any]:
    """The settings a first proposal is built from: tomorrow, the plan's practitioner and rhythm.

    The practitioner is the one the patient already sees: of the cancelled session, else of
    the course's first session, else of the consultation, else the signed-in practitioner.
    """
    keeper = cancelled.practitioner if cancelled else None
    if keeper is None:
        first = Appointment.objects.filter(plan=plan).select_related("practitioner").order_by("start").first()
        keeper = first.practitioner if first else None
    if keeper is None and plan.consultation_id and plan.consultation:
        keeper = plan.consultation.practitioner
    if keeper is None:
        keeper = Practitioner.objects.filter(user=request.user, active=True).first()
    return {
        "first_day": _defaults_first_day(),
        "preferred_time": None,
        "practitioner": keeper if keeper and keeper.active else None,
        "type": treatment_type(plan.patient.clinic_id),
        "min_gap_days": plan_rhythm(plan).min_gap_days,
    }


def _settings_form(
    request: AuthedRequest, plan: TreatmentPlan, data: QueryDict | None, cancelled: Appointment | None = None
) -> tuple[CourseSettingsForm, dict[str, Any]]:
    """Always a bound form, so the page can repeat its values; values not sent take the defaults."""
    defaults = _defaults(request, plan, cancelled)
    merged = QueryDict(mutable=True)
    merged["first_day"] = defaults["first_day"].isoformat()
    merged["preferred_time"] = ""
    merged["practitioner"] = str(defaults["practitioner"].public_id) if defaults["practitioner"] else ""
    merged["type"] = str(defaults["type"].public_id) if defaults["type"] else ""
    merged["min_gap_days"] = str(defaults["min_gap_days"])
    for key in list(merged):
        if data is not None and key in data:
            merged[key] = data.get(key, "")
    form = CourseSettingsForm(merged)
    form.is_valid()
    # A field in error keeps its typed value on the page; the proposal uses the default meanwhile.
    return form, {k: form.cleaned_data.get(k, v) for k, v in defaults.items()}


def _labels(
    offer_practitioners: dict[str, Practitioner], rooms: dict[str, Room], any_practitioner: bool
) -> Callable[[Slot], tuple[str, str]]:
    def option(slot: Slot) -> tuple[str, str]:
        practitioner = offer_practitioners[slot.practitioner_id]
        room = rooms.get(slot.room_id or "")
        value = slot_value(slot.start, practitioner.public_id, room.public_id if room else None)
        label = f"{slot.start:%H:%M}"
        if any_practitioner:
            label += f" · {practitioner.display_name}"
        if room:
            label += f" · {room.name}"
        return value, label

    return option


def _rows_from_offer(offer: CourseOffer, any_practitioner: bool) -> list[RowView]:
    option = _labels(offer.practitioners, offer.rooms, any_practitioner)
    rows = []
    for n, slot in enumerate(offer.proposal.slots, start=1):
        day = slot.start.date()
        same = [s for s in offer.options(day) if any_practitioner or s.practitioner_id == slot.practitioner_id]
        rows.append(RowView(number=n, day=day, value=option(slot)[0], options=[option(s) for s in same]))
    return rows


def _rows_from_post(offer: CourseOffer, posted: list[PostedRow], any_practitioner: bool) -> list[RowView]:
    option = _labels(offer.practitioners, offer.rooms, any_practitioner)
    rows = []
    for p in posted:
        options = [option(s) for s in offer.options(p.day)] if p.day else []
        value = p.slot.value if p.slot else ""
        if p.slot and value not in {v for v, _ in options}:
            options.insert(0, (value, f"{p.slot.start.astimezone(clinic_zone()):%H:%M} (as chosen)"))
        rows.append(RowView(number=p.number, day=p.day, value=value, options=options, keep=p.keep, error=p.error))
    return rows


def _chosen(posted: list[PostedRow]) -> list[ChosenSlot]:
    kept = [p.slot for p in posted if p.keep and p.slot]
    practitioners = {
        p.public_id: p for p in Practitioner.objects.filter(public_id__in={s.practitioner_id for s in kept})
    }
    rooms = {r.public_id: r for r in Room.objects.filter(public_id__in={s.room_id for s in kept if s.room_id})}
    chosen = []
    for s in kept:
        practitioner = practitioners.get(s.practitioner_id)
        if practitioner is None:
            raise ServiceError({"sessions": "A chosen practitioner is no longer available; pick the time again."})
        chosen.append(
            ChosenSlot(start=s.start, practitioner=practitioner, room=rooms.get(s.room_id) if s.room_id else None)
        )
    return chosen


def _offer(plan: TreatmentPlan, d: dict[str, Any], cancelled: Appointment | None = None) -> CourseOffer:
    who = [d["practitioner"]] if d.get("practitioner") else course_practitioners(plan.patient)
    kind = _course_type(plan, d)
    if cancelled is not None:
        return course_rebook_propose(
            plan=plan,
            cancelled=cancelled,
            appointment_type=kind,
            practitioners=who,
            preferred_time=d.get("preferred_time"),
            min_gap_days=d.get("min_gap_days"),
        )
    return course_propose(
        plan=plan,
        appointment_type=kind,
        practitioners=who,
        first_day=d.get("first_day") or _defaults_first_day(),
        preferred_time=d.get("preferred_time"),
        min_gap_days=d.get("min_gap_days"),
    )


def _course_type(plan: TreatmentPlan, d: dict[str, Any]) -> AppointmentType:
    """The type chosen in the settings, else the clinic's treatment type; refused if the clinic has none."""
    chosen: AppointmentType | None = d.get("type") or treatment_type(plan.patient.clinic_id)
    if chosen is None:
        raise ServiceError({"type": "The clinic has no appointment types yet: add one on the Calendars page."})
    return chosen


def _defaults_first_day() -> dt.date:
    return timezone.now().astimezone(clinic_zone()).date() + dt.timedelta(days=1)


def _course_page(request: AuthedRequest, plan: TreatmentPlan, cancelled: Appointment | None) -> HttpResponse:
    posting = request.method == "POST"
    form, chosen_settings = _settings_form(request, plan, request.POST if posting else request.GET, cancelled)
    offer = _offer(plan, chosen_settings, cancelled)
    any_practitioner = not chosen_settings.get("practitioner")
    error = ""
    if posting and request.POST.get("action") == "book":
        posted = parse_rows(request.POST)
        rows = _rows_from_post(offer, posted, any_practitioner)
        if not any(r.error for r in rows):
            try:
                chosen = _chosen(posted)
                if cancelled is not None:
                    booked = course_rebook(
                        actor=request.user,
                        plan=plan,
                        cancelled=cancelled,
                        appointment_type=offer.appointment_type,
                        slots=chosen,
                        min_gap_days=offer.rhythm.min_gap_days,
                    )
                else:
                    booked = course_book(
                        actor=request.user,
                        plan=plan,
                        appointment_type=offer.appointment_type,
                        slots=chosen,
                        min_gap_days=offer.rhythm.min_gap_days,
                    )
            except (Conflict, ServiceError) as exc:
                error = "; ".join(exc.errors.values()) if isinstance(exc, ServiceError) else str(exc)
            else:
                first = booked[0].start.astimezone(clinic_zone())
                last = booked[-1].start.astimezone(clinic_zone())
                messages.success(
                    request, f"Booked {len(booked)} session(s), {first:%a %d %b %H:%M} to {last:%a %d %b %H:%M}."
                )
                return redirect("chart:patient_chart", patient_id=plan.patient.public_id)
        else:
            error = "Some rows need a time: pick one or tick Drop."
    else:
        rows = _rows_from_offer(offer, any_practitioner)
        audit_record(
            actor=request.user,
            action=AuditAction.READ,
            entity="course_proposal",
            entity_id=plan.public_id,
            patient_id=plan.patient.public_id,
        )
    context = {
        "plan": plan,
        "patient": plan.patient,
        "form": form,
        "offer": offer,
        "rows": rows,
        "error": error,
        "cancelled": cancelled,
        "zone": clinic_zone().key,
        "nav": "patients",
    }
    return render(request, "scheduling/course.html", context)


@login_required
def course_book_view(request: AuthedRequest, plan_id: uuid.UUID) -> HttpResponse:
    return _course_page(request, _plan(request, plan_id), None)


@login_required
def course_rebook_view(request: AuthedRequest, appointment_id: uuid.UUID) -> HttpResponse:
    cancelled = _appointment(request, appointment_id)
    if cancelled.plan is None or cancelled.status != "cancelled":
        raise Http404("Only a cancelled session of a course can be rebooked from")
    return _course_page(request, _plan(request, cancelled.plan.public_id), cancelled)


@login_required
def course_row_options(request: AuthedRequest, plan_id: uuid.UUID) -> HttpResponse:
    """htmx: the free times of one day for one proposal row (the row's <select>)."""
    plan = _plan(request, plan_id)
    try:
        row = int(request.GET.get("row", "0"))
        day = dt.date.fromisoformat(request.GET.get(f"day_{row}", ""))
    except ValueError:
        return render(request, "scheduling/_row_options.html", {"row": RowView(number=0, day=None, value="")})
    _, d = _settings_form(request, plan, request.GET)
    who = [d["practitioner"]] if d.get("practitioner") else course_practitioners(plan.patient)
    kind = _course_type(plan, d)
    zone = clinic_zone()
    start = dt.datetime.combine(day, dt.time.min, tzinfo=zone)
    rooms = rooms_for(who)
    slots = diary_load(
        practitioners=who,
        appointment_type=kind,
        start=start,
        end=start + dt.timedelta(days=1),
        patient=plan.patient,
        rooms=rooms or None,
    ).slots()
    option = _labels({str(p.pk): p for p in who}, {str(r.pk): r for r in rooms}, not d.get("practitioner"))
    view = RowView(number=row, day=day, value="", options=[option(s) for s in slots])
    return render(request, "scheduling/_row_options.html", {"row": view})


@login_required
def appointment_cancel_view(request: AuthedRequest, appointment_id: uuid.UUID) -> HttpResponse:
    appointment = _appointment(request, appointment_id)
    form = CancelForm(request.POST or None, initial={"rebook": appointment.plan_id is not None})
    if request.method == "POST" and form.is_valid():
        try:
            appointment_cancel(actor=request.user, appointment=appointment, reason=form.cleaned_data["reason"])
        except Conflict as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Appointment cancelled; the time is free again.")
            if appointment.plan_id and form.cleaned_data["rebook"]:
                return redirect("scheduling:course_rebook", appointment_id=appointment.public_id)
            return redirect("chart:patient_chart", patient_id=appointment.patient.public_id)
    return render(
        request,
        "scheduling/appointment_cancel.html",
        {"appointment": appointment, "form": form, "patient": appointment.patient, "nav": "patients"},
    )
