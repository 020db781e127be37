"""Who may see and change what in scheduling. Each condition on its own line.

Patient-linked records (appointments, plans) answer NotFound when not visible, like
the patients app; role-level refusals (a patient trying to book) answer Forbidden.
"""

import uuid
from typing import Any

from django.db import models

from acupath.accounts.models import Role
from acupath.accounts.permissions import Capability, can
from acupath.clinic.models import Location, Practitioner
from acupath.core.errors import Forbidden, NotFound
from acupath.patients.access import access_patient_by_id
from acupath.planning.enums import PlanStatus
from acupath.planning.models import TreatmentPlan
from acupath.scheduling.models import Appointment
from acupath.treatment.access import clinic_of

CALENDAR_MANAGERS = (Role.OWNER, Role.FRONTDESK)


def may_manage_calendars(user: Any) -> bool:
    """Owner and front desk keep the rota, leave, holidays and appointment types."""
    if not can(user, Capability.BOOK_APPOINTMENTS):
        return False
    return user.role in CALENDAR_MANAGERS


def require_calendar_manager(user: Any) -> None:
    if not may_manage_calendars(user):
        raise Forbidden("Only the owner and the front desk change calendars.")


def require_schedule_viewer(user: Any) -> None:
    if not can(user, Capability.VIEW_SCHEDULE):
        raise Forbidden("Your role does not see the clinic's schedule.")


def require_booker(user: Any) -> None:
    if not can(user, Capability.BOOK_APPOINTMENTS):
        raise Forbidden("Your role may not book appointments.")


def _uuid(value: uuid.UUID | str, what: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise NotFound(what) from None


def access_plan_by_id(user: Any, plan_id: uuid.UUID | str, capability: Capability) -> TreatmentPlan:
    """The approved plan, if `user` may exercise `capability` on its patient; otherwise NotFound."""
    key = _uuid(plan_id, "plan")
    plan = TreatmentPlan.objects.select_related("patient").filter(public_id=key, status=PlanStatus.APPROVED).first()
    if plan is None:
        raise NotFound("plan")
    try:
        access_patient_by_id(user, plan.patient.public_id, capability)
    except NotFound:
        raise NotFound("plan") from None
    return plan


def access_appointment_by_id(user: Any, appointment_id: uuid.UUID | str, capability: Capability) -> Appointment:
    """The appointment, if `user` may exercise `capability` on its patient; otherwise NotFound."""
    key = _uuid(appointment_id, "appointment")
    appointment = (
        Appointment.objects.select_related("patient", "practitioner", "room", "type", "plan", "session")
        .filter(public_id=key)
        .first()
    )
    if appointment is None:
        raise NotFound("appointment")
    try:
        access_patient_by_id(user, appointment.patient.public_id, capability)
    except NotFound:
        raise NotFound("appointment") from None
    return appointment


def access_visit_by_id(user: Any, appointment_id: uuid.UUID | str, capability: Capability) -> Appointment:
    """An appointment of the user's clinic for the visit's moves (and its session), or NotFound.

    Staff reach their own clinic's appointments only; a patient reaches only their own, and no
    patient may arrive, check in or mark anyone (they lack `BOOK_APPOINTMENTS`).
    """
    appointment = access_appointment_by_id(user, appointment_id, capability)
    if user.role == Role.PATIENT:
        return appointment
    if appointment.patient.clinic_id != getattr(clinic_of(user), "pk", None):
        raise NotFound("appointment")
    return appointment


def access_practitioner_by_id(user: Any, practitioner_id: uuid.UUID | str) -> Practitioner:
    """An active practitioner whose schedule `user` may see."""
    require_schedule_viewer(user)
    key = _uuid(practitioner_id, "practitioner")
    practitioner = Practitioner.objects.filter(public_id=key, active=True).first()
    if practitioner is None:
        raise NotFound("practitioner")
    return practitioner


def may_manage_feed(user: Any, practitioner: Practitioner) -> bool:
    """A practitioner keeps their own feed; the owner may rotate anyone's."""
    if not can(user, Capability.VIEW_SCHEDULE):
        return False
    if user.role == Role.OWNER:
        return True
    return bool(practitioner.user_id == user.pk)


def access_calendar_location(user: Any, location_id: uuid.UUID | str | None) -> Location:
    """The location whose calendar `user` asked for, of their own clinic; NotFound for any other.

    Without an id: the signed-in practitioner's own location, else the clinic's first.
    """
    require_schedule_viewer(user)
    locations = Location.objects.filter(clinic=clinic_of(user)).order_by("id")
    if location_id:
        location = locations.filter(public_id=_uuid(location_id, "location")).first()
    else:
        own = Practitioner.objects.filter(user=user, location__isnull=False).values_list("location_id", flat=True)
        location = locations.filter(pk__in=own).first() or locations.first()
    if location is None:
        raise NotFound("location")
    return location


def access_practitioner_at(location: Location, practitioner_id: uuid.UUID | str) -> Practitioner:
    """An active practitioner who works at `location` (or across the clinic); NotFound otherwise."""
    key = _uuid(practitioner_id, "practitioner")
    practitioner = (
        Practitioner.objects.filter(public_id=key, active=True, clinic_id=location.clinic_id)
        .filter(models.Q(location=location) | models.Q(location__isnull=True))
        .first()
    )
    if practitioner is None:
        raise NotFound("practitioner")
    return practitioner
