"""factory_boy factories for the records most tests need."""

import datetime as dt

import factory
from django.utils import timezone

from acupath.accounts.models import Role, User
from acupath.clinic.models import AppointmentKind, AppointmentType, Clinic, Location, Practitioner, Room
from acupath.patients.domain.duplicates import phone_key
from acupath.patients.models import Patient

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.PRACTITIONER
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:
            instance.save()


class ClinicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Clinic
        django_get_or_create = ("name",)

    name = "Test Clinic"
    timezone = "Asia/Kolkata"


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    clinic = factory.SubFactory(ClinicFactory)
    name = factory.Sequence(lambda n: f"Location {n}")


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    location = factory.SubFactory(LocationFactory)
    name = factory.Sequence(lambda n: f"Room {n}")


class PractitionerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Practitioner

    clinic = factory.SubFactory(ClinicFactory)
    user = factory.SubFactory(UserFactory, role=Role.PRACTITIONER)
    display_name = factory.Sequence(lambda n: f"Dr Test {n}")


class AppointmentTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AppointmentType
        django_get_or_create = ("clinic", "code")

    clinic = factory.SubFactory(ClinicFactory)
    code = "treatment"
    name = "Treatment"
    kind = AppointmentKind.TREATMENT
    minutes = 45


class PatientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Patient

    clinic = factory.SubFactory(ClinicFactory)
    given_name = factory.Sequence(lambda n: f"Given{n}")
    family_name = factory.Sequence(lambda n: f"Family{n}")
    birth_date = dt.date(1980, 5, 17)
    sex = "female"
    phone = factory.Sequence(lambda n: f"+91 98450 {10000 + n % 90000:05d}")
    phone_key = factory.LazyAttribute(lambda p: phone_key(p.phone))
    email = factory.Sequence(lambda n: f"patient{n}@example.in")


def aware(y: int, m: int, d: int, h: int = 10, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(y, m, d, h, minute))
