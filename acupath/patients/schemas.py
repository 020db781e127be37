import datetime as dt
import uuid

from ninja import Field, Schema

from acupath.patients.enums import ContactChannel, DuplicateReason, IdentifierType, Language, PatientStatus, Sex
from acupath.patients.models import PatientMerge


class PatientDetailsIn(Schema):
    given_name: str = Field(min_length=1, max_length=80)
    family_name: str = Field(min_length=1, max_length=80)
    birth_date: dt.date
    sex: Sex  # required: no default, "not_stated" is "prefer not to say"
    phone: str = Field("", max_length=30)
    email: str = Field("", max_length=254)
    address: str = Field("", max_length=1000)
    city: str = Field("", max_length=80)
    postal_code: str = Field("", max_length=12)
    emergency_name: str = Field("", max_length=120)
    emergency_relationship: str = Field("", max_length=60)
    emergency_phone: str = Field("", max_length=30)
    referrer_name: str = Field("", max_length=120)
    referrer_practice: str = Field("", max_length=160)
    referrer_contact: str = Field("", max_length=160)
    identifier_type: IdentifierType | None = None
    identifier: str = Field("", max_length=40)
    language: Language | None = None
    contact_channel: ContactChannel | None = None
    reminders_email: bool = False
    reminders_sms: bool = False
    reminders_whatsapp: bool = False
    desk_notes: str = Field("", max_length=2000)


class PatientIn(PatientDetailsIn):
    # Register although likely duplicates exist (the caller has shown them and the user said none is this patient).
    confirm_new: bool = False


class PatientOut(Schema):
    id: uuid.UUID = Field(alias="public_id")
    given_name: str
    family_name: str
    birth_date: dt.date
    sex: Sex
    phone: str
    email: str
    status: PatientStatus


class PatientRecordOut(PatientOut):
    """One patient with everything the clinic keeps on them."""

    address: str
    city: str
    postal_code: str
    emergency_name: str
    emergency_relationship: str
    emergency_phone: str
    referrer_name: str
    referrer_practice: str
    referrer_contact: str
    identifier_type: IdentifierType | None = None
    identifier: str
    language: Language | None = None
    contact_channel: ContactChannel | None = None
    reminders_email_since: dt.datetime | None
    reminders_sms_since: dt.datetime | None
    reminders_whatsapp_since: dt.datetime | None
    desk_notes: str
    duplicate_suspected: bool

    @staticmethod
    def resolve_identifier_type(obj: object) -> str | None:
        return getattr(obj, "identifier_type", "") or None

    @staticmethod
    def resolve_language(obj: object) -> str | None:
        return getattr(obj, "language", "") or None

    @staticmethod
    def resolve_contact_channel(obj: object) -> str | None:
        return getattr(obj, "contact_channel", "") or None


class PatientPage(Schema):
    items: list[PatientOut]
    count: int


class DuplicateCandidateOut(Schema):
    patient: PatientOut
    reasons: list[DuplicateReason]


class DuplicatesOut(Schema):
    detail: str
    candidates: list[DuplicateCandidateOut]


class MergeIn(Schema):
    merged: uuid.UUID  # the record whose history moves onto the survivor (the path's patient)
    reason: str = Field("", max_length=300)


class MergeOut(Schema):
    id: uuid.UUID = Field(alias="public_id")
    survivor: uuid.UUID
    merged: uuid.UUID
    moved: dict[str, int]  # "app.Model.field" -> rows moved
    login_moved: bool
    created_at: dt.datetime
    reversed_at: dt.datetime | None

    @staticmethod
    def resolve_survivor(obj: PatientMerge) -> uuid.UUID:
        return obj.survivor.public_id

    @staticmethod
    def resolve_merged(obj: PatientMerge) -> uuid.UUID:
        return obj.merged.public_id

    @staticmethod
    def resolve_moved(obj: PatientMerge) -> dict[str, int]:
        return {label: len(pks) for label, pks in obj.moved.items()}
