from django.db import models


class ReassessmentChoice(models.TextChoices):
    """What the practitioner decides at the course's re-assessment."""

    CONTINUE = "continue", "Continue the course"
    CHANGE = "change", "Change the plan"
    STOP = "stop", "Stop treatment"


class ResponderStatus(models.TextChoices):
    """The outcome measures' verdict beside the decision (responder rule with the MDC)."""

    RESPONDER = "responder", "Responder"
    NON_RESPONDER = "non_responder", "Not a responder yet"
    NOT_MEASURED = "not_measured", "No follow-up score since the baseline"
