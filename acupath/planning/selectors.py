"""What the planning and safety rules need to know about a patient, read from the record."""

from acupath.intake.models import Consultation
from acupath.intake.selectors import consultation_latest, red_flags_open
from acupath.measures.models import Assessment
from acupath.patients.models import Patient
from acupath.planning.domain.facts import BackRegion, BodyRegion, Cause, DurationClass, LegPain, PatientFacts, Pattern


def patient_facts(patient: Patient, consultation: Consultation | None = None) -> PatientFacts | None:
    """The facts of the patient's latest consultation (or the one given), as the rules see them.

    None when the patient has no consultation yet. Unresolved red flags are carried so that
    the rules refuse to plan at all; the latest scorable ODI gives the severity.
    """
    consultation = consultation or consultation_latest(patient)
    if consultation is None:
        return None
    odi = (
        Assessment.objects.filter(patient=patient, instrument="odi", scorable=True)
        .order_by("-taken_at")
        .values_list("score", flat=True)
        .first()
    )
    return PatientFacts(
        causes=frozenset(Cause(c) for c in consultation.causes),
        region=BackRegion(consultation.region),
        leg_pain=LegPain(consultation.leg_pain),
        duration_class=DurationClass(consultation.duration_class),
        pain_now=consultation.pain_now,
        pattern=Pattern(consultation.pattern) if consultation.pattern else None,
        odi_percent=odi,
        # Reverse relation: planning does not import treatment (it sits above planning).
        first_treatment=not patient.treatment_sessions.exists(),
        needle_fear=consultation.needle_fear,
        pregnant=consultation.pregnant,
        pregnancy_weeks=consultation.pregnancy_weeks if consultation.pregnant else None,
        anticoagulant=consultation.anticoagulant,
        bleeding_disorder=consultation.bleeding_disorder,
        pacemaker=consultation.pacemaker,
        skin_lesion_regions=frozenset(BodyRegion(r) for r in consultation.skin_lesion_sites),
        unresolved_red_flags=tuple(a.flag for a in red_flags_open(consultation)),
    )
