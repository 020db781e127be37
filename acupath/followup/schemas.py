import datetime as dt
import uuid

from ninja import Schema


class PersonRef(Schema):
    id: uuid.UUID
    name: str


class ScoreChangeOut(Schema):
    instrument: str
    best: float
    latest: float
    mcid: float


class WatchItemOut(Schema):
    patient: PersonRef
    reason: str  # "worse" or "overdue" (worse when both apply)
    reasons: list[str]
    detail: str
    last_visit: dt.date | None
    due: dt.date | None
    next_booking: dt.datetime | None
    practitioner: PersonRef | None
    scores: list[ScoreChangeOut] | None  # only for roles that may read clinical notes


class WatchPage(Schema):
    items: list[WatchItemOut]
    count: int
