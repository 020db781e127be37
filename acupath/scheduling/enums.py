from django.db import models


class AppointmentStatus(models.TextChoices):
    PENDING = "pending", "Requested online, awaiting confirmation"
    BOOKED = "booked", "Booked"
    ARRIVED = "arrived", "Arrived, waiting"
    IN_SESSION = "in_session", "In session"
    ATTENDED = "attended", "Attended"
    CANCELLED = "cancelled", "Cancelled"
    NO_SHOW = "no_show", "Did not attend"


# Statuses that occupy the practitioner, room and patient.
HOLDING = (
    AppointmentStatus.PENDING,
    AppointmentStatus.BOOKED,
    AppointmentStatus.ARRIVED,
    AppointmentStatus.IN_SESSION,
    AppointmentStatus.ATTENDED,
)

# Appointments start and end on this grid; each grid unit is claimed once per resource.
GRID_MINUTES = 15


class ReminderKind(models.TextChoices):
    EMAIL = "email", "E-mail"
    SMS = "sms", "Text message"
    WHATSAPP = "whatsapp", "WhatsApp"


class ReminderStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENDING = "sending", "Claimed by a worker"
    SENT = "sent", "Sent"
    SKIPPED = "skipped", "Not needed (cancelled, moved or no address)"
    FAILED = "failed", "Gave up"
