"""API shapes for scheduling. Ids are public UUIDs; datetimes carry their UTC offset (clinic zone)."""

import datetime as dt
import uuid

from ninja import Field, Schema

from acupath.scheduling.enums import AppointmentStatus


class PractitionerOut(Schema):
    id: uuid.UUID
    name: str
    qualifications: str


class AppointmentTypeOut(Schema):
    id: uuid.UUID
    code: str
    name: str
    kind: str
    minutes: int
    bookable_online: bool


class SlotOut(Schema):
    start: dt.datetime
    end: dt.datetime
    practitioner: uuid.UUID
    room: uuid.UUID | None


class AvailabilityOut(Schema):
    slots: list[SlotOut]


class AvailabilityQuery(Schema):
    practitioner: uuid.UUID | None = Field(None, description="a practitioner's id; leave out for any practitioner")
    type: str = Field(..., description="an appointment type's id or code")
    from_: str | None = Field(None, alias="from", description="start: a date (local midnight) or an ISO datetime")
    to: str | None = Field(None, description="end: a date counts as the whole day, or an ISO datetime")


class AppointmentIn(Schema):
    patient: uuid.UUID
    practitioner: uuid.UUID
    type: str = Field(..., description="an appointment type's id or code")
    start: dt.datetime = Field(..., description="with its UTC offset, on the quarter hour")
    room: uuid.UUID | None = Field(None, description="leave out to take the first free room")
    note: str = Field("", max_length=300)
    override_reason: str = Field(
        "",
        max_length=200,
        description="why to book outside working hours, on a holiday or during leave; without it such a time is 409",
    )


class AppointmentMoveIn(Schema):
    start: dt.datetime = Field(..., description="the new start, with its UTC offset, on the quarter hour")
    practitioner: uuid.UUID | None = Field(None, description="move to this practitioner (default: the same)")
    room: uuid.UUID | None = Field(None, description="move to this room (default: the same, or the first free one)")
    override_reason: str = Field("", max_length=200, description="as for booking: needed outside the clinic's rules")


class AppointmentOut(Schema):
    id: uuid.UUID
    patient: uuid.UUID
    practitioner: uuid.UUID
    type: str
    room: uuid.UUID | None
    start: dt.datetime
    end: dt.datetime
    status: AppointmentStatus
    plan: uuid.UUID | None
    session: uuid.UUID | None = Field(None, description="the treatment session, once checked in")
    arrived_at: dt.datetime | None = None
    late_minutes: int = Field(0, description="minutes after the start that the patient arrived (0 if on time)")
    departed_at: dt.datetime | None = Field(None, description="set when the patient left before the booked end")
    early_minutes: int = Field(0, description="minutes before the booked end that the patient left")
    departure_note: str = ""
    override_reason: str = Field("", description="why staff booked it against the clinic's rules, if they did")
    warnings: list[str] = Field(default_factory=list, description="what the desk should know about this booking")


class CheckInIn(Schema):
    room: uuid.UUID | None = Field(None, description="a free room of the practitioner's location")


class NoShowIn(Schema):
    confirm_arrived: bool = Field(
        False, description="true records a no-show for a patient marked arrived (who left without being seen)"
    )


class DepartureIn(Schema):
    at: dt.datetime | None = Field(None, description="when the patient left (default now), with its UTC offset")
    note: str = Field("", max_length=200, description="what the patient said, e.g. 'felt faint, went home'")


class CourseSessionIn(Schema):
    start: dt.datetime
    practitioner: uuid.UUID
    room: uuid.UUID | None = None


class BookCourseIn(Schema):
    confirm: bool = Field(False, description="true books; false only proposes")
    first_day: dt.date | None = Field(None, description="first day to consider (default tomorrow)")
    preferred_time: dt.time | None = Field(None, description="local time of day to aim for")
    practitioner: uuid.UUID | None = Field(None, description="leave out for any practitioner")
    type: str | None = Field(None, description="appointment type id or code (default: treatment)")
    min_gap_days: int | None = Field(None, ge=1, le=14, description="days between sessions (default: the plan's)")
    sessions: list[CourseSessionIn] | None = Field(
        None, description="with confirm: book exactly these (an adjusted proposal) instead of the proposal"
    )


class CourseOut(Schema):
    plan: uuid.UUID
    booked: bool
    min_gap_days: int
    sessions_wanted: int
    proposal: list[SlotOut]
    unplaced: int
    problems: list[str]
    appointments: list[AppointmentOut]
