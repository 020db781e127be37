import datetime as dt
import uuid

from ninja import Field, Schema

from acupath.reassessment.enums import ReassessmentChoice, ResponderStatus


class ReassessmentDecisionIn(Schema):
    decision: ReassessmentChoice = Field(description="continue, change or stop")
    reason: str = Field(max_length=1000, description="why: what the patient reports and what the scores show")


class MeasureResultOut(Schema):
    instrument: str = Field(description="nrs or the clinic's function measure (odi or rmdq)")
    responder: bool | None = Field(description="null: no follow-up score since the baseline")
    improvement: float | None
    percent: float | None


class ReassessmentDecisionOut(Schema):
    id: uuid.UUID
    plan_id: uuid.UUID
    plan_version: int
    session_number: int = Field(description="the session of the episode it was decided at")
    decision: ReassessmentChoice
    decision_text: str
    reason: str
    responder_status: ResponderStatus = Field(description="the measures' verdict when it was decided")
    responder_status_text: str
    measures: list[MeasureResultOut]
    decided_at: dt.datetime
    decided_by: str
