"""JSON shapes of the adverse-event API. Coded fields are enums; meaning is checked by the services."""

import datetime as dt
import uuid

from ninja import Field, Schema

from acupath.treatment.domain.adverse import ACTION_MAX, DESCRIPTION_MAX, FOLLOW_UP_MAX
from acupath.treatment.enums import (
    AdverseEventKind,
    AdverseEventOutcome,
    AdverseEventSeverity,
    Causality,
    SeriousnessCriterion,
)


class AdverseEventIn(Schema):
    type: AdverseEventKind = Field(description="what happened; 'other' needs a description")
    severity: AdverseEventSeverity = Field(description="intensity: mild, moderate or severe")
    seriousness: list[SeriousnessCriterion] = Field(
        default_factory=list, description="ICH E2A criteria met; empty when the event was not serious"
    )
    causality: Causality = Field(description="WHO-UMC causality category")
    outcome: AdverseEventOutcome
    action_taken: str = Field(max_length=ACTION_MAX, description="e.g. needles removed, laid flat")
    description: str = Field("", max_length=DESCRIPTION_MAX)
    occurred_at: dt.datetime | None = Field(None, description="onset; defaults to now")
    needles: int = Field(0, description="forgotten_needle: how many of the session's needles cannot be found")


class AdverseFollowUpIn(Schema):
    outcome: AdverseEventOutcome
    causality: Causality
    seriousness: list[SeriousnessCriterion] = Field(default_factory=list)
    note: str = Field(max_length=FOLLOW_UP_MAX, description="what was learned at follow-up")


class AlertAcknowledgeIn(Schema):
    note: str = Field("", max_length=300)


class AdverseAlertOut(Schema):
    id: uuid.UUID
    raised_at: dt.datetime
    acknowledged_at: dt.datetime | None
    acknowledged_by: str | None
    note: str


class AdverseEventOut(Schema):
    id: uuid.UUID
    session: uuid.UUID | None
    patient: uuid.UUID
    type: AdverseEventKind
    type_display: str
    severity: AdverseEventSeverity
    seriousness: list[SeriousnessCriterion]
    serious: bool
    causality: Causality
    outcome: AdverseEventOutcome
    occurred_at: dt.datetime
    description: str
    action_taken: str
    needles: int
    follow_up: str
    followed_up_at: dt.datetime | None
    recorded_at: dt.datetime
    recorded_by: str
    alert: AdverseAlertOut | None


class OwnerAlertOut(Schema):
    id: uuid.UUID
    event: uuid.UUID
    raised_at: dt.datetime
    type: AdverseEventKind
    seriousness: list[SeriousnessCriterion]
