"""The clinic itself: where care happens, who gives it and what can be booked."""

from django.conf import settings
from django.db import models

from acupath.core.models import Entity


class FunctionMeasure(models.TextChoices):
    """The back-specific function questionnaire a clinic takes at the initial consultation."""

    ODI = "odi", "Oswestry Disability Index (ODI)"
    RMDQ = "rmdq", "Roland-Morris Disability Questionnaire (RMDQ)"


class Clinic(Entity):
    name = models.CharField(max_length=120, unique=True)
    timezone = models.CharField(max_length=64, default="Asia/Kolkata")
    # The baseline set of an initial consultation: the NRS, this function measure and STarT Back.
    # Both are valid and responsive for low back pain (Ostelo 2008 gives an MIC for each); which
    # one a clinic uses is its choice (and its licence: the ODI needs a Mapi licence for its text).
    function_measure = models.CharField(
        max_length=8,
        choices=FunctionMeasure.choices,
        default=FunctionMeasure.ODI,
        help_text="Function questionnaire of the baseline set at the initial consultation.",
    )
    # Which session of a course prompts the re-assessment (continue, change or stop). A clinic
    # default no trial set (GERAC judged response after its course; NCD 30.3.3 continues only with
    # improvement): UNVERIFIED, default 6.
    reassessment_session = models.PositiveSmallIntegerField(
        default=6, help_text="The session of a course at which a re-assessment is prompted (default 6)."
    )
    # Shown on the public clinic page and in every booking confirmation and reminder.
    phone = models.CharField(max_length=30, blank=True, help_text="The front desk's number, shown publicly.")
    # Which reminder channels the clinic uses; a patient is reminded on a channel only when both the
    # clinic uses it and the patient agreed to it (the patient's communication consents).
    reminders_email = models.BooleanField(default=True, help_text="Send reminders by e-mail.")
    reminders_sms = models.BooleanField(default=False, help_text="Send reminders by text message.")
    reminders_whatsapp = models.BooleanField(default=False, help_text="Send reminders by WhatsApp.")
    booking_horizon_weeks = models.PositiveSmallIntegerField(
        default=8, help_text="How many weeks ahead the online booking offers times (default 8)."
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(function_measure__in=FunctionMeasure.values), name="clinic_function_measure_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(reassessment_session__gte=1, reassessment_session__lte=30),
                name="clinic_reassessment_session_sane",
            ),
            models.CheckConstraint(
                condition=models.Q(booking_horizon_weeks__gte=1, booking_horizon_weeks__lte=52),
                name="clinic_booking_horizon_sane",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Location(Entity):
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="locations")
    name = models.CharField(max_length=120)
    # Several lines as written on an envelope; the public page, confirmations and the map link use it.
    address = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["clinic", "name"], name="location_unique_name")]

    def __str__(self) -> str:
        return self.name


class Room(Entity):
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="rooms")
    name = models.CharField(max_length=60)
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["location_id", "position", "name"]
        constraints = [models.UniqueConstraint(fields=["location", "name"], name="room_unique_name")]

    def __str__(self) -> str:
        return self.name


class Practitioner(Entity):
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="practitioners")
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="practitioner")
    # Where they practise: their bookings take that location's rooms. Blank in a one-site clinic
    # (or for a practitioner who moves between sites): any room of the clinic.
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.PROTECT, related_name="practitioners"
    )
    display_name = models.CharField(max_length=120)
    qualifications = models.CharField(max_length=200, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["display_name"]

    def __str__(self) -> str:
        return self.display_name


class AppointmentKind(models.TextChoices):
    INITIAL = "initial", "Initial consultation"
    TREATMENT = "treatment", "Treatment"
    REVIEW = "review", "Review"


class AppointmentType(Entity):
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="appointment_types")
    code = models.SlugField(max_length=40)
    name = models.CharField(max_length=80)
    kind = models.CharField(max_length=20, choices=AppointmentKind.choices)
    minutes = models.PositiveSmallIntegerField()
    bookable_online = models.BooleanField(default=False)

    class Meta:
        ordering = ["minutes", "name"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "code"], name="appointment_type_unique_code"),
            models.CheckConstraint(condition=models.Q(kind__in=AppointmentKind.values), name="appointment_kind_valid"),
            models.CheckConstraint(
                condition=models.Q(minutes__gte=15, minutes__lte=240), name="appointment_minutes_sane"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.minutes} min)"
