"""The waitlist: who waits for what, and offering freed times to them, first come first served.

When an appointment is cancelled its time may suit someone waiting. `waitlist_offer_freed_slots`
finds cancelled future appointments whose time is still free and e-mails every matching waiting
patient a signed claim link. Claiming books through scheduling's `appointment_book`, so when two
people claim the same time only the first gets it: the slot claims refuse the second.

Booking's own cancel flows call it once their transaction commits; the `waitlist_offer` command
runs it on a schedule for cancellations made elsewhere (the front desk, the API).
"""

import datetime as dt
import logging
from collections import defaultdict
from typing import Any

from django.db import transaction
from django.utils import timezone

from acupath.booking import conf
from acupath.booking.emails import offer_email_later, request_email_later
from acupath.booking.enums import OfferStatus, RequestStatus, WaitlistStatus
from acupath.booking.models import OnlineRequest, WaitlistEntry, WaitlistOffer
from acupath.booking.selectors import slot_if_free
from acupath.clinic.models import AppointmentType, Practitioner
from acupath.core.audit import audit_record
from acupath.core.errors import Conflict, ServiceError
from acupath.core.models import AuditAction
from acupath.patients.models import Patient, PatientStatus
from acupath.scheduling.enums import AppointmentStatus
from acupath.scheduling.models import Appointment
from acupath.scheduling.services import appointment_book

logger = logging.getLogger(__name__)


def waitlist_dates_errors(earliest: dt.date | None, latest: dt.date | None, today: dt.date) -> dict[str, str]:
    errors: dict[str, str] = {}
    reach = conf.waitlist_max_days()
    if earliest is None:
        errors["earliest"] = "Enter the first day you could come."
    elif earliest < today:
        errors["earliest"] = "The first day you could come must be today or later."
    if latest is None:
        errors["latest"] = "Enter the last day that would still suit you."
    elif earliest is not None and latest < earliest:
        errors["latest"] = "The last day must be on or after the first day."
    elif latest > (last := today + dt.timedelta(days=reach)):
        errors["latest"] = f"The waitlist reaches {reach} days ahead; choose a last day up to {last:%d %b %Y}."
    return errors


@transaction.atomic
def waitlist_join(
    *,
    actor: Any,
    patient: Patient,
    appointment_type: AppointmentType,
    practitioner: Practitioner | None,
    earliest: dt.date,
    latest: dt.date,
    source: str,
    request: Any = None,
    via: str = "web",
    now: dt.datetime | None = None,
) -> WaitlistEntry:
    if errors := waitlist_dates_errors(earliest, latest, timezone.localdate(now or timezone.now())):
        raise ServiceError(errors)
    if practitioner is not None and practitioner.clinic_id != appointment_type.clinic_id:
        raise ServiceError({"practitioner": "Choose a practitioner of this clinic."})
    entry = WaitlistEntry.objects.create(
        patient=patient,
        type=appointment_type,
        practitioner=practitioner,
        earliest=earliest,
        latest=latest,
        source=source,
        request=request,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        entity="waitlist_entry",
        entity_id=entry.public_id,
        patient_id=patient.public_id,
        via=via,
    )
    return entry


@transaction.atomic
def waitlist_remove(*, actor: Any, entry: WaitlistEntry, via: str = "web") -> WaitlistEntry:
    moved = WaitlistEntry.objects.filter(pk=entry.pk, status=WaitlistStatus.WAITING).update(
        status=WaitlistStatus.REMOVED, updated_at=timezone.now(), updated_by=actor
    )
    if not moved:
        raise Conflict("This patient is no longer waiting.")
    if entry.request_id:
        OnlineRequest.objects.filter(pk=entry.request_id, status=RequestStatus.WAITLISTED).update(
            status=RequestStatus.CANCELLED, updated_at=timezone.now()
        )
    entry.status = WaitlistStatus.REMOVED
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        entity="waitlist_entry",
        entity_id=entry.public_id,
        patient_id=entry.patient.public_id,
        summary="removed",
        via=via,
    )
    return entry


def _matches(entry: WaitlistEntry, freed: Appointment, day: dt.date) -> bool:
    return (
        entry.earliest <= day <= entry.latest
        and entry.practitioner_id in (None, freed.practitioner_id)
        and entry.type.clinic_id == freed.practitioner.clinic_id
        and entry.patient_id != freed.patient_id
    )


@transaction.atomic
def waitlist_offer_freed_slots(*, now: dt.datetime | None = None, base_url: str | None = None) -> list[WaitlistOffer]:
    """Offer every cancelled future time that is still free to each waiting patient it suits.

    Idempotent: an entry is offered a freed appointment once (a unique constraint), so running it
    again sends nothing new. A time someone has booked again in the meantime is not offered.
    """
    now = now or timezone.now()
    base_url = base_url or conf.public_url()
    entries = list(
        WaitlistEntry.objects.filter(status=WaitlistStatus.WAITING, latest__gte=timezone.localdate(now)).select_related(
            "patient", "type"
        )
    )
    if not entries:
        return []
    freed = list(
        Appointment.objects.filter(
            status=AppointmentStatus.CANCELLED,
            start__gte=now + conf.min_notice(),
            start__lte=now + dt.timedelta(days=conf.waitlist_max_days()),
        )
        .select_related("practitioner")
        .order_by("start", "id")
    )
    offered = set(WaitlistOffer.objects.filter(entry__in=entries).values_list("entry_id", "freed_id"))
    made: list[WaitlistOffer] = []
    seen: set[tuple[int, dt.datetime, int]] = set()
    for appointment in freed:
        day = timezone.localdate(appointment.start)
        by_type: dict[int, list[WaitlistEntry]] = defaultdict(list)
        for entry in entries:
            if (entry.pk, appointment.pk) not in offered and _matches(entry, appointment, day):
                by_type[entry.type_id].append(entry)
        for waiting in by_type.values():
            appointment_type = waiting[0].type
            key = (appointment.practitioner_id, appointment.start, appointment_type.pk)
            if key in seen:  # the same time freed twice (booked and cancelled again)
                continue
            seen.add(key)
            if slot_if_free(
                appointment_type=appointment_type, practitioner=appointment.practitioner, start=appointment.start
            ):
                for entry in waiting:
                    offer = WaitlistOffer.objects.create(
                        entry=entry,
                        freed=appointment,
                        practitioner=appointment.practitioner,
                        type=appointment_type,
                        start=appointment.start,
                    )
                    audit_record(
                        actor=None,
                        action=AuditAction.CREATE,
                        entity="waitlist_offer",
                        entity_id=offer.public_id,
                        patient_id=entry.patient.public_id,
                        via="system",
                    )
                    offer_email_later(offer, base_url)
                    made.append(offer)
    return made


def _offer_quietly(base_url: str) -> None:
    try:
        waitlist_offer_freed_slots(base_url=base_url)
    except Exception:  # an offer run must never turn a finished cancel into an error page
        logger.exception("offering freed times to the waitlist failed")


def offer_freed_later(base_url: str) -> None:
    """After the current transaction commits, offer freed times to the waitlist."""
    transaction.on_commit(lambda: _offer_quietly(base_url))


@transaction.atomic
def waitlist_offer_claim(*, offer: WaitlistOffer, base_url: str, now: dt.datetime | None = None) -> Appointment:
    """Book the offered time for the waiting patient who clicked first; everyone after is told it is gone."""
    now = now or timezone.now()
    entry = offer.entry
    if offer.status != OfferStatus.OPEN:
        raise Conflict("Sorry, someone else claimed this time first. You are still on the waitlist.")
    if entry.status != WaitlistStatus.WAITING:
        raise Conflict("You already have a time from the waitlist (or have left it), so this offer is closed.")
    if offer.start <= now + conf.min_notice():
        raise Conflict("Sorry, this time is too close to be booked online now. You are still on the waitlist.")
    free = slot_if_free(appointment_type=offer.type, practitioner=offer.practitioner, start=offer.start)
    if free is None:
        WaitlistOffer.objects.filter(pk=offer.pk, status=OfferStatus.OPEN).update(status=OfferStatus.TAKEN)
        raise Conflict("Sorry, someone else claimed this time first. You are still on the waitlist.")
    pending = entry.patient.status == PatientStatus.PENDING or entry.request_id is not None
    try:
        appointment = appointment_book(
            actor=None,
            patient=entry.patient,
            practitioner=offer.practitioner,
            type=offer.type,
            start=offer.start,
            room=free.room,
            status=AppointmentStatus.PENDING if pending else AppointmentStatus.BOOKED,
            note="From the waitlist",
            now=now,
            via="online",
            within_hours=True,  # the clinic's rules, as for staff; online there is no override
        )
    except Conflict:
        raise Conflict("Sorry, someone else claimed this time first. You are still on the waitlist.") from None
    WaitlistOffer.objects.filter(pk=offer.pk).update(
        status=OfferStatus.CLAIMED, appointment=appointment, updated_at=now
    )
    WaitlistOffer.objects.filter(practitioner=offer.practitioner, start=offer.start, status=OfferStatus.OPEN).update(
        status=OfferStatus.TAKEN, updated_at=now
    )
    WaitlistEntry.objects.filter(pk=entry.pk).update(status=WaitlistStatus.BOOKED, updated_at=now)
    audit_record(
        actor=None,
        action=AuditAction.UPDATE,
        entity="waitlist_offer",
        entity_id=offer.public_id,
        patient_id=entry.patient.public_id,
        summary="claimed",
        via="online",
    )
    request = entry.request
    if request is not None:
        # A visitor from the public page: the clinic confirms the claimed time like any request.
        request.appointment = appointment
        request.status = RequestStatus.PENDING
        request.save(update_fields=["appointment", "status", "updated_at"])
        request_email_later(request, "received", base_url)
    return appointment
