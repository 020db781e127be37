import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from acupath.accounts.permissions import Capability, can
from acupath.core.audit import audit_record
from acupath.core.errors import Forbidden
from acupath.core.models import AuditAction
from acupath.followup.schemas import WatchPage
from acupath.followup.selectors import WatchItem, watch_page
from acupath.followup.services import appointment_mark_no_show, watch_refresh_if_stale
from acupath.scheduling.access import access_visit_by_id
from acupath.scheduling.api import appointment_payload
from acupath.scheduling.schemas import AppointmentOut, NoShowIn

router = Router(tags=["follow-up"])
# Mounted at the API root beside scheduling's appointment routes: recording a no-show clears the
# follow-up no-show report kept here, so the route lives on this floor.
appointments_router = Router(tags=["scheduling"])


class PageQuery(Schema):
    offset: int = 0
    limit: int = 100


def _out(item: WatchItem, clinical: bool) -> dict[str, Any]:
    practitioner = item.practitioner
    return {
        "patient": {"id": item.patient_id, "name": item.name},
        "reason": item.reason,
        "reasons": list(item.reasons),
        "detail": item.detail(clinical),
        "last_visit": item.last_visit,
        "due": item.due,
        "next_booking": item.next_booking,
        "practitioner": {"id": practitioner.public_id, "name": practitioner.display_name} if practitioner else None,
        "scores": [{"instrument": c.instrument, "best": c.best, "latest": c.latest, "mcid": c.mcid} for c in item.worse]
        if clinical
        else None,
    }


@router.get("", response=WatchPage)
def recurrence_watch_list(request: HttpRequest, params: Query[PageQuery]) -> dict[str, Any]:
    """Patients in maintenance who are worse than their best by the MCID, or overdue a maintenance visit.

    Read from the work list's snapshot, at most a few minutes old (FOLLOWUP_WATCH_MAX_AGE_MINUTES).
    """
    if not can(request.user, Capability.BOOK_APPOINTMENTS):
        raise Forbidden("Your role may not see the recurrence watch.")
    watch_refresh_if_stale()
    shown, count = watch_page(offset=max(0, params.offset), limit=max(1, min(params.limit, 500)))
    audit_record(
        actor=request.user, action=AuditAction.READ, entity="recurrence_watch", summary=f"{len(shown)} shown", via="api"
    )
    clinical = can(request.user, Capability.VIEW_CLINICAL)
    return {"items": [_out(item, clinical) for item in shown], "count": count}


@appointments_router.post("/appointments/{appointment_id}/no-show", response=AppointmentOut)
def appointment_no_show(
    request: HttpRequest, appointment_id: uuid.UUID, payload: NoShowIn | None = None
) -> dict[str, Any]:
    appointment = access_visit_by_id(request.user, appointment_id, Capability.BOOK_APPOINTMENTS)
    confirm = bool(payload and payload.confirm_arrived)
    marked = appointment_mark_no_show(actor=request.user, appointment=appointment, confirm_arrived=confirm, via="api")
    return appointment_payload(marked)
