import datetime as dt
import uuid
from typing import Any, Literal

from ninja import Field, Schema

from acupath.intake.enums import RedFlagDecision, RedFlagTier, ReferralDestination, ReferralOutcome

#: A screening answer: true (yes), false (no) or "unsure" (counts as yes).
RedFlagAnswer = bool | Literal["unsure"]


class HistoryIn(Schema):
    pregnant: bool = False
    pregnancy_weeks: int | None = None
    anticoagulant: bool = Field(default=False, description="takes an anticoagulant or antiplatelet")
    bleeding_disorder: bool = False
    pacemaker: bool = Field(default=False, description="pacemaker or another implanted electronic device")
    diabetes: bool = False
    needle_fear: bool = False
    peripheral_neuropathy: bool = Field(default=False, description="reduced feeling in the feet or legs")
    metal_allergy: bool = Field(default=False, description="allergy to nickel or another needle metal")
    epilepsy: bool = Field(default=False, description="epilepsy or another seizure disorder")
    immunosuppressed: bool = Field(
        default=False, description="immunosuppressed by medicines (e.g. steroids, chemotherapy) or a condition"
    )
    skin_lesion_sites: list[str] = Field(default_factory=list, description="body sites with broken or inflamed skin")
    conditions: str = Field(default="", max_length=2000)
    surgeries: str = Field(default="", max_length=2000)
    medications: str = Field(default="", max_length=2000)
    allergies: str = Field(default="", max_length=300)


class LifestyleIn(Schema):
    work_posture: str = Field(default="", max_length=300)
    activity_level: str = Field(default="", max_length=120)
    sleep: str = Field(default="", max_length=120)
    stress: str = Field(default="", max_length=120)


class ConsultationIn(Schema):
    kind: str = Field(description="initial or reassessment")
    causes: list[str] = Field(
        description="any of posture, strain_injury, disc_spinal, arthritis, sciatica, stress_tension"
    )
    onset_date: dt.date
    region: str = Field(description="lumbar, thoracic or sacroiliac")
    leg_pain: str = Field(default="none", description="none, buttock_thigh, posterior_leg, lateral_leg or below_knee")
    pain_now: int = Field(description="0-10")
    pattern: str = Field(default="", description="a TCM pattern code (knowledge/data/tcm_patterns.yaml)")
    history: HistoryIn = HistoryIn()
    lifestyle: LifestyleIn = LifestyleIn()
    red_flags: dict[str, RedFlagAnswer] = Field(
        default_factory=dict,
        description=(
            'every screening question code (GET /api/v1/red-flags) -> true (yes), false (no) or "unsure" '
            "(counts as yes); a consultation missing any is refused (422, missing_red_flags)"
        ),
    )
    red_flag_clarifications: dict[str, str] = Field(
        default_factory=dict,
        description="code -> what was clarified, required where the patient's pre-visit yes is now answered no",
    )
    worse_with: str = Field(default="", max_length=300)
    better_with: str = Field(default="", max_length=300)
    tongue: str = Field(default="", max_length=200)
    pulse: str = Field(default="", max_length=200)
    notes: str = Field(default="", max_length=4000)
    consulted_at: dt.datetime | None = Field(default=None, description="now when omitted; no zone = the clinic's time")
    baseline: dict[str, Any] = Field(
        default_factory=dict,
        description=(
            "The baseline questionnaires taken with the consultation, {instrument: answers} in the shape of "
            "POST /patients/{id}/assessments: at an initial consultation the clinic's function measure "
            "(odi or rmdq) and startback. A function measure first taken later is shown as a late baseline."
        ),
    )


class ReferralOut(Schema):
    id: uuid.UUID
    patient_id: uuid.UUID
    tier: RedFlagTier
    destination: ReferralDestination
    flags: list[str]
    made_at: dt.datetime
    outcome: ReferralOutcome | None = Field(description="null while waiting for the assessment")
    assessed_by: str
    assessed_on: dt.date | None
    note: str
    blocks_treatment: bool = Field(description="true while planning and needling wait for a clearing outcome")
    letter_url: str


class DecisionOut(Schema):
    id: uuid.UUID
    flag: str
    decision: RedFlagDecision
    reason: str
    decided_at: dt.datetime
    referral: ReferralOut | None = Field(default=None, description="the referral this decision made or joined")


class AlertOut(Schema):
    flag: str
    question: str
    category: str
    urgency: RedFlagTier = Field(description="the tier: emergency (same day), urgent (2 weeks), soon or routine")
    title: str
    answer: Literal["yes", "unsure", "computed"]
    reason: str = Field(default="", description="why a computed flag was raised, or the clarification recorded")
    action: str
    decision: DecisionOut | None = Field(description="the practitioner's decision; null while open")


class HistoryOut(HistoryIn):
    pass


class ConsultationOut(Schema):
    id: uuid.UUID
    patient_id: uuid.UUID
    kind: str
    consulted_at: dt.datetime
    causes: list[str]
    onset_date: dt.date
    duration_class: str = Field(description="acute (under 6 weeks), subacute (6-12 weeks) or chronic (12+)")
    region: str
    leg_pain: str
    pain_now: int
    worse_with: str
    better_with: str
    pattern: str
    tongue: str
    pulse: str
    notes: str
    history: HistoryOut
    lifestyle: LifestyleIn
    red_flags: dict[str, RedFlagAnswer]
    red_flag_reasons: dict[str, str] = Field(description="computed flag code -> why it was raised")
    red_flag_clarifications: dict[str, str]
    alerts: list[AlertOut]
    open_red_flags: list[str] = Field(description="flags still waiting for a decision; planning is blocked meanwhile")


class RedFlagDecisionIn(Schema):
    flag: str = Field(max_length=40)
    decision: str = Field(
        description=(
            "refer_emergency, refer_urgent, refer_soon, refer_routine or not_relevant; at least as urgent as "
            "the flag's tier (an emergency flag only refer_emergency; urgent: refer_emergency or refer_urgent)"
        )
    )
    reason: str = Field(max_length=1000)


class RedFlagDecisionOut(DecisionOut):
    consultation_id: uuid.UUID
    open_red_flags: list[str]


class RedFlagQuestionOut(Schema):
    code: str
    number: int
    question: str
    title: str
    tier: RedFlagTier
    category: str


class ReferralOutcomeIn(Schema):
    outcome: ReferralOutcome
    assessed_by: str = Field(max_length=120)
    assessed_on: dt.date
    note: str = Field(default="", max_length=1000)
