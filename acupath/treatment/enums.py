from django.db import models


class SessionStatus(models.TextChoices):
    OPEN = "open", "In progress"
    CLOSED = "closed", "Closed"


class AdverseEventKind(models.TextChoices):
    """Adverse-event types of clinical reference §5.5, §5.6 and §5.8 (the commonest reported)."""

    BLEEDING_BRUISING = "bleeding_bruising", "Bleeding or bruising"
    SYNCOPE = "syncope", "Fainting (needle syncope)"
    PAIN = "pain", "Pain"
    FORGOTTEN_NEEDLE = "forgotten_needle", "Forgotten or lost needle"
    OTHER = "other", "Other"


class AdverseEventSeverity(models.TextChoices):
    MILD = "mild", "Mild"
    MODERATE = "moderate", "Moderate"
    SEVERE = "severe", "Severe"
