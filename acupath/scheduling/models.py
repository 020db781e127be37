"""Appointments and the calendars they are booked against."""

from django.db import models

from acupath.clinic.models import AppointmentType, Clinic, Practitioner, Room
from acupath.core.models import Entity
from acupath.patients.models import Patient
from acupath.planning.models import TreatmentPlan
from acupath.scheduling.enums import AppointmentStatus, ReminderKind, ReminderStatus
from acupath.treatment.models import TreatmentSession


class Appointment(Entity):
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="appointments")
    practitioner = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="appointments")
    room = models.ForeignKey(
        Room,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    type = models.ForeignKey(AppointmentType, on_delete=models.PROTECT, related_name="+")
    start = models.DateTimeField()
    end = models.DateTimeField()
    status = models.CharField(
        max_length=10,
        choices=AppointmentStatus.choices,
        default=AppointmentStatus.BOOKED,
    )
    plan = models.ForeignKey(TreatmentPlan, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    session = models.OneToOneField(
        TreatmentSession,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appointment",
    )
    note = models.CharField(max_length=300, blank=True)
    # The visit as it happened: when the desk marked the patient arrived, and when a patient who
    # left before the booked end went (recorded only then, with what the desk was told).
    arrived_at = models.DateTimeField(null=True, blank=True)
    departed_at = models.DateTimeField(null=True, blank=True)
    departure_note = models.CharField(max_length=200, blank=True)
    # Why staff booked against the clinic's rules (outside hours, on a holiday, during leave);
    # blank when no rule was set aside. Shown on the appointment wherever it appears.
    override_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["start", "id"]
        indexes = [
            models.Index(fields=["practitioner", "start"], name="appt_practitioner_start"),
            models.Index(fields=["room", "start"], name="appt_room_start"),
            models.Index(fields=["patient", "start"], name="appt_patient_start"),
            models.Index(fields=["start"], name="appt_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")),
                name="appt_end_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=AppointmentStatus.values),
                name="appt_status_valid",
            ),
            # A session belongs to a visit that has begun; a waiting or seen patient has arrived.
            models.CheckConstraint(
                condition=models.Q(session__isnull=True)
                | models.Q(status__in=(AppointmentStatus.IN_SESSION, AppointmentStatus.ATTENDED)),
                name="appt_session_only_when_seen",
            ),
            models.CheckConstraint(
                condition=models.Q(arrived_at__isnull=False)
                | ~models.Q(status__in=(AppointmentStatus.ARRIVED, AppointmentStatus.IN_SESSION)),
                name="appt_arrival_recorded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.start:%Y-%m-%d %H:%M} {self.status}"


class SlotClaim(models.Model):
    """One grid unit of one resource held by one appointment.

    The unique constraint is what makes double-booking impossible: two transactions
    that try to hold the same practitioner, room or patient at the same time cannot
    both commit, on SQLite and on PostgreSQL alike.
    """

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="claims")
    resource = models.CharField(max_length=40)  # "practitioner:<id>", "room:<id>", "patient:<id>"
    unit_start = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["resource", "unit_start"], name="slot_claim_once")]

    def __str__(self) -> str:
        return f"{self.resource} @ {self.unit_start:%Y-%m-%d %H:%M}"


class WorkingHours(models.Model):
    practitioner = models.ForeignKey(Practitioner, on_delete=models.CASCADE, related_name="working_hours")
    weekday = models.PositiveSmallIntegerField()  # 0 = Monday
    start = models.TimeField()
    end = models.TimeField()

    class Meta:
        ordering = ["practitioner", "weekday", "start"]
        constraints = [
            models.CheckConstraint(condition=models.Q(weekday__lte=6), name="hours_weekday_valid"),
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")),
                name="hours_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"weekday {self.weekday} {self.start:%H:%M}-{self.end:%H:%M}"


class Break(models.Model):
    practitioner = models.ForeignKey(Practitioner, on_delete=models.CASCADE, related_name="breaks")
    weekday = models.PositiveSmallIntegerField()
    start = models.TimeField()
    end = models.TimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")),
                name="break_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"break weekday {self.weekday} {self.start:%H:%M}-{self.end:%H:%M}"


class Leave(Entity):
    practitioner = models.ForeignKey(Practitioner, on_delete=models.CASCADE, related_name="leave")
    start = models.DateTimeField()
    end = models.DateTimeField()
    reason = models.CharField(max_length=120, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")),
                name="leave_end_after_start",
            )
        ]


class Holiday(models.Model):
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="holidays")
    day = models.DateField()
    name = models.CharField(max_length=80)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["clinic", "day"], name="holiday_once")]

    def __str__(self) -> str:
        return f"{self.day} {self.name}"


class Reminder(models.Model):
    """One message of the reminder outbox.

    The unique constraint allows one reminder of each kind per appointment, so a
    reminder can be queued any number of times but exists once; a worker sends it
    only after winning a conditional UPDATE from pending to sending, so two workers
    never send the same one (see services/reminders.py).
    """

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=10, choices=ReminderKind.choices)
    due_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=ReminderStatus.choices, default=ReminderStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_by = models.CharField(max_length=80, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [models.Index(fields=["status", "due_at"], name="reminder_status_due")]
        constraints = [
            models.UniqueConstraint(fields=["appointment", "kind"], name="reminder_once"),
            models.CheckConstraint(condition=models.Q(kind__in=ReminderKind.values), name="reminder_kind_valid"),
            models.CheckConstraint(condition=models.Q(status__in=ReminderStatus.values), name="reminder_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} reminder {self.status} due {self.due_at:%Y-%m-%d %H:%M}"


class CalendarFeed(Entity):
    """A practitioner's subscription feed, reached by an unguessable token (no sign-in)."""

    practitioner = models.OneToOneField(Practitioner, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True)

    def __str__(self) -> str:
        return f"calendar feed of practitioner {self.practitioner_id}"
