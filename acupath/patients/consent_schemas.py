import datetime as dt
import uuid

from ninja import Field, Schema

from acupath.patients.consent_models import ConsentChannel, ConsentKind, SignatureKind
from acupath.patients.domain.consent import IMAGE_MAX_BYTES, NAME_MAX, REASON_MAX

# A PNG data URL of IMAGE_MAX_BYTES, base64-encoded, plus its prefix; the service checks the rest.
SIGNATURE_MAX_CHARS = (IMAGE_MAX_BYTES * 4) // 3 + 64


class ConsentIn(Schema):
    kind: ConsentKind
    signed_by: str = Field(min_length=1, max_length=NAME_MAX, description="Full name of the person signing.")
    signature: str = Field(
        min_length=1,
        max_length=SIGNATURE_MAX_CHARS,
        description="A drawn signature as a PNG data URL (data:image/png;base64,...), or the typed name.",
    )
    text_version: int | None = Field(None, description="The text version shown to the patient, if known.")


class ConsentWithdrawIn(Schema):
    reason: str = Field("", max_length=REASON_MAX)


class ConsentOut(Schema):
    id: uuid.UUID = Field(alias="public_id")
    kind: ConsentKind
    text_version: int = Field(alias="text.version")
    text_title: str = Field(alias="text.title")
    signed_by: str
    signed_at: dt.datetime
    signature_kind: SignatureKind
    channel: ConsentChannel
    withdrawn_at: dt.datetime | None
    withdrawn_reason: str


class ConsentTextOut(Schema):
    kind: ConsentKind
    version: int
    title: str
    body: str
    statement: str
    created_at: dt.datetime
