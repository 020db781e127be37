"""Whether a patient's signed consent to acupuncture covers a session now (the rule, per course,
is in ``patients.domain.consent``). Session start refuses without it; the chart, the check-in page
and the portal show the same answer. Three queries, whatever the history size.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from acupath.core.errors import Conflict
from acupath.intake.enums import ConsultationKind
from acupath.intake.models import Consultation
from acupath.patients.consent_models import Consent, ConsentKind
from acupath.patients.domain.consent import ConsentState, SignedConsent, consent_state
from acupath.patients.models import Patient
from acupath.treatment.models import TreatmentSession

NO_CONSENT = "No signed consent to acupuncture for this course: ask the patient to sign it (Consent page)."


class ConsentRequired(Conflict):
    """A session refused for want of a valid consent (409); pages add the link to the Consent page."""


@dataclass(frozen=True)
class SessionConsent:
    state: ConsentState
    consent: Consent | None  # the latest consent signed by then, valid or not

    @property
    def valid(self) -> bool:
        return self.state == ConsentState.VALID

    @property
    def problem(self) -> str:
        """What is wrong and what to do, in the clinic's words; empty when the consent is valid."""
        if self.valid:
            return ""
        if self.state == ConsentState.WITHDRAWN and self.consent and self.consent.withdrawn_at:
            return f"{NO_CONSENT} The patient withdrew it on {_day(self.consent.withdrawn_at)}."
        if self.state == ConsentState.EARLIER_COURSE and self.consent:
            return (
                f"{NO_CONSENT} The consent on file, signed {_day(self.consent.signed_at)}, was for an earlier course."
            )
        return NO_CONSENT


def _day(at: dt.datetime) -> str:
    return f"{timezone.localtime(at):%-d %b %Y}"


def session_consent(patient: Patient, at: dt.datetime | None = None) -> SessionConsent:
    at = at or timezone.now()
    latest = (
        Consent.objects.filter(patient=patient, kind=ConsentKind.ACUPUNCTURE, signed_at__lte=at)
        .select_related("text")
        .defer("signature_image", "text__body")
        .order_by("-signed_at", "-id")
        .first()
    )
    if latest is None:
        return SessionConsent(ConsentState.MISSING, None)
    course_start = (
        Consultation.objects.filter(
            patient=patient, kind=ConsultationKind.INITIAL, consulted_at__gt=latest.signed_at, consulted_at__lte=at
        )
        .order_by("-consulted_at")
        .values_list("consulted_at", flat=True)
        .first()
    )
    first_use = None
    if course_start is not None:
        first_use = (
            TreatmentSession.objects.filter(patient=patient, checked_in_at__gte=latest.signed_at)
            .order_by("checked_in_at")
            .values_list("checked_in_at", flat=True)
            .first()
        )
    state = consent_state(
        SignedConsent(latest.signed_at, latest.withdrawn_at),
        at,
        [course_start] if course_start is not None else [],
        first_use,
    )
    return SessionConsent(state, latest)


def session_consent_require(patient: Patient, at: dt.datetime | None = None) -> None:
    """Refuse (409) a session the patient has not consented to."""
    check = session_consent(patient, at)
    if not check.valid:
        raise ConsentRequired(check.problem)
