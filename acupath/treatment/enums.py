from django.db import models


class SessionStatus(models.TextChoices):
    OPEN = "open", "In progress"
    CLOSED = "closed", "Closed"


class AdverseEventKind(models.TextChoices):
    """What went wrong, in the categories of the large acupuncture safety surveys.

    Witt et al. 2009 (229,230 patients: bleeding/haematoma, pain, vegetative symptoms, two
    pneumothoraces, a nerve lesion), White et al. 2001 (BMJ 323:485: bleeding, needling pain,
    aggravation, forgotten needles) and WHO 1999 Guidelines on basic training and safety in
    acupuncture (syncope, broken needle, burns from moxibustion, infection, organ injury);
    clinical reference §5.5-§5.8.
    """

    BLEEDING_HAEMATOMA = "bleeding_haematoma", "Bleeding or haematoma (bruise)"
    NEEDLE_SITE_PAIN = "needle_site_pain", "Pain at the needle site"
    VEGETATIVE = "vegetative", "Dizziness, nausea or sweating"
    SYNCOPE = "syncope", "Fainting (needle syncope)"
    AGGRAVATION = "aggravation", "Symptoms worse after treatment"
    TIREDNESS = "tiredness", "Tiredness or drowsiness"
    FORGOTTEN_NEEDLE = "forgotten_needle", "Forgotten or lost needle"
    BROKEN_NEEDLE = "broken_needle", "Broken needle"
    BURN = "burn", "Burn (moxibustion or heat lamp)"
    LOCAL_INFECTION = "local_infection", "Infection at a needle site"
    NERVE_INJURY = "nerve_injury", "Nerve injury (numbness, tingling, weakness)"
    PNEUMOTHORAX = "pneumothorax", "Pneumothorax (collapsed lung)"
    OTHER = "other", "Other (describe it)"


class AdverseEventSeverity(models.TextChoices):
    """Intensity, not seriousness (ICH E2A §II.B): a severe headache need not be serious."""

    MILD = "mild", "Mild"
    MODERATE = "moderate", "Moderate"
    SEVERE = "severe", "Severe"


class SeriousnessCriterion(models.TextChoices):
    """What makes an adverse event serious (ICH E2A, 1994, §II.B; WHO-UMC glossary).

    An event is serious when it results in death, is life-threatening, requires inpatient
    hospitalisation or prolongs an existing one, results in persistent or significant disability
    or incapacity, is a congenital anomaly or birth defect, or is a medically important event
    that needed intervention to prevent one of these. None of them: the event is not serious.
    """

    DEATH = "death", "Resulted in death"
    LIFE_THREATENING = "life_threatening", "Life-threatening (at risk of death at the time)"
    HOSPITALISATION = "hospitalisation", "Hospital admission, or a longer hospital stay"
    DISABILITY = "disability", "Persistent or significant disability"
    CONGENITAL_ANOMALY = "congenital_anomaly", "Congenital anomaly or birth defect"
    MEDICALLY_IMPORTANT = "medically_important", "Medically important (treated to prevent one of these)"


class Causality(models.TextChoices):
    """WHO-UMC causality categories (Uppsala Monitoring Centre, 'The use of the WHO-UMC system
    for standardised case causality assessment', 2018)."""

    CERTAIN = "certain", "Certain"
    PROBABLE = "probable", "Probable / likely"
    POSSIBLE = "possible", "Possible"
    UNLIKELY = "unlikely", "Unlikely"
    CONDITIONAL = "conditional", "Conditional / unclassified (more data being examined)"
    UNASSESSABLE = "unassessable", "Unassessable / unclassifiable"


class AdverseEventOutcome(models.TextChoices):
    """The outcome codes of ICH E2B(R3) and FHIR AdverseEvent.outcome."""

    RECOVERED = "recovered", "Recovered"
    RECOVERING = "recovering", "Recovering"
    NOT_RECOVERED = "not_recovered", "Not recovered"
    RECOVERED_WITH_SEQUELAE = "recovered_with_sequelae", "Recovered with lasting effects"
    FATAL = "fatal", "Fatal"
    UNKNOWN = "unknown", "Unknown"
