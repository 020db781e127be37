from acupath.intake.domain.red_flags import Alert, evaluate_red_flags
from acupath.intake.models import Consultation
from acupath.patients.models import Patient


def consultation_latest(patient: Patient) -> Consultation | None:
    return Consultation.objects.filter(patient=patient).order_by("-consulted_at", "-id").first()


def red_flags_open(consultation: Consultation | None) -> list[Alert]:
    """Positive red flags of a consultation that no practitioner has decided on yet."""
    if consultation is None:
        return []
    decided = set(consultation.red_flag_reviews.values_list("flag", flat=True))
    return [a for a in evaluate_red_flags(consultation.red_flags) if a.flag not in decided]
