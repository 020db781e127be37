import datetime as dt
import uuid

from ninja import Field, Schema


class HistoryIn(Schema):
    pregnant: bool = False
    pregnancy_weeks: int | None = None
    anticoagulant: bool = Field(default=False, description="takes an anticoagulant or antiplatelet")
    bleeding_disorder: bool = False
    pacemaker: bool = Field(default=False, description="pacemaker or another implanted electronic device")
    diabetes: bool = False
    needle_fear: bool = False
    skin_lesion_sites: list[str] = Field(default_factory=list, description="body sites with broken or inflamed skin")
    conditions: str = ""
    surgeries: str = ""
    medications: str = ""
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
    red_flags: dict[str, bool] = Field(
        default_factory=dict, description="screening question code -> answer (true = yes)"
    )
    worse_with: str = Field(default="", max_length=300)
    better_with: str = Field(default="", max_length=300)
    tongue: str = Field(default="", max_length=200)
    pulse: str = Field(default="", max_length=200)
    notes: str = ""
    consulted_at: dt.datetime | None = Field(default=None, description="now when omitted; no zone = the clinic's time")


class DecisionOut(Schema):
    id: uuid.UUID
    flag: str
    decision: str
    reason: str
    decided_at: dt.datetime


class AlertOut(Schema):
    flag: str
    question: str
    category: str
    urgency: str = Field(description="emergency (same day), urgent (within 2 weeks) or routine")
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
    red_flags: dict[str, bool]
    alerts: list[AlertOut]
    open_red_flags: list[str] = Field(description="flags still waiting for a decision; planning is blocked meanwhile")


class RedFlagDecisionIn(Schema):
    flag: str
    decision: str = Field(description="refer_urgent, refer_routine or not_relevant")
    reason: str


class RedFlagDecisionOut(DecisionOut):
    consultation_id: uuid.UUID
    open_red_flags: list[str]
