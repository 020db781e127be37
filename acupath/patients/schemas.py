import datetime as dt
import uuid

from ninja import Field, Schema

from acupath.patients.models import Sex


class PatientIn(Schema):
    given_name: str = Field(min_length=1, max_length=80)
    family_name: str = Field(min_length=1, max_length=80)
    birth_date: dt.date
    sex: Sex
    phone: str = Field("", max_length=30)
    email: str = Field("", max_length=254)


class PatientOut(Schema):
    id: uuid.UUID = Field(alias="public_id")
    given_name: str
    family_name: str
    birth_date: dt.date
    sex: str
    phone: str
    email: str
    status: str


class PatientPage(Schema):
    items: list[PatientOut]
    count: int
