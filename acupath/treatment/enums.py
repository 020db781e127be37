from django.db import models


class SessionStatus(models.TextChoices):
    OPEN = "open", "In progress"
    CLOSED = "closed", "Closed"
