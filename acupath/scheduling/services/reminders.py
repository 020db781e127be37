"""Appointment reminders through a database outbox, sent by `acupath worker`.

1. `reminders_enqueue` adds one `Reminder` row per booked appointment and kind once the
   appointment comes within ACUPATH_REMINDER_HOURS. The unique (appointment, kind)
   constraint makes queuing idempotent: any number of workers may run it, any number
   of times, across restarts.
2. `reminders_claim` moves due rows from pending to sending with a conditional UPDATE;
   only the worker whose UPDATE changed the row sends it.
3. `reminder_send` sends and records the outcome. A failure that raised (the message
   did not go) is retried with growing pauses, up to ACUPATH_REMINDER_MAX_ATTEMPTS.

A worker that dies between sending and recording leaves its row "sending"; after
ACUPATH_REMINDER_LEASE_MINUTES the row is marked failed rather than sent again, so a
patient is never reminded twice (at most once, by design).
"""

import datetime as dt
import logging
from typing import Any

from django.db.models import F
from django.utils import timezone

from acupath.clinic.selectors import clinic_current
from acupath.core.audit import audit_record
from acupath.core.models import AuditAction
from acupath.scheduling import conf
from acupath.scheduling.channels import channel_for
from acupath.scheduling.enums import AppointmentStatus, ReminderKind, ReminderStatus
from acupath.scheduling.models import Appointment, Reminder
from acupath.scheduling.services.messages import reminder_message

log = logging.getLogger(__name__)

# The patient's communication consent each kind needs (when they agreed; null: not agreed).
CONSENT_FIELD = {
    ReminderKind.EMAIL: "reminders_email_since",
    ReminderKind.SMS: "reminders_sms_since",
    ReminderKind.WHATSAPP: "reminders_whatsapp_since",
}
# Where each kind is delivered on the patient's record.
ADDRESS_FIELD = {ReminderKind.EMAIL: "email", ReminderKind.SMS: "phone", ReminderKind.WHATSAPP: "phone"}


def lease() -> dt.timedelta:
    return dt.timedelta(minutes=conf.reminder_lease_minutes())


def reminder_kinds() -> list[ReminderKind]:
    """The kinds the clinic switched on (settings page) that this installation has an adapter for."""
    clinic = clinic_current()
    if clinic is None:
        return []
    chosen = {
        ReminderKind.EMAIL: clinic.reminders_email,
        ReminderKind.SMS: clinic.reminders_sms,
        ReminderKind.WHATSAPP: clinic.reminders_whatsapp,
    }
    return [kind for kind, on in chosen.items() if on and channel_for(kind) is not None]


def reminders_enqueue(now: dt.datetime | None = None) -> int:
    """Queue reminders for booked appointments starting within the reminder window. Idempotent."""
    now = now or timezone.now()
    ahead = dt.timedelta(hours=conf.reminder_hours())
    queued = 0
    for kind in reminder_kinds():
        # Only patients who agreed to this channel, and only with somewhere to send it.
        consented = {f"patient__{CONSENT_FIELD[kind]}__isnull": False}
        due = (
            Appointment.objects.filter(
                status=AppointmentStatus.BOOKED, start__gt=now, start__lte=now + ahead, **consented
            )
            .exclude(**{f"patient__{ADDRESS_FIELD[kind]}": ""})
            .exclude(reminders__kind=kind)
            .values_list("pk", "start")
        )
        rows = [Reminder(appointment_id=pk, kind=kind, due_at=max(start - ahead, now)) for pk, start in due]
        # ignore_conflicts: another worker may have queued the same reminder a moment ago.
        queued += len(Reminder.objects.bulk_create(rows, ignore_conflicts=True))
    return queued


def reminders_expire_stale(now: dt.datetime | None = None) -> int:
    """Give up on rows left "sending" by a worker that stopped: they may have gone out already."""
    now = now or timezone.now()
    return Reminder.objects.filter(status=ReminderStatus.SENDING, claimed_at__lt=now - lease()).update(
        status=ReminderStatus.FAILED,
        last_error="The worker stopped while sending; not sent again so the patient is not reminded twice.",
    )


def reminders_claim(worker: str, now: dt.datetime | None = None, limit: int = 20) -> list[int]:
    """Claim up to `limit` due reminders for `worker`. Each claim is a conditional UPDATE."""
    now = now or timezone.now()
    candidates = Reminder.objects.filter(status=ReminderStatus.PENDING, due_at__lte=now).order_by("due_at", "id")
    claimed = []
    for pk in candidates.values_list("pk", flat=True)[:limit]:
        won = Reminder.objects.filter(pk=pk, status=ReminderStatus.PENDING).update(
            status=ReminderStatus.SENDING, claimed_by=worker, claimed_at=now, attempts=F("attempts") + 1
        )
        if won:
            claimed.append(pk)
    return claimed


def _finish(pk: int, worker: str, **fields: Any) -> None:
    Reminder.objects.filter(pk=pk, claimed_by=worker, status=ReminderStatus.SENDING).update(**fields)


def reminder_send(pk: int, worker: str, now: dt.datetime | None = None) -> str:
    """Send one claimed reminder; returns the status it ends in."""
    now = now or timezone.now()
    reminder = (
        Reminder.objects.select_related(
            "appointment__patient",
            "appointment__practitioner",
            "appointment__type",
            "appointment__room__location",
        )
        .filter(pk=pk, claimed_by=worker, status=ReminderStatus.SENDING)
        .first()
    )
    if reminder is None:
        return ""  # not ours (expired and taken over): leave it alone
    appointment = reminder.appointment
    patient = appointment.patient
    # Looked up once, so the check below and the sending use the same adapter.
    channel = channel_for(reminder.kind)
    skip = ""
    if appointment.status != AppointmentStatus.BOOKED:
        skip = f"The appointment is {appointment.get_status_display().lower()}."
    elif appointment.start <= now:
        skip = "The appointment had already started."
    elif getattr(patient, CONSENT_FIELD[ReminderKind(reminder.kind)]) is None:
        skip = "The patient has withdrawn consent to reminders this way."
    elif not getattr(patient, ADDRESS_FIELD[ReminderKind(reminder.kind)]):
        skip = "The patient has no address for this kind of reminder."
    if channel is None:
        skip = skip or "This installation has no provider for this kind of reminder."
    if skip or channel is None:
        _finish(pk, worker, status=ReminderStatus.SKIPPED, last_error=skip)
        return ReminderStatus.SKIPPED
    try:
        channel.send(reminder_message(appointment, reminder.kind, now))
    except Exception as exc:  # any failure of the backend means "not sent, try later"
        log.warning("reminder %s failed: %s", pk, type(exc).__name__)
        if reminder.attempts >= conf.reminder_max_attempts():
            _finish(pk, worker, status=ReminderStatus.FAILED, last_error=str(exc)[:300])
            return ReminderStatus.FAILED
        pause = dt.timedelta(minutes=2**reminder.attempts)
        _finish(pk, worker, status=ReminderStatus.PENDING, due_at=now + pause, last_error=str(exc)[:300])
        return ReminderStatus.PENDING
    _finish(pk, worker, status=ReminderStatus.SENT, sent_at=now, last_error="")
    audit_record(
        actor=None,
        action=AuditAction.CREATE,
        entity=f"reminder_{reminder.kind}",
        entity_id=appointment.public_id,
        patient_id=patient.public_id,
        via="worker",
    )
    return ReminderStatus.SENT


def reminders_run_once(worker: str, now: dt.datetime | None = None) -> dict[str, int]:
    """One pass of the worker: queue, expire stale claims, claim and send what is due."""
    now = now or timezone.now()
    counts = {"queued": reminders_enqueue(now), "expired": reminders_expire_stale(now)}
    for pk in reminders_claim(worker, now):
        status = reminder_send(pk, worker, now)
        if status:
            counts[status] = counts.get(status, 0) + 1
    return counts
