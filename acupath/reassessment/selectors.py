"""Reading a patient's re-assessment state: the session count, whether one is due, the verdict.

A fixed number of queries whatever the history size: the initial consultation, the session count
and the latest session, the decisions, the assessments, the clinic setting and the active plan.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from acupath.clinic.selectors import clinic_settings
from acupath.intake.enums import ConsultationKind
from acupath.intake.models import Consultation
from acupath.measures.domain.instruments import InstrumentCode
from acupath.measures.selectors import AssessmentRow, assessment_rows
from acupath.patients.models import Patient
from acupath.planning.enums import PlanStatus
from acupath.planning.models import TreatmentPlan
from acupath.reassessment.domain.prompt import MeasureResult, Verdict, reassessment_due, verdict
from acupath.reassessment.enums import ResponderStatus
from acupath.reassessment.models import ReassessmentDecision
from acupath.treatment.models import TreatmentSession


@dataclass
class ReassessmentState:
    at_session: int  # the clinic's setting
    session_number: int  # sessions so far in this episode
    episode_start: dt.datetime | None
    plan: TreatmentPlan | None
    latest_session: TreatmentSession | None
    decision: ReassessmentDecision | None  # this episode's decision, if recorded
    history: list[ReassessmentDecision] = field(default_factory=list)
    measures: list[MeasureResult] = field(default_factory=list)
    responder: Verdict = Verdict.NOT_MEASURED

    @property
    def due(self) -> bool:
        return self.plan is not None and reassessment_due(
            self.session_number, self.at_session, self.decision is not None
        )

    @property
    def responder_text(self) -> str:
        return str(ResponderStatus(self.responder.value).label)

    @property
    def measure_lines(self) -> list[str]:
        lines = []
        for m in self.measures:
            name = m.instrument.upper()
            if m.responder is None:
                lines.append(f"{name}: no follow-up score since the baseline")
                continue
            change = f"{m.improvement:+g} points better" if m.improvement is not None else ""
            if m.percent is not None:
                change += f" ({m.percent:.0f}%)"
            lines.append(
                f"{name}: {'responder' if m.responder else 'not a responder'}{', ' + change if change else ''}"
            )
        return lines


def _episode_start(patient: Patient) -> dt.datetime | None:
    return (
        Consultation.objects.filter(patient=patient, kind=ConsultationKind.INITIAL)
        .order_by("-consulted_at")
        .values_list("consulted_at", flat=True)
        .first()
    )


def _latest(rows: list[AssessmentRow], code: str, since: dt.datetime | None) -> MeasureResult:
    mine = [r for r in rows if r.assessment.instrument == code and (since is None or r.assessment.taken_at >= since)]
    changes = [r.change for r in mine if not r.is_baseline and r.change is not None]
    if not changes:
        return MeasureResult(code, None)
    c = changes[-1]
    return MeasureResult(code, bool(c.responder), c.improvement, c.percent)


def measure_results(patient: Patient, since: dt.datetime | None, function_measure: str) -> list[MeasureResult]:
    """Pain (NRS) and the clinic's function measure, each at its latest follow-up in the episode."""
    rows = assessment_rows(patient)
    return [_latest(rows, code, since) for code in (InstrumentCode.NRS.value, function_measure)]


def reassessment_state(patient: Patient) -> ReassessmentState:
    settings = clinic_settings()
    start = _episode_start(patient)
    sessions = TreatmentSession.objects.filter(patient=patient)
    if start is not None:
        sessions = sessions.filter(checked_in_at__gte=start)
    latest = sessions.order_by("-checked_in_at", "-id").first()
    count = sessions.count() if latest is not None else 0
    history = list(ReassessmentDecision.objects.filter(patient=patient).select_related("created_by", "plan"))
    decision = next((d for d in history if d.episode_start == start), None)
    plan = TreatmentPlan.objects.filter(patient=patient, status=PlanStatus.APPROVED).first()
    measures = measure_results(patient, start, settings.function_measure)
    return ReassessmentState(
        at_session=settings.reassessment_session,
        session_number=count,
        episode_start=start,
        plan=plan,
        latest_session=latest,
        decision=decision,
        history=history,
        measures=measures,
        responder=verdict(measures),
    )


def decision_payload(d: ReassessmentDecision) -> dict[str, Any]:
    author = d.created_by
    return {
        "id": d.public_id,
        "plan_id": d.plan.public_id,
        "plan_version": d.plan.version,
        "session_number": d.session_number,
        "decision": d.decision,
        "decision_text": str(d.get_decision_display()),
        "reason": d.reason,
        "responder_status": d.responder_status,
        "responder_status_text": str(d.get_responder_status_display()),
        "measures": d.measures,
        "decided_at": d.decided_at,
        "decided_by": (author.get_full_name() or author.username) if author else "",
    }
