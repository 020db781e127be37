import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from acupath.clinic.selectors import clinic_zone
from acupath.scheduling.models import Break, Holiday, WorkingHours
from acupath.scheduling.selectors import diary_load, rooms_for
from acupath.scheduling.services import appointment_book
from tests.factories import AppointmentTypeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def monday(clinic):
    today = timezone.localdate()
    return today + dt.timedelta(days=7 - today.weekday())  # next Monday


@pytest.fixture
def rota(practitioner):
    WorkingHours.objects.create(practitioner=practitioner, weekday=0, start=dt.time(9), end=dt.time(12))
    Break.objects.create(practitioner=practitioner, weekday=0, start=dt.time(10), end=dt.time(10, 30))
    return practitioner


def local(day, hour, minute=0):
    """A wall-clock time in the clinic's zone (the test clinic is in Asia/Kolkata)."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=ZoneInfo("Asia/Kolkata"))


def test_availability_honours_hours_breaks_bookings_and_holidays(rota, patient, room, monday, clinic):
    treatment = AppointmentTypeFactory(clinic=clinic, minutes=45)
    window = (local(monday, 0), local(monday + dt.timedelta(days=1), 0))
    starts = [
        s.start.time()
        for s in diary_load(practitioners=[rota], appointment_type=treatment, start=window[0], end=window[1]).slots()
    ]
    assert starts[0] == dt.time(9) and dt.time(9, 30) not in starts  # 09:30+45 runs into the 10:00 break
    assert dt.time(10, 30) in starts and starts[-1] == dt.time(11, 15)

    appointment_book(actor=rota.user, patient=patient, practitioner=rota, type=treatment, start=local(monday, 10, 30))
    starts = [
        s.start.time()
        for s in diary_load(practitioners=[rota], appointment_type=treatment, start=window[0], end=window[1]).slots()
    ]
    assert dt.time(10, 30) not in starts and dt.time(11) not in starts and dt.time(11, 15) in starts

    Holiday.objects.create(clinic=clinic, day=monday, name="Closed")
    assert diary_load(practitioners=[rota], appointment_type=treatment, start=window[0], end=window[1]).slots() == []


def test_availability_query_count_does_not_grow_with_bookings(rota, room, monday, clinic, django_assert_num_queries):
    from tests.factories import PatientFactory

    treatment = AppointmentTypeFactory(clinic=clinic, minutes=15)
    window = (local(monday, 0), local(monday + dt.timedelta(days=1), 0))
    for minute in (0, 15, 30):
        appointment_book(
            actor=rota.user,
            patient=PatientFactory(clinic=clinic),
            practitioner=rota,
            type=treatment,
            start=local(monday, 9, minute),
            room=room,
        )
    clinic_zone()  # cached per process: warm in a running server
    with django_assert_num_queries(7):
        diary_load(
            practitioners=[rota],
            appointment_type=treatment,
            start=window[0],
            end=window[1],
            rooms=[room],
            patient=PatientFactory.build(pk=999999),
        ).slots()


def test_rooms_for_keeps_a_practitioner_to_their_own_location(clinic, practitioner, room):
    from tests.factories import LocationFactory, PractitionerFactory, RoomFactory

    branch = LocationFactory(clinic=clinic, name="Koramangala")
    branch_rooms = [RoomFactory(location=branch, position=i) for i in range(2)]
    RoomFactory(location=branch, active=False)
    visiting = PractitionerFactory(clinic=clinic, location=branch)

    assert rooms_for([visiting]) == branch_rooms
    # No location: any active room of the clinic, in the board's order.
    assert rooms_for([practitioner]) == [room, *branch_rooms]
    assert rooms_for([practitioner, visiting]) == [room, *branch_rooms]
    assert rooms_for([]) == []


def test_a_day_of_the_diary_finds_what_the_whole_window_finds(rota, patient, room, monday, clinic):
    """The course engine searches day by day; each day must match the search of the whole window."""
    from tests.factories import PatientFactory

    WorkingHours.objects.create(practitioner=rota, weekday=1, start=dt.time(14), end=dt.time(18))
    treatment = AppointmentTypeFactory(clinic=clinic, minutes=45)
    tuesday = monday + dt.timedelta(days=1)
    other = PatientFactory(clinic=clinic)
    appointment_book(
        actor=rota.user, patient=other, practitioner=rota, type=treatment, start=local(monday, 9), room=room
    )
    appointment_book(actor=rota.user, patient=patient, practitioner=rota, type=treatment, start=local(tuesday, 15))
    diary = diary_load(
        practitioners=[rota],
        appointment_type=treatment,
        start=local(monday, 0),
        end=local(monday + dt.timedelta(days=14), 0),
        patient=patient,
        rooms=[room],
    )
    whole = diary.slots()
    days = [monday + dt.timedelta(days=n) for n in range(14)]
    assert [s for d in days for s in diary.day(d)] == whole
    assert [s.start.time() for s in diary.day(monday)] == [
        dt.time(10, 30),
        dt.time(10, 45),
        dt.time(11),
        dt.time(11, 15),
    ]
    # The patient's own booking at 15:00 on Tuesday keeps the 14:30 to 15:30 starts off their list.
    assert [s.start.time() for s in diary.day(tuesday)] == [
        dt.time(14),
        dt.time(14, 15),
        dt.time(15, 45),
        dt.time(16),
        dt.time(16, 15),
        dt.time(16, 30),
        dt.time(16, 45),
        dt.time(17),
        dt.time(17, 15),
    ]
    assert diary.day(monday + dt.timedelta(days=2)) == []
