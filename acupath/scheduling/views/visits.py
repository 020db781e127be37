"""The desk's buttons for the visit: arrived, check in to a room, left early (each goes back)."""

import uuid

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from acupath.accounts.http import AuthedRequest
from acupath.accounts.permissions import Capability
from acupath.core.errors import NotFound, ServiceError
from acupath.core.views import act_and_return
from acupath.scheduling.access import access_visit_by_id
from acupath.scheduling.models import Appointment
from acupath.scheduling.selectors.lookups import room_by_ref
from acupath.scheduling.services import appointment_arrive, appointment_check_in, appointment_record_departure


def _visit_or_404(request: AuthedRequest, appointment_id: uuid.UUID) -> Appointment:
    try:
        return access_visit_by_id(request.user, appointment_id, Capability.BOOK_APPOINTMENTS)
    except NotFound:
        raise Http404("No such appointment") from None


def _back(request: AuthedRequest) -> str:
    """Where the button was pressed (Today, the calendar, the patient page); Today otherwise."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return "home"


@login_required
@require_POST
def arrive_view(request: AuthedRequest, appointment_id: uuid.UUID) -> HttpResponse:
    a = _visit_or_404(request, appointment_id)
    return act_and_return(
        request,
        lambda: appointment_arrive(actor=request.user, appointment=a),
        f"{a.patient.full_name} has arrived and is waiting for {a.practitioner}.",
        _back(request),
    )


@login_required
@require_POST
def check_in_view(request: AuthedRequest, appointment_id: uuid.UUID) -> HttpResponse:
    a = _visit_or_404(request, appointment_id)

    def check_in() -> Appointment:
        try:
            room = room_by_ref(request.POST.get("room") or None)
        except ServiceError:
            raise ServiceError({"room": "That room is no longer in use; choose another."}) from None
        return appointment_check_in(actor=request.user, appointment=a, room=room)

    return act_and_return(
        request,
        check_in,
        lambda done: (
            f"{a.patient.full_name} is checked in to {done.session.room if done.session else 'a room'}"
            f" for {a.practitioner}."
        ),
        _back(request),
    )


@login_required
@require_POST
def departure_view(request: AuthedRequest, appointment_id: uuid.UUID) -> HttpResponse:
    a = _visit_or_404(request, appointment_id)
    return act_and_return(
        request,
        lambda: appointment_record_departure(
            actor=request.user, appointment=a, note=request.POST.get("note", "")[:200]
        ),
        f"Recorded that {a.patient.full_name} left early.",
        _back(request),
    )
