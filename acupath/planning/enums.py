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


class NeedleAngle(models.TextChoices):
    """Needle angle to the skin, recorded with the depth in the plan and at needling."""

    PERPENDICULAR = "perpendicular", "Perpendicular (90°)"
    OBLIQUE = "oblique", "Oblique (45°)"
    TRANSVERSE = "transverse", "Transverse (15°, along the skin)"


class Technique(models.TextChoices):
    """How a point is worked at needling (the coded list; the safety rules read it)."""

    MANUAL = "manual", "Manual needling"
    EVEN = "even", "Even method"
    REINFORCING = "reinforcing", "Reinforcing (tonifying)"
    REDUCING = "reducing", "Reducing (draining)"
    ELECTROACUPUNCTURE = "electroacupuncture", "Electroacupuncture"
    MOXIBUSTION_INDIRECT = "moxibustion_indirect", "Moxibustion, indirect (stick or warming needle)"
    MOXIBUSTION_DIRECT = "moxibustion_direct", "Moxibustion, direct (on the skin)"
    CUPPING = "cupping", "Cupping"
    BLOODLETTING = "bloodletting", "Bloodletting (pricking)"
