from django.db import models


class Instrument(models.TextChoices):
    """The outcome instruments (the same codes as ``domain.instruments.InstrumentCode``)."""

    NRS = "nrs", "Numeric Pain Rating Scale"
    ODI = "odi", "Oswestry Disability Index"
    RMDQ = "rmdq", "Roland-Morris Disability Questionnaire"
    STARTBACK = "startback", "Keele STarT Back Screening Tool"
    PSFS = "psfs", "Patient-Specific Functional Scale"
