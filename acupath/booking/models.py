"""Online booking requests, the waitlist and the freed times offered to it.

The appointments themselves are scheduling's: a request points at the (pending) appointment it
asked for, so the slot claims of scheduling keep double-booking impossible here too.
"""

from django.conf import settings
from django.db import models

from acupath.booking.enums import OfferStatus, RequestStatus, WaitlistSource, WaitlistStatus
from acupath.clinic.models import AppointmentType, Practitioner
from acupath.core.models import Entity
from acupath.patients.models import Patient
from acupath.scheduling.models import Appointment


class OnlineRequest(Entity):
    """What a visitor asked for on the public booking page, with their pre-visit answers."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="online_requests")
    type = models.ForeignKey(AppointmentType, on_delete=models.PROTECT, related_name="+")
    # The practitioner the visitor chose; empty when they were happy with anyone.
    practitioner = models.ForeignKey(Practitioner, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # The appointment currently held for the request (the new one after a reschedule).
    appointment = models.OneToOneField(
        Appointment, null=True, blank=True, on_delete=models.PROTECT, related_name="online_request"
    )
    status = models.CharField(max_length=12, choices=RequestStatus.choices, default=RequestStatus.PENDING)
    reason = models.CharField(max_length=500)
    pain_duration = models.CharField(max_length=12)
    red_flag_answers = models.JSONField(default=dict)  # cauda equina question code -> yes/no
    red_flag_urgency = models.CharField(max_length=12, blank=True)  # emergency / urgent / ""
    decided_at = models.DateTimeField(null=True, blank=True)  # confirmed or declined
    decision_note = models.CharField(max_length=300, blank=True)
    # For urgent referrals: when the clinic reached the visitor.
    contacted_at = models.DateTimeField(null=True, blank=True)
    contacted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"], name="online_request_status")]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=RequestStatus.values), name="online_request_status_ok")
        ]

    def __str__(self) -> str:
        return f"online request {self.public_id} ({self.status})"


class WaitlistEntry(Entity):
    """A patient waiting for a time of one service, with one practitioner or any, between two dates."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="waitlist_entries")
    type = models.ForeignKey(AppointmentType, on_delete=models.PROTECT, related_name="+")
    practitioner = models.ForeignKey(Practitioner, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    earliest = models.DateField()
    latest = models.DateField()
    status = models.CharField(max_length=10, choices=WaitlistStatus.choices, default=WaitlistStatus.WAITING)
    source = models.CharField(max_length=10, choices=WaitlistSource.choices)
    # Set for visitors who joined online: their answers live on the request, which the claim fills.
    request = models.OneToOneField(
        OnlineRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="waitlist_entry"
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["status", "latest"], name="waitlist_status_latest")]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=WaitlistStatus.values), name="waitlist_status_ok"),
            models.CheckConstraint(condition=models.Q(source__in=WaitlistSource.values), name="waitlist_source_ok"),
            models.CheckConstraint(condition=models.Q(latest__gte=models.F("earliest")), name="waitlist_dates_ok"),
        ]

    def __str__(self) -> str:
        return f"waitlist {self.earliest}..{self.latest} ({self.status})"


class WaitlistOffer(Entity):
    """A freed time offered by e-mail to one waiting patient. The first to claim it gets it."""

    entry = models.ForeignKey(WaitlistEntry, on_delete=models.CASCADE, related_name="offers")
    freed = models.ForeignKey(Appointment, on_delete=models.PROTECT, related_name="+")  # the cancelled one
    practitioner = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")
    type = models.ForeignKey(AppointmentType, on_delete=models.PROTECT, related_name="+")
    start = models.DateTimeField()
    status = models.CharField(max_length=10, choices=OfferStatus.choices, default=OfferStatus.OPEN)
    appointment = models.OneToOneField(
        Appointment, null=True, blank=True, on_delete=models.PROTECT, related_name="waitlist_offer"
    )

    class Meta:
        ordering = ["start", "id"]
        indexes = [models.Index(fields=["practitioner", "start"], name="offer_practitioner_start")]
        constraints = [
            models.UniqueConstraint(fields=["entry", "freed"], name="offer_once_per_entry"),
            models.CheckConstraint(condition=models.Q(status__in=OfferStatus.values), name="offer_status_ok"),
        ]

    def __str__(self) -> str:
        return f"offer {self.start:%Y-%m-%d %H:%M} ({self.status})"
