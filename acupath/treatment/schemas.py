"""JSON shapes of the sessions and rooms API. Validation of meaning lives in the services."""

import datetime as dt
import uuid
from decimal import Decimal

from ninja import Field, Schema

from acupath.planning.enums import NeedleAngle, Technique


class SessionStartIn(Schema):
    patient: uuid.UUID
    room: uuid.UUID | None = None
    pain_before: int | None = Field(None, description="NRS 0-10")
    plan: uuid.UUID | None = Field(None, description="defaults to the patient's active plan")
    planned_minutes: int | None = Field(None, description="retention; defaults to the plan's")
    practitioner: uuid.UUID | None = Field(None, description="defaults to the signed-in practitioner")


class PointIn(Schema):
    code: str = Field(description="any accepted spelling: BL23, UB-23, Du4")
    side: str = "both"
    count: int = 1
    electro: bool = False
    override_reason: str = Field("", description="required for a point under a safety caution")
    region: str = Field("", description="body region where an Ashi or Jiaji point is needled")
    techniques: list[Technique] = Field(default_factory=list, description="how the point is worked (coded)")
    depth_mm: int | None = Field(
        None, description="depth needled in mm; required where a depth rule applies (over the lung or spinal canal)"
    )
    angle: NeedleAngle | None = None
    deqi: bool | None = None
    location_note: str = Field("", max_length=120)


class NeedlesIn(Schema):
    points: list[PointIn]
    gauge: Decimal | None = Field(None, description="needle diameter in mm, e.g. 0.25")
    length_mm: int | None = None
    lot: str = Field("", description="lot number of the sterile needle pack", max_length=40)
    ea_frequency_hz: Decimal | None = None
    ea_intensity: str = Field("", max_length=40)
    ea_pairs: int | None = None


class RemovalIn(Schema):
    count: int


class CloseIn(Schema):
    pain_after: int | None = None
    contact_minutes: int | None = None
    note: str = Field(
        "", max_length=4000, description="the practitioner's note (the P of SOAP when the others are given)"
    )
    subjective: str = Field("", max_length=4000)
    objective: str = Field("", max_length=4000)
    assessment: str = Field("", max_length=4000)


class SessionPointOut(Schema):
    code: str
    side: str
    count: int
    from_plan: bool
    electro: bool
    techniques: list[Technique] = []
    depth_mm: int | None = None
    angle: NeedleAngle | None = None
    override_reason: str
    warnings: list[str]


class DeviationsOut(Schema):
    added: list[str]
    skipped: list[str]


class SessionOut(Schema):
    id: uuid.UUID
    status: str
    patient: uuid.UUID
    practitioner: str
    room: uuid.UUID | None
    plan: uuid.UUID | None
    checked_in_at: dt.datetime
    needles_in_at: dt.datetime | None
    needles_out_at: dt.datetime | None
    closed_at: dt.datetime | None
    planned_minutes: int
    elapsed_seconds: int | None
    remaining_seconds: int | None
    time_up: bool
    needles_inserted: int
    needles_removed: int
    needles_unrecovered: int
    needles_in: int
    needles_unaccounted: int = Field(description="needles not accounted for once removal has begun")
    gauge: Decimal | None
    length_mm: int | None
    lot: str
    pain_before: int | None
    pain_after: int | None
    contact_minutes: int | None
    points: list[SessionPointOut]
    deviations: DeviationsOut


class RoomOut(Schema):
    id: uuid.UUID
    name: str
    location: str
    location_id: uuid.UUID
    position: int
    occupied: bool


class BoardRoomOut(Schema):
    room: str
    room_id: uuid.UUID
    location: str
    state: str
    session: uuid.UUID | None
    patient: str | None
    practitioner: str | None
    needles_in: int | None = Field(description="null for roles without clinical access")
    needle_alert: bool
    started_at: dt.datetime | None
    planned_minutes: int | None
    elapsed_seconds: int | None
    remaining_seconds: int | None
    time_up: bool


class BoardOut(Schema):
    now: dt.datetime
    location: uuid.UUID | None = Field(None, description="the location shown; null for the whole network")
    total: int = Field(..., description="rooms in the location, or in the whole network")
    offset: int
    limit: int | None = Field(None, description="the page size when the whole network is asked for")
    next_offset: int | None = Field(None, description="the offset of the next page, if there is one")
    rooms: list[BoardRoomOut]


class BoardQuery(Schema):
    location: str | None = Field(
        None,
        description="a location's id, or 'all' for the whole network (paged); default: your own location "
        "(a practitioner's, or the one the desk last chose on the board page)",
    )
    offset: int = Field(0, ge=0, description="with location=all: the first room of the page")
    limit: int = Field(50, ge=1, le=200, description="with location=all: rooms per page")
