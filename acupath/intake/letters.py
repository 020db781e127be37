"""The referral letter to the GP or the emergency department, as a PDF (``core.pdf``).

It says why the patient is referred in words (each positive screening answer, and any flag worked
out from the record), how urgently, who the patient is and who refers them.
"""

from django.utils import timezone

from acupath.clinic.models import Practitioner
from acupath.core.pdf import Document
from acupath.intake.domain.red_flags import Urgency, evaluate_red_flags, load_red_flags
from acupath.intake.enums import ReferralDestination
from acupath.intake.models import Referral

_ASK = {
    Urgency.EMERGENCY: (
        "Please assess this patient today. I have advised them to attend the emergency department now and "
        "have not treated them."
    ),
    Urgency.URGENT: "Please review this patient within 2 weeks. I will not treat them until they have been assessed.",
    Urgency.SOON: "Please review this patient within the next few weeks, before I treat the affected area.",
    Urgency.ROUTINE: "Please review this patient at a routine appointment.",
}


def _referrer(referral: Referral) -> Practitioner | None:
    consultation = referral.consultation
    if consultation.practitioner_id is not None:
        return consultation.practitioner
    return Practitioner.objects.filter(user_id=referral.created_by_id).first() if referral.created_by_id else None


def _findings(referral: Referral) -> list[list[str]]:
    """One row per referred flag: what was found, and the answer or reason behind it."""
    consultation = referral.consultation
    alerts = {a.flag: a for a in evaluate_red_flags(consultation.red_flags)}
    rows = [["Finding", "At the consultation"]]
    for code in referral.flags:
        flag = load_red_flags().flag(code)
        alert = alerts.get(code)
        if flag.computed:
            said = consultation.red_flag_reasons.get(code, "Worked out from the birth date.")
        elif alert is not None and alert.answer == "unsure":
            said = f"Unsure when asked: {alert.question}"
        else:
            said = f"Yes when asked: {load_red_flags().question_text(flag)}"
        rows.append([flag.title, said])
    return rows


def referral_letter(referral: Referral) -> bytes:
    """The letter for this referral (the referral's consultation, patient and practitioner loaded)."""
    patient = referral.patient
    clinic = patient.clinic
    tier = Urgency(referral.tier)
    practitioner = _referrer(referral)
    to = (
        "The duty doctor, Emergency Department"
        if referral.destination == ReferralDestination.EMERGENCY_DEPARTMENT
        else "The patient's GP (family doctor)"
    )
    doc = Document(
        "Referral: red flags for serious spinal pathology",
        letterhead=[clinic.name],
        footer=f"{clinic.name} · referral {referral.public_id} · printed {timezone.localdate():%d %b %Y}",
    )
    doc.key_values(
        [
            ("To", to),
            (
                "Urgency",
                f"{referral.get_tier_display()}" + (" - please see today" if tier is Urgency.EMERGENCY else ""),
            ),
            ("Date of referral", f"{timezone.localtime(referral.created_at):%d %b %Y}"),
        ]
    )
    doc.heading("Patient", level=2)
    doc.key_values(
        [
            ("Name", patient.full_name),
            ("Date of birth", f"{patient.birth_date:%d %b %Y}"),
            ("Sex", patient.get_sex_display()),
            ("Telephone", patient.phone or "not recorded"),
        ]
    )
    doc.heading("Why I am referring", level=2)
    consultation = referral.consultation
    doc.paragraph(
        f"At the acupuncture consultation of {timezone.localtime(consultation.consulted_at):%d %b %Y} for "
        f"{consultation.get_region_display().lower()} back pain ({consultation.get_duration_class_display().lower()}, "
        f"pain {consultation.pain_now}/10 now), the red-flag screening found:"
    )
    doc.table(_findings(referral), widths=(60, 110))
    doc.paragraph(_ASK[tier])
    doc.paragraph(
        "Acupuncture for this back problem is on hold until I hear the outcome of your assessment. "
        "Please let the clinic know whether a serious cause was found, so that we can record it."
    )
    doc.heading("Referring practitioner", level=2)
    doc.key_values(
        [
            ("Name", practitioner.display_name if practitioner else "not recorded"),
            ("Qualifications", (practitioner.qualifications if practitioner else "") or "not recorded"),
            ("Clinic", clinic.name),
        ]
    )
    return doc.render()
