"""Follow-up writes: recording a no-show, booking a watched patient in one click, the watch snapshot."""

import dataclasses
import datetime as dt
import logging
import time
from collections.abc import Iterable
from typing import Any

from django.core.cache import caches
from django.db import IntegrityError, transaction
from django.utils import timezone

from acupath.clinic.models import AppointmentKind, AppointmentType, Practitioner
from acupath.clinic.selectors import clinic_zone
from acupath.core.errors import Conflict, ServiceError
from acupath.followup.models import WatchFlag, WatchRun
from acupath.followup.selectors import (
    WatchItem,
    no_show_report_forget,
    recurrence_watch,
    snapshot_is_stale,
    watch_last_run,
)
from acupath.patients.models import Patient
from acupath.planning.enums import PlanStatus
from acupath.planning.models import TreatmentPlan
from acupath.scheduling.enums import AppointmentStatus
from acupath.scheduling.models import Appointment
from acupath.scheduling.selectors import diary_load, rooms_for
from acupath.scheduling.services import appointment_book, appointment_no_show

log = logging.getLogger(__name__)

BOOK_AHEAD_DAYS = 28  # how far the one-click booking looks for a free time
_TRIES = 5  # a slot may go between reading and booking; try the next few


@transaction.atomic
def appointment_mark_no_show(
    *,
    actor: Any,
    appointment: Appointment,
    confirm_arrived: bool = False,
    now: dt.datetime | None = None,
    via: str = "web",
) -> Appointment:
    """The patient did not come: recorded by scheduling's visit rules; the no-show report is then stale."""
    appointment_no_show(actor=actor, appointment=appointment, confirm_arrived=confirm_arrived, now=now, via=via)
    transaction.on_commit(no_show_report_forget)
    return appointment


def _practitioner_for(patient: Patient) -> Practitioner | None:
    """The practitioner of the patient's last attended visit (they know the back), else the first active one."""
    last = (
        Appointment.objects.filter(patient=patient, status=AppointmentStatus.ATTENDED, practitioner__active=True)
        .select_related("practitioner")
        .order_by("-start")
        .first()
    )
    if last is not None:
        return last.practitioner
    return Practitioner.objects.filter(clinic_id=patient.clinic_id, active=True).order_by("display_name").first()


def watch_book_next(*, actor: Any, patient: Patient, now: dt.datetime | None = None) -> Appointment:
    """Book the next free treatment time, from tomorrow, with the patient's own practitioner.

    Uses scheduling's availability (hours, leave, holidays, rooms, the patient's own bookings) and
    books through `appointment_book`, so the database still refuses any double-booking.
    """
    now = now or timezone.now()
    upcoming = (
        Appointment.objects.filter(
            patient=patient,
            status__in=(AppointmentStatus.BOOKED, AppointmentStatus.PENDING),
            start__gt=now,
        )
        .order_by("start")
        .first()
    )
    if upcoming is not None:
        # The work list may be a few minutes old: never book a second visit by accident.
        when = timezone.localtime(upcoming.start, clinic_zone()).strftime("%a %d %b %H:%M")
        recurrence_watch_refresh(patient_ids=[patient.pk], now=now)
        raise Conflict(f"{patient.full_name} is already booked on {when}; nothing more was booked.")
    practitioner = _practitioner_for(patient)
    appointment_type = (
        AppointmentType.objects.filter(clinic_id=patient.clinic_id, kind=AppointmentKind.TREATMENT)
        .order_by("minutes", "name")
        .first()
    )
    if practitioner is None or appointment_type is None:
        raise ServiceError("Set up a practitioner and a treatment appointment type before booking.")
    zone = clinic_zone()
    tomorrow = dt.datetime.combine(timezone.localdate(now, zone) + dt.timedelta(days=1), dt.time(0), tzinfo=zone)
    slots = diary_load(
        practitioners=[practitioner],
        appointment_type=appointment_type,
        start=tomorrow,
        end=tomorrow + dt.timedelta(days=BOOK_AHEAD_DAYS),
        patient=patient,
        rooms=rooms_for([practitioner]),
    ).slots()
    rooms = {str(r.pk): r for r in rooms_for([practitioner])} if slots else {}
    plan = TreatmentPlan.objects.filter(patient=patient, status=PlanStatus.APPROVED).first()
    for slot in slots[:_TRIES]:
        try:
            booked = appointment_book(
                actor=actor,
                patient=patient,
                practitioner=practitioner,
                type=appointment_type,
                start=slot.start,
                room=rooms.get(slot.room_id or ""),
                plan=plan,
                note="Maintenance visit (recurrence watch)",
                now=now,
            )
        except Conflict:
            continue
        recurrence_watch_refresh(patient_ids=[patient.pk], now=now)  # their row changes at once
        return booked
    raise Conflict(f"No free time with {practitioner} in the next {BOOK_AHEAD_DAYS // 7} weeks. Choose a time by hand.")


def _flag(item: WatchItem) -> WatchFlag:
    return WatchFlag(
        patient_id=item.patient_pk,
        worse=bool(item.worse),
        overdue="overdue" in item.reasons,
        scores=[dataclasses.asdict(change) for change in item.worse],
        deterioration=item.deterioration,
        last_visit=item.last_visit,
        due=item.due,
        interval_weeks=item.interval_weeks,
        next_booking=item.next_booking,
        practitioner=item.practitioner,
    )


def recurrence_watch_refresh(*, now: dt.datetime | None = None, patient_ids: Iterable[int] | None = None) -> int:
    """Recompute the work list's snapshot, whole or for a few patients. Returns the rows written.

    Derived data only, so no audit event. Two full refreshes racing each other: the second to
    commit fails on the one-row-per-patient constraint and is dropped (the first one stands).
    """
    now = now or timezone.now()
    ids = None if patient_ids is None else list(patient_ids)
    started = time.monotonic()
    flags = [_flag(item) for item in recurrence_watch(now=now, patient_ids=ids)]
    try:
        with transaction.atomic():
            if ids is None:
                WatchFlag.objects.all().delete()
            else:
                WatchFlag.objects.filter(patient_id__in=ids).delete()
            WatchFlag.objects.bulk_create(flags, batch_size=1000)
            if ids is None:
                WatchRun.objects.create(ran_at=now, flagged=len(flags), seconds=time.monotonic() - started)
    except IntegrityError:
        log.info("a concurrent refresh of the recurrence watch won; this one is dropped")
        return 0
    return len(flags)


def watch_refresh_if_stale(*, now: dt.datetime | None = None, max_age: dt.timedelta | None = None) -> WatchRun | None:
    """Refresh the snapshot when it is missing, too old or from an earlier day; the run now current.

    Only one process refreshes at a time (a lock in the shared cache); the others read the
    snapshot they have, unless there is none yet. The worker refreshes at half the age a page
    accepts, so with a worker running no page waits for a refresh.
    """
    now = now or timezone.now()
    run = watch_last_run()
    if not snapshot_is_stale(run, now, max_age):
        return run
    lock = caches["shared"]
    key = "followup:watch-refresh"
    if not lock.add(key, 1, timeout=300) and run is not None:
        return run
    try:
        recurrence_watch_refresh(now=now)
    finally:
        lock.delete(key)
    return watch_last_run()
