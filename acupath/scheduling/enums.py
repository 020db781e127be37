from django.db import models


class AppointmentStatus(models.TextChoices):
    PENDING = "pending", "Requested online, awaiting confirmation"
    BOOKED = "booked", "Booked"
    ATTENDED = "attended", "Attended"
    CANCELLED = "cancelled", "Cancelled"
    NO_SHOW = "no_show", "Did not attend"


# Statuses that occupy the practitioner, room and patient.
HOLDING = (
    AppointmentStatus.PENDING,
    AppointmentStatus.BOOKED,
    AppointmentStatus.ATTENDED,
)

# Appointments start and end on this grid; each grid unit is claimed once per resource.
GRID_MINUTES = 15
