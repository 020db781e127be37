"""The visit on the Today page: arrived, waiting with minutes, check in to a room, did-not-attend warned."""

import datetime as dt

import pytest
from django.utils import timezone

from acupath.scheduling.enums import AppointmentStatus
from acupath.scheduling.models import Appointment
from tests.consents import sign_consent
from tests.factories import AppointmentTypeFactory, ClinicFactory, LocationFactory, PatientFactory, RoomFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(clinic, practitioner):
    site = LocationFactory(clinic=clinic, name="Indiranagar")
    practitioner.location = site
    practitioner.save()
    RoomFactory(location=site, name="Room 1")
    RoomFactory(location=site, name="Room 2")
    return site


@pytest.fixture
def booked(clinic, practitioner, site):
    start = timezone.now().replace(second=0, microsecond=0) - dt.timedelta(minutes=10)
    patient = PatientFactory(clinic=clinic, given_name="Meera", family_name="Iyer")
    sign_consent(patient)  # check-in opens the session, which needs the course's consent
    return Appointment.objects.create(
        patient=patient,
        practitioner=practitioner,
        type=AppointmentTypeFactory(clinic=clinic),
        start=start,
        end=start + dt.timedelta(minutes=45),
    )


def post(client, booked, action, **data):
    return client.post(f"/schedule/appointments/{booked.public_id}/{action}/", {"next": "/", **data}, follow=True)


def test_the_desk_marks_arrived_sees_the_wait_and_checks_in_to_a_free_room(signed_in, frontdesk, booked, site):
    client = signed_in(frontdesk)
    page = client.get("/").content.decode()
    assert "Nobody is waiting." in page and ">Arrived</button>" in page
    page = post(client, booked, "arrive").content.decode()
    assert "Meera Iyer has arrived" in page and "waiting 0 min" in page and "10 min late" in page
    Appointment.objects.filter(pk=booked.pk).update(arrived_at=timezone.now() - dt.timedelta(minutes=12))
    page = client.get("/").content.decode()
    assert "waiting 12 min" in page and "Room 1</option>" in page and "Room 2</option>" in page
    room = site.rooms.get(name="Room 2")
    page = post(client, booked, "check-in", room=str(room.public_id)).content.decode()
    assert "checked in to Room 2" in page and "In session" in page
    booked.refresh_from_db()
    assert booked.status == AppointmentStatus.IN_SESSION and booked.session.room == room


def test_the_practitioners_tablet_shows_who_is_waiting_for_them(signed_in, frontdesk, practitioner, booked):
    post(signed_in(frontdesk), booked, "arrive")
    page = signed_in(practitioner.user).get("/").content.decode()
    assert "Waiting for you" in page and "Meera Iyer" in page and "waiting 0 min" in page


def test_did_not_attend_for_an_arrived_patient_asks_to_confirm(signed_in, frontdesk, booked):
    client = signed_in(frontdesk)
    post(client, booked, "arrive")
    page = client.get("/").content.decode()
    assert "Record a no-show only if they left without being seen" in page
    url = f"/followup/appointments/{booked.public_id}/no-show/"
    page = client.post(url, {"next": "/"}, follow=True).content.decode()
    assert "was marked arrived at" in page
    assert Appointment.objects.get(pk=booked.pk).status == AppointmentStatus.ARRIVED
    client.post(url, {"next": "/", "confirm_arrived": "1"})
    assert Appointment.objects.get(pk=booked.pk).status == AppointmentStatus.NO_SHOW


def test_a_check_in_refusal_is_said_and_the_patient_keeps_waiting(signed_in, frontdesk, booked, clinic):
    client = signed_in(frontdesk)
    post(client, booked, "arrive")
    far = RoomFactory(location=LocationFactory(clinic=clinic, name="Far"), name="Far room")
    page = post(client, booked, "check-in", room=str(far.public_id)).content.decode()
    assert "is not where" in page
    assert Appointment.objects.get(pk=booked.pk).status == AppointmentStatus.ARRIVED


def test_a_left_early_departure_is_recorded_from_today(signed_in, frontdesk, booked, site):
    client = signed_in(frontdesk)
    post(client, booked, "arrive")
    post(client, booked, "check-in", room=str(site.rooms.first().public_id))
    page = post(client, booked, "departure", note="Felt faint").content.decode()
    assert "left early" in page and "min early" in page
    assert Appointment.objects.get(pk=booked.pk).departure_note == "Felt faint"


def test_visit_buttons_of_another_clinics_appointment_are_not_found(signed_in, frontdesk, practitioner):
    other = ClinicFactory(name="Other Clinic")
    start = timezone.now()
    a = Appointment.objects.create(
        patient=PatientFactory(clinic=other),
        practitioner=practitioner,
        type=AppointmentTypeFactory(clinic=other),
        start=start,
        end=start + dt.timedelta(minutes=45),
    )
    client = signed_in(frontdesk)
    for action in ("arrive", "check-in", "departure"):
        assert client.post(f"/schedule/appointments/{a.public_id}/{action}/").status_code == 404


def test_a_patient_cannot_press_the_visit_buttons(signed_in, patient_user, booked):
    client = signed_in(patient_user)
    for action in ("arrive", "check-in", "departure"):
        assert client.post(f"/schedule/appointments/{booked.public_id}/{action}/").status_code == 404
