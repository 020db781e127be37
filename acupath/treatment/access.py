"""Who may see or run a treatment session, and who may look at the room board.

Sessions are patient records: one the user may not see is answered as not found. The board is
a clinic-floor view: staff may read it (front desk without clinical detail), patients may not.
"""

import uuid
from typing import Any

from django.db.models import QuerySet

from acupath.accounts.models import Role
from acupath.accounts.permissions import Capability, can, is_staff_member
from acupath.clinic.models import Clinic, Location, Practitioner, Room
from acupath.clinic.selectors import clinic_current
from acupath.core.errors import Forbidden, NotFound
from acupath.patients.access import patients_visible_to
from acupath.treatment.models import AdverseEvent, AdverseEventAlert, TreatmentSession


def _uuid(value: uuid.UUID | str, what: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise NotFound(what) from None


def sessions_visible_to(user: Any, capability: Capability) -> QuerySet[TreatmentSession]:
    if not can(user, capability):
        return TreatmentSession.objects.none()
    return TreatmentSession.objects.filter(patient__in=patients_visible_to(user))


def access_session_by_id(user: Any, session_id: uuid.UUID | str, capability: Capability) -> TreatmentSession:
    """The session, with what every session page needs joined in, or NotFound."""
    key = _uuid(session_id, "session")
    session = (
        sessions_visible_to(user, capability)
        .select_related("patient", "practitioner", "room__location", "plan")
        .filter(public_id=key)
        .first()
    )
    if session is None:
        raise NotFound("session")
    return session


def access_adverse_event_by_id(user: Any, event_id: uuid.UUID | str, capability: Capability) -> AdverseEvent:
    """An adverse event of a patient the user may see, for clinical staff only; otherwise NotFound.

    Patients read their own record through the portal, not the clinic's incident records.
    """
    key = _uuid(event_id, "adverse event")
    if not is_staff_member(user):
        raise NotFound("adverse event")
    if not can(user, capability):
        raise NotFound("adverse event")
    event = (
        AdverseEvent.objects.filter(patient__in=patients_visible_to(user), public_id=key)
        .select_related("patient", "session__practitioner", "session__room", "recorded_by", "alert__acknowledged_by")
        .first()
    )
    if event is None:
        raise NotFound("adverse event")
    return event


def can_see_owner_alerts(user: Any) -> bool:
    return is_staff_member(user) and user.role == Role.OWNER


def access_alert_of_event(user: Any, event: AdverseEvent) -> AdverseEventAlert:
    """The owner's alert for a serious event the owner may see, or NotFound."""
    if not can_see_owner_alerts(user):
        raise NotFound("alert")
    alert = AdverseEventAlert.objects.filter(event=event).first()
    if alert is None:
        raise NotFound("alert")
    return alert


def can_see_board(user: Any) -> bool:
    """Staff who run the day see the board; patients do not."""
    return is_staff_member(user) and can(user, Capability.VIEW_SCHEDULE)


def board_shows_clinical(user: Any) -> bool:
    """Needle counts and links into sessions are clinical detail: practitioners and the owner."""
    return can(user, Capability.VIEW_CLINICAL) and is_staff_member(user)


def can_report_adverse_events(user: Any) -> bool:
    return is_staff_member(user) and can(user, Capability.EDIT_CLINICAL)


def ensure_board(user: Any) -> None:
    if not can_see_board(user):
        raise Forbidden("Only clinic staff may see the treatment-room board.")


def clinic_of(user: Any) -> Clinic | None:
    """The clinic whose floor the user works on (the installation's clinic for now)."""
    practitioner = Practitioner.objects.filter(user=user).select_related("clinic").first()
    return practitioner.clinic if practitioner else clinic_current()


# The desk's chosen board location is kept in the browser session under this key.
BOARD_LOCATION_KEY = "board_location"


def access_location_by_id(
    user: Any, location_id: uuid.UUID | str | None, remembered: uuid.UUID | str | None = None
) -> Location:
    """The location whose board the user asked for; when none is named, the practitioner's own
    location, else the one the desk chose last (`remembered`), else the clinic's first.
    """
    ensure_board(user)
    own = Practitioner.objects.filter(user=user).select_related("clinic", "location").first()
    clinic = own.clinic if own else clinic_current()
    locations = Location.objects.filter(clinic=clinic).order_by("id")
    if location_id:
        location = locations.filter(public_id=_uuid(location_id, "location")).first()
    elif own is not None and own.location is not None:
        location = own.location
    else:
        location = _remembered(locations, remembered) or locations.first()
    if location is None:
        raise NotFound("location")
    return location


def _remembered(locations: QuerySet[Location], remembered: uuid.UUID | str | None) -> Location | None:
    try:
        return locations.filter(public_id=_uuid(remembered, "location")).first() if remembered else None
    except NotFound:  # a stale or garbled value in the session: fall back as if none were kept
        return None


def access_room_by_id(user: Any, room_id: uuid.UUID | str, field: str = "room") -> Room:
    """An active room of the user's clinic (NotFound names the field so forms can say which)."""
    room = (
        Room.objects.filter(location__clinic=clinic_of(user), active=True, public_id=_uuid(room_id, field))
        .select_related("location")
        .first()
    )
    if room is None:
        raise NotFound(field)
    return room
