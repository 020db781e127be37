"""The treatment-room board: every room of a location, its patient and its retention timer.

The page polls its own URL with htmx every few seconds and swaps in the grid; a small script
ticks the timers between polls. Every figure comes from the stored start time, so a reload,
another tablet or a restarted server shows the same time remaining.
"""

import uuid

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from acupath.accounts.http import AuthedRequest
from acupath.accounts.permissions import Capability, can
from acupath.core.audit import audit_record
from acupath.core.errors import Forbidden, NotFound
from acupath.core.models import AuditAction
from acupath.treatment.access import (
    BOARD_LOCATION_KEY,
    access_location_by_id,
    board_shows_clinical,
    can_report_adverse_events,
    clinic_of,
)
from acupath.treatment.selectors import board_for_location, locations_of

POLL_SECONDS = 5


@login_required
@require_GET
def board(request: AuthedRequest, location_id: uuid.UUID | None = None) -> HttpResponse:
    try:
        location = access_location_by_id(request.user, location_id, request.session.get(BOARD_LOCATION_KEY))
    except Forbidden:
        raise PermissionDenied("Only clinic staff may see the treatment-room board.") from None
    except NotFound:
        raise Http404("No such location") from None
    if location_id is not None and request.session.get(BOARD_LOCATION_KEY) != str(location.public_id):
        request.session[BOARD_LOCATION_KEY] = str(location.public_id)  # the desk's choice, kept (once)
    now = timezone.now()
    rooms = board_for_location(location, now)
    context = {
        "location": location,
        "rooms": rooms,
        # Rooms that need someone now, said once more above the grid: time up, needle count off.
        "attention": [b for b in rooms if b.outstanding or (b.timer and b.timer.time_up)],
        "now": now,
        "clinical": board_shows_clinical(request.user),
        "can_start": can(request.user, Capability.EDIT_CLINICAL),
        "poll_seconds": POLL_SECONDS,
        "nav": "board",
    }
    if request.htmx:
        # Polls are not audited one by one (every few seconds per tablet); the page load is.
        return render(request, "treatment/_board_grid.html", context)
    audit_record(actor=request.user, action=AuditAction.READ, entity="room_board", entity_id=location.public_id)
    context["locations"] = locations_of(clinic_of(request.user))
    context["can_report"] = can_report_adverse_events(request.user)
    return render(request, "treatment/board.html", context)
