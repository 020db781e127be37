"""The incident report of one adverse event, as a printable PDF (for the clinic's incident file).

It carries what an incident form asks (who, when, where, what happened, what was done, how
serious, how likely caused by treatment, the outcome, follow-up, the owner's acknowledgement) and
leaves room for signatures. It is printed inside the clinic; it is never e-mailed.
"""

import datetime as dt

from django.utils import timezone

from acupath.clinic.selectors import clinic_current
from acupath.core.pdf import Document
from acupath.treatment.models import AdverseEvent


def _when(value: dt.datetime | None) -> str:
    return f"{timezone.localtime(value):%d %b %Y %H:%M}" if value else "—"


def incident_report_pdf(event: AdverseEvent) -> bytes:
    """The report's bytes. `event` comes from access_adverse_event_by_id (its joins are used)."""
    clinic = clinic_current()
    patient, session = event.patient, event.session
    alert = getattr(event, "alert", None)
    doc = Document(
        "Adverse event incident report",
        letterhead=[clinic.name if clinic else "Acupath clinic", f"Printed {_when(timezone.now())}"],
        footer=f"Incident report {event.public_id} · confidential: patient record",
    )
    if event.is_serious:
        doc.paragraph("SERIOUS ADVERSE EVENT: " + "; ".join(event.seriousness_labels) + ".")
    doc.heading("Patient")
    doc.key_values(
        [
            ("Name", patient.full_name),
            ("Date of birth", f"{patient.birth_date:%d %b %Y}"),
            ("Record", str(patient.public_id)),
        ]
    )
    doc.heading("The event")
    doc.key_values(
        [
            ("Type", event.get_kind_display()),
            ("Began", _when(event.occurred_at)),
            ("Recorded", f"{_when(event.created_at)} by {event.recorded_by.get_full_name() or event.recorded_by}"),
            (
                "Session",
                f"{_when(session.checked_in_at)}, {session.practitioner.display_name}"
                + (f", {session.room.name}" if session.room else "")
                if session
                else "Not during a session",
            ),
            *([("Needles not found", str(event.needles))] if event.needles else []),
            ("What happened", event.description or "—"),
            ("Action taken", event.action_taken),
        ]
    )
    doc.heading("Assessment")
    doc.key_values(
        [
            ("Severity", event.get_severity_display()),
            ("Seriousness", "; ".join(event.seriousness_labels) if event.is_serious else "Not serious"),
            ("Causality (WHO-UMC)", event.get_causality_display()),
            ("Outcome", event.get_outcome_display()),
        ]
    )
    doc.heading("Follow-up")
    doc.key_values(
        [("Note", event.follow_up or "None recorded yet"), ("Last followed up", _when(event.followed_up_at))]
    )
    if alert is not None:
        doc.heading("Clinic owner")
        acknowledged = (
            f"Acknowledged {_when(alert.acknowledged_at)} by "
            f"{alert.acknowledged_by.get_full_name() or alert.acknowledged_by}"
            if alert.acknowledged_at and alert.acknowledged_by
            else "Not yet acknowledged"
        )
        doc.key_values(
            [
                ("Alerted", _when(alert.raised_at)),
                ("Acknowledgement", acknowledged),
                *([("Owner's note", alert.acknowledgement_note)] if alert.acknowledgement_note else []),
            ]
        )
    doc.spacer(8)
    # Room to sign by hand under each heading.
    signatures = [["Reported by (signature)", "Clinic owner (signature)", "Date"], ["\n\n\n", "", ""]]
    doc.table(signatures, widths=[65, 65, 44])
    return doc.render()
