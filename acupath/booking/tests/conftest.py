import datetime as dt

import pytest
from django.core.cache import caches
from django.utils import timezone

from acupath.clinic.models import AppointmentKind
from acupath.clinic.selectors import clinic_zone
from acupath.scheduling.models import WorkingHours
from tests.factories import AppointmentTypeFactory, PractitionerFactory, RoomFactory, UserFactory


@pytest.fixture(autouse=True)
def fresh_limits():
    """Rate-limit counters live in the shared (file) cache: start every test with none."""
    caches["shared"].clear()
    yield
    caches["shared"].clear()


@pytest.fixture
def initial(clinic):
    return AppointmentTypeFactory(
        clinic=clinic,
        code="initial",
        name="Initial consultation",
        kind=AppointmentKind.INITIAL,
        minutes=60,
        bookable_online=True,
    )


@pytest.fixture
def treatment(clinic):
    return AppointmentTypeFactory(clinic=clinic, code="treatment", name="Treatment", minutes=45, bookable_online=False)


def open_all_week(practitioner):
    WorkingHours.objects.bulk_create(
        WorkingHours(practitioner=practitioner, weekday=d, start=dt.time(9), end=dt.time(17)) for d in range(7)
    )
    return practitioner


@pytest.fixture
def doc(practitioner, room):
    """A practitioner working 09:00-17:00 every day, with one room."""
    practitioner.display_name = "Dr Meera Iyer"
    practitioner.save()
    return open_all_week(practitioner)


@pytest.fixture
def second_doc(clinic):
    return open_all_week(
        PractitionerFactory(clinic=clinic, display_name="Dr Arvind Rao", user=UserFactory(username="arvind"))
    )


@pytest.fixture
def day_after_tomorrow():
    return timezone.localdate(timezone.now(), clinic_zone()) + dt.timedelta(days=2)


@pytest.fixture
def extra_room(clinic, room):
    return RoomFactory(location=room.location, name="Room 2")
