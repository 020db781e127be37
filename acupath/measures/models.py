from django.db import models

from acupath.core.models import Entity
from acupath.measures.enums import Instrument
from acupath.patients.models import Patient


class Assessment(Entity):
    """One completed instrument (pain NRS, ODI, ...), with the score computed when it was taken."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="assessments")
    instrument = models.CharField(max_length=20, choices=Instrument.choices)
    taken_at = models.DateTimeField()
    answers = models.JSONField()
    score = models.FloatField(null=True)
    scorable = models.BooleanField()
    # Why the form could not be scored (e.g. too few ODI sections); shown instead of a score.
    reason = models.CharField(max_length=300, blank=True)
    band = models.CharField(max_length=20, blank=True)
    risk = models.CharField(max_length=10, blank=True)
    distress_subscale = models.PositiveSmallIntegerField(null=True)
    context = models.CharField(max_length=20, blank=True)  # consultation, session, portal, review
    # True for the pain score of an initial consultation: a new episode of care, so a new baseline.
    starts_episode = models.BooleanField(default=False)

    class Meta:
        ordering = ["taken_at", "id"]
        indexes = [models.Index(fields=["patient", "instrument", "taken_at"], name="assessment_patient_instr")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(instrument__in=Instrument.values), name="assessment_instrument_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(scorable=False) | models.Q(score__isnull=False),
                name="assessment_scorable_has_score",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument} {self.taken_at:%Y-%m-%d}"


class InstrumentText(Entity):
    """Wording the clinic supplies from its own licensed copy of a questionnaire.

    Acupath ships only short topic labels for licensed instruments (ODI, STarT Back, RMDQ). A clinic
    that holds a licence enters the verbatim text here (in the admin) and the forms show it.
    ``item`` 0 is the instrument as a whole (instructions, the licence holder's notice such as the
    STarT Back funding statement); ``option`` is blank for an item's question and otherwise the
    answer it words (ODI statements ``0``-``5``, STarT Back item 9 ``very_much``, ...).
    """

    instrument = models.CharField(max_length=20, choices=Instrument.choices)
    item = models.PositiveSmallIntegerField(help_text="Item or section number; 0 for the whole instrument")
    option = models.CharField(
        max_length=20, blank=True, help_text="Blank for the question; an answer code for that answer's wording"
    )
    text = models.TextField()

    class Meta:
        ordering = ["instrument", "item", "option"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "item", "option"], name="instrument_text_once"),
            models.CheckConstraint(
                condition=models.Q(instrument__in=Instrument.values), name="instrument_text_instrument_valid"
            ),
        ]

    def __str__(self) -> str:
        where = f"item {self.item}" if self.item else "instrument"
        return f"{self.instrument} {where}{f' option {self.option}' if self.option else ''}"
