import datetime as dt

import pytest
from django.utils import timezone

from acupath.core.errors import Conflict, ServiceError
from acupath.scheduling.models import Appointment, SlotClaim
from acupath.scheduling.services import appointment_book, appointment_cancel
from tests.factories import AppointmentTypeFactory, PatientFactory, PractitionerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def start():
    return (timezone.now() + dt.timedelta(days=2)).replace(hour=5, minute=30, second=0, microsecond=0)


@pytest.fixture
def treatment(clinic):
    return AppointmentTypeFactory(clinic=clinic)


def book(patient, practitioner, treatment, start, room=None):
    return appointment_book(
        actor=practitioner.user, patient=patient, practitioner=practitioner, type=treatment, start=start, room=room
    )


def test_booking_claims_every_quarter_for_practitioner_room_and_patient(patient, practitioner, treatment, start, room):
    appointment = book(patient, practitioner, treatment, start, room)
    assert appointment.end - appointment.start == dt.timedelta(minutes=45)
    assert SlotClaim.objects.filter(appointment=appointment).count() == 3 * 3


def test_overlapping_booking_of_the_same_practitioner_is_refused(patient, practitioner, treatment, start, clinic):
    book(patient, practitioner, treatment, start)
    with pytest.raises(Conflict, match="already booked"):
        book(PatientFactory(clinic=clinic), practitioner, treatment, start + dt.timedelta(minutes=30))
    assert Appointment.objects.count() == 1


def test_the_same_patient_cannot_be_in_two_places(patient, practitioner, treatment, start, clinic):
    book(patient, practitioner, treatment, start)
    with pytest.raises(Conflict, match="patient already has an appointment"):
        book(patient, PractitionerFactory(clinic=clinic), treatment, start)


def test_cancelling_frees_the_slot(patient, practitioner, treatment, start, clinic):
    appointment_cancel(actor=practitioner.user, appointment=book(patient, practitioner, treatment, start))
    assert book(PatientFactory(clinic=clinic), practitioner, treatment, start).pk


def test_start_off_the_quarter_hour_is_refused(patient, practitioner, treatment, start):
    with pytest.raises(ServiceError, match="quarter hour"):
        book(patient, practitioner, treatment, start + dt.timedelta(minutes=7))


def test_booking_in_the_past_is_refused(patient, practitioner, treatment, start):
    with pytest.raises(ServiceError, match="passed"):
        book(patient, practitioner, treatment, start - dt.timedelta(days=5))


def test_a_course_is_booked_with_the_practitioner_the_patient_last_saw(patient, practitioner, treatment, start, clinic):
    from acupath.scheduling.selectors.lookups import course_practitioners

    other = PractitionerFactory(clinic=clinic)
    assert {p.pk for p in course_practitioners(patient)} == {practitioner.pk, other.pk}  # no history: anyone
    book(patient, other, treatment, start)
    assert course_practitioners(patient) == [other]
