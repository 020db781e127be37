"""Turn one patient's story into table rows (plain dicts keyed by attribute name).

Ids are handed out by the BulkWriter, public UUIDs come from the patient's own random
stream (so the demo is the same on every machine), and every clinical value is computed
by the product's own rules: scores by the instrument scorers, plans by the prescription
engine.
"""

import datetime as dt
import random
import uuid
from collections import defaultdict
from decimal import Decimal
from functools import cache
from typing import Any

from acupath.demo.bulk import BulkWriter
from acupath.demo.story import Story, Visit
from acupath.intake.domain.duration import duration_class
from acupath.intake.domain.red_flags import computed_flags
from acupath.intake.models import Consultation, RedFlagReview
from acupath.knowledge.domain.catalogue import load_catalogue
from acupath.knowledge.domain.codes import ASHI
from acupath.knowledge.domain.codes import normalise_code as _normalise
from acupath.measures.domain.change import change_from_baseline
from acupath.measures.domain.scoring import Score, score
from acupath.measures.models import Assessment
from acupath.patients.consent_models import Consent, ConsentChannel, ConsentKind, SignatureKind
from acupath.patients.models import Patient
from acupath.planning.domain.prescribe import Draft
from acupath.planning.enums import PlanStatus, Technique
from acupath.planning.models import PlanPoint, TreatmentPlan
from acupath.planning.selectors import course_payload
from acupath.planning.services import safety_record
from acupath.reassessment.domain.prompt import MeasureResult, measure_record, verdict
from acupath.reassessment.enums import ReassessmentChoice
from acupath.reassessment.models import ReassessmentDecision
from acupath.scheduling.enums import AppointmentStatus
from acupath.scheduling.models import Appointment, SlotClaim
from acupath.scheduling.services.appointments import claimed_units
from acupath.treatment.enums import SessionStatus
from acupath.treatment.models import AdverseEvent, AdverseEventAlert, SessionPoint, TreatmentSession

Row = dict[str, Any]

# The engine's codes repeat across thousands of patients: resolve each spelling once.
normalise_code = cache(_normalise)
ODI_SECTIONS = 10
# Where the catalogue gives no depth (Ashi): shallow and oblique, safe over any level.
ASHI_DEPTH = (10, "oblique")


@cache
def planned_depth(code: str) -> tuple[int, str]:
    """A typical depth (mm) and angle for a point: the middle of the catalogue's range, never over
    its safe maximum, so the demo's plans and sessions pass the depth rules as real ones must."""
    if code == ASHI:
        return ASHI_DEPTH
    record = load_catalogue().point(code)
    if record.depth is None:
        return ASHI_DEPTH
    mm = round((record.depth.min_cm + record.depth.max_cm) * 5)
    if record.max_safe_depth_cm is not None:
        mm = min(mm, int(record.max_safe_depth_cm * 10))
    return mm, record.depth.angle.value


def session_techniques(draft_techniques: frozenset[str]) -> list[str]:
    """Even method, plus the draft's techniques (moxibustion, bloodletting) the rules left in."""
    return sorted({Technique.EVEN.value, *(str(t) for t in draft_techniques)})


class Rows:
    """Rows for one chunk of patients, by model, in the order they must be inserted."""

    ORDER = (Patient, Consent, Consultation, RedFlagReview, Assessment, TreatmentPlan, PlanPoint, TreatmentSession,
             SessionPoint, AdverseEvent, AdverseEventAlert, ReassessmentDecision, Appointment, SlotClaim)  # fmt: skip

    def __init__(self, writer: BulkWriter):
        self.writer = writer
        self.tables: dict[type, list[Row]] = defaultdict(list)

    def add(self, model: type, row: Row, with_id: bool = True) -> Row:
        if with_id:
            row["id"] = self.writer.ids(model, 1).start
        self.tables[model].append(row)
        return row

    def flush(self) -> int:
        for model in self.ORDER:
            self.writer.insert(model, self.tables.get(model, ()))
        return len(self.tables.get(TreatmentSession, ()))


def public_id(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def odi_answers(percent: float, rng: random.Random) -> list[int]:
    """Ten ODI section scores (0-5) whose total gives about `percent`."""
    answers = [0] * ODI_SECTIONS
    for _ in range(min(round(percent / 2), 5 * ODI_SECTIONS)):
        answers[rng.choice([i for i, v in enumerate(answers) if v < 5])] += 1
    return answers


def startback_answers(story: Story, rng: random.Random) -> list[bool | str]:
    distress = story.baseline_pain >= 7 and rng.random() < 0.5
    items: list[bool | str] = [
        story.leg_pain != "none",
        rng.random() < 0.3,
        story.baseline_pain >= 6,
        story.baseline_pain >= 6 and rng.random() < 0.6,
    ]
    items += [distress or rng.random() < 0.2 for _ in range(4)]
    items.append(rng.choice(("very_much", "extremely") if distress else ("slightly", "moderately", "very_much")))
    return items


class PatientRows:
    """Builds every row of one patient's history."""

    def __init__(self, rows: Rows, story: Story, patient_id: int, rng: random.Random):
        self.rows, self.story, self.patient_id, self.rng = rows, story, patient_id, rng
        # The course's first and latest score of each instrument, for the re-assessment's verdict.
        self.first: dict[str, Score] = {}
        self.latest: dict[str, Score] = {}
        self.episode_start: dt.datetime | None = None

    def assessment(
        self, instrument: str, answers: Any, at: dt.datetime, context: str, starts_episode: bool = False
    ) -> None:
        result = score(instrument, answers)
        if starts_episode:
            self.first, self.latest, self.episode_start = {}, {}, at
        if context == "consultation":
            self.first.setdefault(instrument, result)
        else:
            self.latest[instrument] = result
        self.rows.add(Assessment, {
            "public_id": public_id(self.rng), "patient_id": self.patient_id, "instrument": instrument, "taken_at": at,
            "answers": answers, "score": result.value, "scorable": result.scorable, "band": result.band or "",
            "risk": result.risk or "", "distress_subscale": result.distress_subscale, "context": context,
            "starts_episode": starts_episode,
        })  # fmt: skip

    def consent(self, at: dt.datetime, text_id: int, witness_user_id: int) -> Row:
        """The consent to acupuncture signed on the clinic's tablet before the initial consultation."""
        name = f"{self.story.given_name} {self.story.family_name}"
        return self.rows.add(Consent, {
            "public_id": public_id(self.rng), "patient_id": self.patient_id, "kind": ConsentKind.ACUPUNCTURE,
            "text_id": text_id, "signed_by": name, "signed_at": at, "signature_kind": SignatureKind.TYPED,
            "signature_typed": name, "channel": ConsentChannel.CLINIC, "witnessed_by_id": witness_user_id,
            "created_by_id": witness_user_id,
        })  # fmt: skip

    def consultation(self, practitioner_id: int, at: dt.datetime, flags: list[str]) -> Row:
        s = self.story
        computed = computed_flags(s.birth_date, at.date())
        row = self.rows.add(Consultation, {
            "public_id": public_id(self.rng), "patient_id": self.patient_id, "practitioner_id": practitioner_id,
            "kind": "initial", "consulted_at": at, "causes": list(s.causes), "onset_date": s.onset,
            "duration_class": duration_class(s.onset, at.date()).value, "region": s.region, "leg_pain": s.leg_pain,
            "pain_now": s.baseline_pain, "anticoagulant": s.anticoagulant,
            "medications": "Apixaban 5 mg twice daily" if s.anticoagulant else "",
            "pregnant": s.pregnant_weeks is not None, "pregnancy_weeks": s.pregnant_weeks, "pacemaker": s.pacemaker,
            "diabetes": s.diabetes, "needle_fear": s.needle_fear,
            "work_posture": f"{s.occupation[0]}: {s.occupation[1]}",
            "red_flags": {code: code == s.red_flag for code in flags} | dict.fromkeys(computed, True),
            "red_flag_reasons": computed, "pattern": s.pattern,
            "worse_with": "sitting long, bending" if "posture" in s.causes else "lifting, getting up from bed",
            "better_with": "walking, warmth",
        })  # fmt: skip
        self.assessment("nrs", s.baseline_pain, at, "consultation", starts_episode=True)
        self.assessment("odi", odi_answers(s.baseline_odi, self.rng), at, "consultation")
        self.assessment("startback", startback_answers(s, self.rng), at, "consultation")
        for code in computed:  # the age flag (soon tier): decided at the visit, with the reason
            self.rows.add(RedFlagReview, {
                "public_id": public_id(self.rng), "consultation_id": row["id"], "flag": code,
                "decision": "not_relevant",
                "reason": "Asked: not a first episode of back pain; mechanical pattern, no other red flag. Age alone.",
            })  # fmt: skip
        if s.red_flag and s.red_flag_decided:
            self.rows.add(RedFlagReview, {
                "public_id": public_id(self.rng), "consultation_id": row["id"], "flag": s.red_flag,
                "decision": "not_relevant",
                "reason": "Asked in detail: explained by known history; no other features. Reviewed with the patient.",
            })  # fmt: skip
        return row

    def plan(self, consultation: Row, draft: Draft, practitioner_user_id: int) -> Row:
        course = draft.course
        row = self.rows.add(TreatmentPlan, {
            "public_id": public_id(self.rng), "patient_id": self.patient_id, "consultation_id": consultation["id"],
            "approved_at": consultation["consulted_at"], "version": 1, "status": PlanStatus.APPROVED,
            "retention_minutes": draft.retention_minutes, "electroacupuncture": draft.electroacupuncture,
            "sessions": course.sessions, "per_week": course.per_week, "created_by_id": practitioner_user_id,
            "course": course_payload(course), "safety": safety_record(draft, {p.code for p in draft.points}),
            "advice": [{"code": a.code, "title": a.title, "text": a.text} for a in draft.advice],
        })  # fmt: skip
        for i, p in enumerate(draft.points):
            depth, angle = planned_depth(normalise_code(p.code))
            self.rows.add(PlanPoint, {
                "plan_id": row["id"], "point_id": normalise_code(p.code), "side": p.side, "role": p.role,
                "rationale": p.rationale[:400], "position": i,
                "location_note": (p.level or "") if p.role == "ashi" else "", "depth_mm": depth, "angle": angle,
            })  # fmt: skip
        return row

    def session(
        self,
        visit: Visit,
        start: dt.datetime,
        practitioner_id: int,
        room_id: int,
        plan: Row | None,
        draft: Draft | None,
    ) -> Row:
        points = list(draft.points) if draft else []
        needles = sum(2 if p.side == "both" else 1 for p in points)
        minutes = draft.retention_minutes if draft else 25
        improved = visit.pain_after is not None and visit.pain_after < (visit.pain_before or 0)
        row = self.rows.add(TreatmentSession, {
            "public_id": public_id(self.rng), "patient_id": self.patient_id, "plan_id": plan["id"] if plan else None,
            "practitioner_id": practitioner_id, "room_id": room_id, "status": SessionStatus.CLOSED,
            "checked_in_at": start, "needles_in_at": start + dt.timedelta(minutes=8), "planned_minutes": minutes,
            "closed_at": start + dt.timedelta(minutes=minutes + 15), "pain_before": visit.pain_before,
            "pain_after": visit.pain_after, "needles_inserted": needles, "needles_removed": needles,
            "needle_gauge_mm": Decimal("0.20") if self.story.anticoagulant else Decimal("0.25"),
            "needle_length_mm": 40, "needle_lot": f"HW{start:%y%m}-{self.rng.randrange(1000, 9999)}",
            "contact_minutes": self.rng.choice((15, 20, 25, 30)),
            "plan_note": "Tolerated well." if improved else "No change today.",
        })  # fmt: skip
        for p in points:
            depth, angle = planned_depth(normalise_code(p.code))
            self.rows.add(SessionPoint, {
                "session_id": row["id"], "point_id": normalise_code(p.code), "side": p.side,
                "needles": 2 if p.side == "both" else 1, "from_plan": True, "depth_mm": depth, "angle": angle,
                "techniques": session_techniques(p.techniques),
            })  # fmt: skip
        if "nrs" in visit.assess and visit.pain_before is not None:
            self.assessment("nrs", visit.pain_before, start, "session")
        if "odi" in visit.assess and visit.pain_before is not None:
            ratio = visit.pain_before / max(self.story.baseline_pain, 1)
            self.assessment("odi", odi_answers(self.story.baseline_odi * ratio, self.rng), start, "review")
        return row

    def reassessment(self, plan: Row, session: Row, number: int, user_id: int) -> Row:
        """The decision at the clinic's re-assessment session, judged by the product's responder rule."""
        results = []
        for code in ("nrs", "odi"):
            before, now = self.first.get(code), self.latest.get(code)
            change = change_from_baseline(code, before, now) if before and now else None
            results.append(
                MeasureResult(code, None)
                if change is None
                else MeasureResult(code, bool(change.responder), change.improvement, change.percent)
            )
        status = verdict(results)
        decision = ReassessmentChoice.CONTINUE if status == "responder" else ReassessmentChoice.CHANGE
        reason = (
            "Pain and function improving as hoped; continue the course as planned."
            if decision == ReassessmentChoice.CONTINUE
            else "Not responding yet: points and frequency reviewed with the patient."
        )
        at = session["closed_at"]
        return self.rows.add(ReassessmentDecision, {
            "public_id": public_id(self.rng), "patient_id": self.patient_id, "plan_id": plan["id"],
            "session_id": session["id"], "session_number": number, "episode_start": self.episode_start,
            "decision": decision, "reason": reason, "responder_status": status.value,
            "measures": [measure_record(r) for r in results],
            "decided_at": at, "created_by_id": user_id,
        })  # fmt: skip

    def appointment(self, fields: Row) -> Row:
        row = self.rows.add(Appointment, {"public_id": public_id(self.rng), "patient_id": self.patient_id, **fields})
        if row["status"] == AppointmentStatus.BOOKED:
            # Future bookings hold their practitioner, room and patient like any booking does.
            for resource, unit in claimed_units(
                row["practitioner_id"], self.patient_id, row["room_id"], row["start"], row["end"]
            ):
                self.rows.add(SlotClaim, {"appointment_id": row["id"], "resource": resource, "unit_start": unit})
        return row
