"""Online booking requests: a visitor asks, the clinic confirms or declines, the visitor may move or cancel.

Every write here runs in one transaction and is audited. Appointments are booked and cancelled
through scheduling's services, so its slot claims keep double-booking impossible. State changes
are conditional updates (``filter(status=...).update(...)``), so two clicks on "Confirm", or a
confirm racing a cancel, cannot both win, on SQLite and PostgreSQL alike.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, cast

from django.db import transaction
from django.utils import timezone

from acupath.booking import conf
from acupath.booking.domain.previsit import PAIN_DURATIONS, ces_questions, triage
from acupath.booking.emails import request_email_later
from acupath.booking.enums import OPEN_REQUESTS, RequestStatus, WaitlistSource, WaitlistStatus
from acupath.booking.models import OnlineRequest, WaitlistEntry
from acupath.booking.selectors import slot_if_free
from acupath.booking.services.waitlist import offer_freed_later, waitlist_dates_errors, waitlist_join
from acupath.clinic.models import AppointmentType, Clinic, Practitioner
from acupath.core.audit import audit_record
from acupath.core.errors import Conflict, ServiceError
from acupath.core.models import AuditAction
from acupath.patients.enums import DuplicatePolicy
from acupath.patients.models import Patient, PatientStatus
from acupath.patients.services import PatientDetails, patient_details_errors, patient_register
from acupath.scheduling.enums import AppointmentStatus
from acupath.scheduling.models import Appointment
from acupath.scheduling.services import appointment_book, appointment_cancel

REASON_MAX = 500
TAKEN = "Sorry, that time has just been taken. Please choose another time; everything else you entered is kept."


@dataclass(frozen=True)
class PreVisit:
    reason: str
    pain_duration: str
    red_flags: dict[str, bool] = field(default_factory=dict)


@dataclass(frozen=True)
class SlotPick:
    practitioner: Practitioner
    start: dt.datetime


def previsit_errors(answers: PreVisit) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not answers.reason.strip():
        errors["reason"] = "Tell us in a few words why you would like to come (for example: low back pain for a month)."
    elif len(answers.reason) > REASON_MAX:
        errors["reason"] = f"Please keep this under {REASON_MAX} characters; you can tell the practitioner more."
    if answers.pain_duration not in {code for code, _ in PAIN_DURATIONS}:
        errors["pain_duration"] = "Choose how long the pain has lasted (or 'I am not sure')."
    missing = [q.number for q in ces_questions() if q.code not in answers.red_flags]
    if missing:
        errors["red_flags"] = (
            "Answer yes or no to every health question (question " + ", ".join(map(str, missing)) + ")."
        )
    return errors


def pick_errors(pick: SlotPick | None, practitioner: Practitioner | None, now: dt.datetime) -> dict[str, str]:
    if pick is None:
        return {"slot": "Choose one of the free times, or choose to join the waitlist."}
    if practitioner is not None and pick.practitioner.pk != practitioner.pk:
        return {"slot": "That time is with another practitioner; choose a time from the list shown."}
    if pick.start < now + conf.min_notice() or pick.start > now + conf.horizon():
        return {"slot": "That time can no longer be booked online; choose a time from the list shown."}
    return {}


def _type_errors(clinic: Clinic, appointment_type: AppointmentType | None) -> dict[str, str]:
    if appointment_type is None or appointment_type.clinic_id != clinic.pk or not appointment_type.bookable_online:
        return {"type": "Choose one of the services that can be booked online."}
    return {}


def _audit(
    request: OnlineRequest, action: AuditAction, actor: Any = None, summary: str = "", via: str = "online"
) -> None:
    audit_record(
        actor=actor,
        action=action,
        entity="online_request",
        entity_id=request.public_id,
        patient_id=request.patient.public_id,
        summary=summary,
        via=via,
    )


@transaction.atomic
def online_request_submit(
    *,
    clinic: Clinic,
    details: PatientDetails,
    appointment_type: AppointmentType | None,
    practitioner: Practitioner | None,
    previsit: PreVisit,
    pick: SlotPick | None,
    waitlist: tuple[dt.date, dt.date] | None,
    base_url: str,
    now: dt.datetime | None = None,
) -> OnlineRequest:
    """A visitor's request from the public page: a pending patient and a pending appointment.

    With a `waitlist` date range instead of a `pick`, the visitor joins the waitlist. A yes to a
    cauda equina emergency question books nothing: the request is kept as an urgent referral for
    the clinic to see, and the visitor is told to go to the emergency department now.
    """
    now = now or timezone.now()
    errors = patient_details_errors(details)
    if not details.email.strip():
        errors["email"] = "Enter your e-mail address: we send your confirmation and your cancel link there."
    if not details.phone.strip():
        errors.setdefault("phone", "Enter a phone number so the clinic can call you about your visit.")
    errors |= _type_errors(clinic, appointment_type) | previsit_errors(previsit)
    if waitlist is not None:
        errors |= waitlist_dates_errors(*waitlist, today=timezone.localdate(now))
    else:
        errors |= pick_errors(pick, practitioner, now)
    if errors or appointment_type is None:  # a missing type is one of the errors
        raise ServiceError(errors)
    screen = triage(previsit.red_flags)

    # The visitor is never shown other patients: a likely duplicate is registered, flagged for the
    # desk to check and the owner to merge (docs/decisions: duplicate patients).
    patient = patient_register(
        actor=None,
        clinic=clinic,
        details=details,
        status=PatientStatus.PENDING,
        duplicates=DuplicatePolicy.FLAG,
        via="online",
    )
    request = OnlineRequest(
        patient=patient,
        type=appointment_type,
        practitioner=practitioner,
        reason=previsit.reason.strip(),
        pain_duration=previsit.pain_duration,
        red_flag_answers=previsit.red_flags,
        red_flag_urgency=screen.urgency,
    )
    if screen.emergency:
        request.status = RequestStatus.REFERRED
        request.save()
        _audit(request, AuditAction.CREATE, summary="urgent referral")
        request_email_later(request, "referred", base_url)
        return request
    if waitlist is not None:
        request.status = RequestStatus.WAITLISTED
        request.save()
        entry = waitlist_join(
            actor=None,
            patient=patient,
            appointment_type=appointment_type,
            practitioner=practitioner,
            earliest=waitlist[0],
            latest=waitlist[1],
            source=WaitlistSource.ONLINE,
            request=request,
            via="online",
            now=now,
        )
        _audit(request, AuditAction.CREATE, summary="waitlisted")
        request_email_later(request, "waitlisted", base_url, entry=entry)
        return request

    # Safe: without a waitlist range, pick_errors above refused a missing pick.
    chosen = cast(SlotPick, pick)
    request.appointment = _book_pick(patient, appointment_type, chosen, AppointmentStatus.PENDING, now)
    request.save()
    _audit(request, AuditAction.CREATE, summary="requested")
    request_email_later(request, "received", base_url)
    return request


def _book_pick(
    patient: Patient, appointment_type: AppointmentType, pick: SlotPick, status: str, now: dt.datetime
) -> Appointment:
    """Book the picked time if it is still free, in the first free room (scheduling refuses clashes)."""
    free = slot_if_free(appointment_type=appointment_type, practitioner=pick.practitioner, start=pick.start)
    if free is None:
        raise Conflict(TAKEN)
    try:
        return appointment_book(
            actor=None,
            patient=patient,
            practitioner=pick.practitioner,
            type=appointment_type,
            start=pick.start,
            room=free.room,
            status=status,
            note="Requested online",
            now=now,
            via="online",
            within_hours=True,  # the clinic's rules, as for staff; online there is no override
        )
    except Conflict:
        raise Conflict(TAKEN) from None


def _claim_status(request: OnlineRequest, expected: tuple[str, ...], new: str, **changes: Any) -> None:
    """Move `request` from one of `expected` to `new`, or refuse if someone else moved it first."""
    moved = OnlineRequest.objects.filter(pk=request.pk, status__in=expected).update(
        status=new, updated_at=timezone.now(), **changes
    )
    if not moved:
        current = OnlineRequest.objects.filter(pk=request.pk).values_list("status", flat=True).first()
        label = RequestStatus(current).label.lower() if current else "gone"
        raise Conflict(f"This request has already changed: it is now {label}. Reload the page to see it.")
    request.status = new
    for name, value in changes.items():
        setattr(request, name, value)


@transaction.atomic
def online_request_confirm(*, actor: Any, request: OnlineRequest, base_url: str, via: str = "web") -> OnlineRequest:
    """The clinic accepts the request: the appointment is booked and the patient becomes active."""
    now = timezone.now()
    _claim_status(request, (RequestStatus.PENDING,), RequestStatus.CONFIRMED, decided_at=now)
    appointment = request.appointment
    if appointment is None or appointment.status != AppointmentStatus.PENDING:
        raise Conflict("The requested appointment is no longer pending; it cannot be confirmed.")
    # scheduling has no "confirm" service yet: the status moves here, guarded like the request.
    Appointment.objects.filter(pk=appointment.pk, status=AppointmentStatus.PENDING).update(
        status=AppointmentStatus.BOOKED, updated_at=now, updated_by=actor
    )
    appointment.status = AppointmentStatus.BOOKED
    Patient.objects.filter(pk=request.patient_id, status=PatientStatus.PENDING).update(
        status=PatientStatus.ACTIVE, updated_at=now, updated_by=actor
    )
    request.patient.status = PatientStatus.ACTIVE
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        entity="appointment",
        entity_id=appointment.public_id,
        patient_id=request.patient.public_id,
        summary="confirmed",
        via=via,
    )
    _audit(request, AuditAction.UPDATE, actor, "confirmed", via)
    request_email_later(request, "confirmed", base_url)
    return request


@transaction.atomic
def online_request_decline(
    *, actor: Any, request: OnlineRequest, note: str, base_url: str, via: str = "web"
) -> OnlineRequest:
    """The clinic cannot take the request: the appointment is cancelled and the visitor told why."""
    note = note.strip()
    if len(note) > 300:
        raise ServiceError({"note": "Keep the note to the visitor under 300 characters."})
    _claim_status(
        request, (RequestStatus.PENDING,), RequestStatus.DECLINED, decided_at=timezone.now(), decision_note=note
    )
    if request.appointment is not None and request.appointment.status in (
        AppointmentStatus.PENDING,
        AppointmentStatus.BOOKED,
    ):
        appointment_cancel(actor=actor, appointment=request.appointment, reason="Declined online request", via=via)
        offer_freed_later(base_url)
    _audit(request, AuditAction.UPDATE, actor, "declined", via)
    request_email_later(request, "declined", base_url)
    return request


@transaction.atomic
def online_request_mark_contacted(*, actor: Any, request: OnlineRequest, via: str = "web") -> OnlineRequest:
    """The clinic has reached a visitor sent to emergency care; the referral leaves the desk list."""
    if request.status != RequestStatus.REFERRED:
        raise Conflict("Only an urgent referral is marked as contacted.")
    moved = OnlineRequest.objects.filter(pk=request.pk, contacted_at__isnull=True).update(
        contacted_at=timezone.now(), contacted_by=actor, updated_at=timezone.now()
    )
    if not moved:
        raise Conflict("Someone has already marked this referral as contacted.")
    _audit(request, AuditAction.UPDATE, actor, "referral contacted", via)
    return request


def _appointment_ahead(request: OnlineRequest, now: dt.datetime) -> Appointment:
    appointment = request.appointment
    if appointment is None or appointment.status not in (AppointmentStatus.PENDING, AppointmentStatus.BOOKED):
        raise Conflict("This appointment is no longer booked.")
    if appointment.start <= now:
        raise Conflict("This appointment has already started or passed; please call the clinic.")
    return appointment


@transaction.atomic
def online_request_cancel(*, request: OnlineRequest, base_url: str, now: dt.datetime | None = None) -> OnlineRequest:
    """The visitor cancels with their signed link (an appointment, or their place on the waitlist)."""
    now = now or timezone.now()
    if request.status == RequestStatus.WAITLISTED:
        _claim_status(request, (RequestStatus.WAITLISTED,), RequestStatus.CANCELLED)
        WaitlistEntry.objects.filter(request=request, status=WaitlistStatus.WAITING).update(
            status=WaitlistStatus.REMOVED, updated_at=now
        )
        request.appointment = None
    else:
        appointment = _appointment_ahead(request, now)
        _claim_status(request, OPEN_REQUESTS, RequestStatus.CANCELLED)
        appointment_cancel(actor=None, appointment=appointment, reason="Cancelled by the visitor", via="online")
        offer_freed_later(base_url)
    _audit(request, AuditAction.UPDATE, summary="cancelled by visitor")
    request_email_later(request, "cancelled", base_url)
    return request


@transaction.atomic
def online_request_reschedule(
    *, request: OnlineRequest, pick: SlotPick | None, base_url: str, now: dt.datetime | None = None
) -> OnlineRequest:
    """Move the request's appointment to another free time, all or nothing.

    The old appointment is cancelled first (so a new time overlapping it does not clash with the
    patient's own booking), then the new one is booked; if that fails the whole move rolls back.
    A confirmed appointment stays confirmed; a pending one stays pending.
    """
    now = now or timezone.now()
    errors = pick_errors(pick, None, now)
    if errors or pick is None:  # a missing pick is one of the errors
        raise ServiceError(errors)
    if request.status not in OPEN_REQUESTS:
        raise Conflict("This request can no longer be moved; please book again.")
    old = _appointment_ahead(request, now)
    status = AppointmentStatus.BOOKED if old.status == AppointmentStatus.BOOKED else AppointmentStatus.PENDING
    # Touch the request first: a concurrent move or cancel of the same request then fails here.
    _claim_status(request, (request.status,), request.status)
    appointment_cancel(actor=None, appointment=old, reason="Moved by the visitor", via="online")
    request.appointment = _book_pick(request.patient, request.type, pick, status, now)
    request.save(update_fields=["appointment", "updated_at"])
    _audit(request, AuditAction.UPDATE, summary="rescheduled by visitor")
    request_email_later(request, "rescheduled", base_url)
    offer_freed_later(base_url)
    return request
