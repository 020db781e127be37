from django.db import models


class PlanStatus(models.TextChoices):
    APPROVED = "approved", "Approved (active)"
    SUPERSEDED = "superseded", "Superseded by a later version"


class Side(models.TextChoices):
    LEFT = "left", "Left"
    RIGHT = "right", "Right"
    BOTH = "both", "Both sides"
    MIDLINE = "midline", "Midline"


class PointRole(models.TextChoices):
    LOCAL = "local", "Local"
    DISTAL = "distal", "Distal"
    PATTERN = "pattern", "Pattern"
    CALMING = "calming", "Calming"
    ASHI = "ashi", "Ashi (tender point)"
