"""The desk's calendar page: a column per practitioner (or room) of one location, by day or week.

The page draws with EventCalendar (vendored, MIT); everything it shows comes from `calendar_feed`
and every change goes back through `calendar_move` and the booking dialog, so the server decides:
the same rules and slot claims as any booking.
"""

import datetime as dt
import json
import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from acupath.accounts.http import AuthedRequest
from acupath.accounts.permissions import Capability
from acupath.clinic.models import Location
from acupath.clinic.selectors import clinic_zone
from acupath.core.errors import Conflict, Forbidden, NotFound, ServiceError
from acupath.scheduling.access import (
    access_appointment_by_id,
    access_calendar_location,
    access_practitioner_at,
    require_booker,
)
from acupath.scheduling.selectors.desk_calendar import PRACTITIONERS, ROOMS, desk_calendar
from acupath.scheduling.selectors.week import today_local
from acupath.scheduling.services.appointments import RuleConflict
from acupath.scheduling.services.moves import appointment_move
from acupath.treatment.access import clinic_of

MAX_DAYS = 14


def _location(request: AuthedRequest) -> Location:
    try:
        return access_calendar_location(request.user, request.GET.get("location") or None)
    except Forbidden as exc:
        raise PermissionDenied(str(exc)) from None
    except NotFound:
        raise Http404("No such location") from None


def _view(request: AuthedRequest) -> str:
    return ROOMS if request.GET.get("view") == ROOMS else PRACTITIONERS


@login_required
@require_GET
def calendar_page(request: AuthedRequest) -> HttpResponse:
    location = _location(request)
    view = _view(request)
    try:
        day = dt.date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        day = today_local()
    shown = desk_calendar(location=location, first_day=day, days=1, view=view)
    context = {
        "calendar": shown,
        "day": day,
        "view": view,
        "locations": list(Location.objects.filter(clinic=clinic_of(request.user)).order_by("name")),
        "may_book": _may_book(request),
        "options": json.dumps(
            {
                "date": day.isoformat(),
                "view": view,
                "resources": shown.resources,
                "slotMinTime": shown.feed()["slotMinTime"],
                "slotMaxTime": shown.feed()["slotMaxTime"],
                "now": timezone.now().astimezone(clinic_zone()).strftime("%Y-%m-%dT%H:%M:%S"),
            }
        ),
        "nav": "schedule",
    }
    return render(request, "scheduling/desk_calendar.html", context)


def _may_book(request: AuthedRequest) -> bool:
    try:
        require_booker(request.user)
    except Forbidden:
        return False
    return True


@login_required
@require_GET
def calendar_feed(request: AuthedRequest) -> JsonResponse:
    """EventCalendar's event source: ?location=&start=YYYY-MM-DD&end=YYYY-MM-DD&view=practitioners|rooms."""
    location = _location(request)
    try:
        first = dt.date.fromisoformat(request.GET.get("start", "")[:10])
        last = dt.date.fromisoformat(request.GET.get("end", "")[:10])
    except ValueError:
        return JsonResponse({"detail": "Give start and end as dates (2026-12-03)."}, status=400)
    days = (last - first).days
    if not 1 <= days <= MAX_DAYS:
        return JsonResponse({"detail": f"Ask for 1 to {MAX_DAYS} days at a time."}, status=400)
    return JsonResponse(desk_calendar(location=location, first_day=first, days=days, view=_view(request)).feed())


def _local_start(value: str) -> dt.datetime | None:
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=clinic_zone())


@login_required
@require_POST
def calendar_move(request: AuthedRequest, appointment_id: uuid.UUID) -> JsonResponse:
    """A drag on the calendar: {start (clinic wall clock), resource, view, override_reason}.

    Answers 200 with what happened, 409 with why not (and whether a reason would allow it),
    422 for input to fix; on any refusal nothing changed.
    """
    try:
        require_booker(request.user)
        appointment = access_appointment_by_id(request.user, appointment_id, Capability.BOOK_APPOINTMENTS)
    except (Forbidden, NotFound):
        raise Http404("No such appointment") from None
    try:
        body: dict[str, Any] = json.loads(request.body or b"{}")
    except ValueError:
        body = {}
    start = _local_start(str(body.get("start", "")))
    if start is None:
        return JsonResponse({"detail": "Drop the appointment on a time in the calendar."}, status=422)
    location = _location(request)
    practitioner, room = None, None
    resource = str(body.get("resource") or "")
    try:
        if resource and body.get("view") == ROOMS:
            room = location.rooms.filter(public_id=uuid.UUID(resource), active=True).first()
            if room is None:
                raise NotFound("room")
        elif resource:
            practitioner = access_practitioner_at(location, resource)
        moved = appointment_move(
            actor=request.user,
            appointment=appointment,
            start=start,
            practitioner=practitioner,
            room=room,
            override_reason=str(body.get("override_reason", "")),
        )
    except (NotFound, ValueError):
        return JsonResponse({"detail": "That column is not part of this calendar; reload the page."}, status=422)
    except RuleConflict as exc:
        return JsonResponse({"detail": str(exc), "override": True}, status=409)
    except Conflict as exc:
        return JsonResponse({"detail": str(exc), "override": False}, status=409)
    except ServiceError as exc:
        return JsonResponse({"detail": " ".join(exc.errors.values())}, status=422)
    when = moved.start.astimezone(clinic_zone())
    told = (
        " The patient is told by e-mail." if moved.patient.email else " The patient has no e-mail address: call them."
    )
    return JsonResponse(
        {"detail": f"Moved to {when:%a %d %b %H:%M} with {moved.practitioner}.{told}", "id": str(moved.public_id)}
    )
