"""JSON shapes of the plans API. No rules here: the service validates and decides."""

import datetime as dt
import uuid
from enum import StrEnum

from ninja import Field, Schema

from acupath.planning.enums import NeedleAngle


class DraftPointOut(Schema):
    code: str
    pinyin: str = ""
    side: str
    role: str
    rationale: str
    level: str = ""


class ExcludedOut(Schema):
    code: str
    rule: str = Field(description="the rule's code in safety_rules.yaml (for machines)")
    title: str = Field("", description="the rule's name, for people")
    severity: str
    reason: str


class WarningOut(Schema):
    code: str | None
    rule: str
    title: str = ""
    message: str


class CourseOut(Schema):
    sessions: int
    per_week: int
    weeks: int
    phases: list[list[int]] = []
    reassess_after: list[int] = []
    reassess_instruments: list[str] = []
    maintenance_interval_weeks: list[int] = []
    rationale: str = ""


class AdviceOut(Schema):
    code: str
    title: str
    text: str


class StartBackRisk(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class StratifiedCareOut(Schema):
    """What the patient's Keele STarT Back risk group adds to the plan (Hill et al. Lancet 2011)."""

    risk: StartBackRisk
    note: str
    referral_code: str | None = Field(description="the referral option offered (high risk); null otherwise")
    referral_display: str | None
    source: str


class DraftOut(Schema):
    points: list[DraftPointOut]
    excluded: list[ExcludedOut]
    warnings: list[WarningOut]
    electroacupuncture: bool
    retention_minutes: int
    needle_count: int
    course: CourseOut
    advice: list[AdviceOut]
    stratified_care: StratifiedCareOut | None = Field(
        None, description="from the latest STarT Back of the episode; null when none is scored"
    )


class PointIn(Schema):
    code: str = Field(min_length=1, max_length=20)
    side: str
    role: str = "local"
    rationale: str = Field("", max_length=400)
    level: str = ""  # body region where an Ashi or Jiaji point is needled
    depth_mm: int | None = Field(None, description="planned depth in mm; the lung and spinal-canal rules read it")
    angle: NeedleAngle | None = None


class CourseIn(Schema):
    sessions: int
    per_week: int
    weeks: int | None = None
    phases: list[list[int]] = []
    reassess_after: list[int] = []
    reassess_instruments: list[str] = []
    maintenance_interval_weeks: list[int] = []
    rationale: str = ""


class AdviceIn(Schema):
    code: str
    title: str = ""
    text: str = ""


class PlanIn(Schema):
    """A plan to approve: the draft's shape, edited. `excluded` and `warnings` may be sent back;
    the server recomputes them."""

    points: list[PointIn]
    electroacupuncture: bool = False
    retention_minutes: int = 25
    course: CourseIn | None = None
    advice: list[AdviceIn] | None = None
    # {point code: reason} for cautions kept on purpose; "electroacupuncture": reason for its caution.
    override_reasons: dict[str, str] = {}
    change_note: str = Field("", max_length=300)
    notes: str = Field("", max_length=2000)


class PlanPointOut(Schema):
    code: str
    pinyin: str
    side: str
    role: str
    rationale: str
    level: str
    depth_mm: int | None = None
    angle: NeedleAngle | None = None
    override_reason: str


class SafetyOut(Schema):
    excluded: list[ExcludedOut] = []
    warnings: list[WarningOut] = []
    overrides: list[dict[str, str]] = []


class PlanOut(Schema):
    id: uuid.UUID
    version: int
    status: str
    approved_at: dt.datetime
    created_by: str
    change_note: str
    retention_minutes: int
    electroacupuncture: bool
    course: CourseOut
    advice: list[AdviceOut]
    stratified_care: StratifiedCareOut | None = Field(
        None, description="what the STarT Back group said when this version was approved"
    )
    safety: SafetyOut
    points: list[PlanPointOut]
    added: list[str] = []
    removed: list[str] = []


class PlanPage(Schema):
    items: list[PlanOut]
    count: int
