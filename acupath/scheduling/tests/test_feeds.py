"""The per-practitioner subscription feed: token-only access, initials only, right local times."""

import datetime as dt

import icalendar
import pytest
from django.test import Client

from acupath.accounts.models import Role
from acupath.clinic.selectors import clinic_zone
from acupath.scheduling.models import CalendarFeed
from acupath.scheduling.services import appointment_book, appointment_cancel
from acupath.scheduling.services.feeds import feed_rotate
from acupath.scheduling.tests.helpers import local, monday_after
from tests.factories import AppointmentTypeFactory, PatientFactory, PractitionerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked(practitioner, patient, clinic, room):
    treatment = AppointmentTypeFactory(clinic=clinic)
    monday = monday_after(1)
    kept = appointment_book(
        actor=None, patient=patient, practitioner=practitioner, type=treatment, start=local(monday, 10), room=room
    )
    dropped = appointment_book(
        actor=None,
        patient=PatientFactory(clinic=clinic, given_name="Ravi", family_name="Shankar"),
        practitioner=practitioner,
        type=treatment,
        start=local(monday, 15, 30),
    )
    appointment_cancel(actor=None, appointment=dropped)
    return kept, dropped


def test_feed_parses_with_local_times_and_initials_only(practitioner, booked, django_assert_num_queries):
    kept, dropped = booked
    feed = feed_rotate(actor=practitioner.user, practitioner=practitioner)
    client = Client()  # no session
    clinic_zone()  # the clinic's zone is cached for every request; warm it so the count is the feed's own
    with django_assert_num_queries(2):  # the feed, then its appointments
        response = client.get(f"/feeds/{feed.token}.ics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    text = response.content.decode()
    assert "Rao" not in text and "Shankar" not in text and "Asha" not in text  # no names, initials only
    calendar = icalendar.Calendar.from_ical(response.content)
    events = {str(e["UID"]): e for e in calendar.events}
    event = events[f"{kept.public_id}@acupath"]
    assert str(event["SUMMARY"]) == "Treatment · Patient A. R."
    assert event.start == kept.start and event.start.tzinfo.key == "Asia/Kolkata" and event.start.hour == 10
    assert "TZID=Asia/Kolkata:" in text and "BEGIN:VTIMEZONE" in text
    assert str(events[f"{dropped.public_id}@acupath"]["STATUS"]) == "CANCELLED"


def test_a_wrong_token_is_not_found_and_rotation_retires_the_old_one(practitioner, booked):
    feed = feed_rotate(actor=practitioner.user, practitioner=practitioner)
    old = feed.token
    client = Client()
    assert client.get("/feeds/not-a-real-token.ics").status_code == 404
    assert client.get(f"/feeds/{old}x.ics").status_code == 404
    rotated = feed_rotate(actor=practitioner.user, practitioner=practitioner)
    assert rotated.token != old and len(rotated.token) >= 43
    assert client.get(f"/feeds/{old}.ics").status_code == 404
    assert client.get(f"/feeds/{rotated.token}.ics").status_code == 200


def test_feed_query_count_does_not_grow(practitioner, clinic, django_assert_num_queries):
    treatment = AppointmentTypeFactory(clinic=clinic)
    for day in range(5):
        appointment_book(
            actor=None,
            patient=PatientFactory(clinic=clinic),
            practitioner=practitioner,
            type=treatment,
            start=local(monday_after(1) + dt.timedelta(days=day), 11),
        )
    feed = feed_rotate(actor=None, practitioner=practitioner)
    clinic_zone()
    with django_assert_num_queries(2):
        assert Client().get(f"/feeds/{feed.token}.ics").status_code == 200


def test_only_the_practitioner_or_owner_sees_the_feed_address(signed_in, practitioner, owner, frontdesk, clinic):
    url = f"/schedule/feeds/{practitioner.public_id}/"
    other = PractitionerFactory(clinic=clinic, user=UserFactory(username="other", role=Role.PRACTITIONER))
    assert signed_in(other.user).get(url).status_code == 403
    assert signed_in(frontdesk).get(url).status_code == 403
    assert signed_in(owner).get(url).status_code == 200
    client = signed_in(practitioner.user)
    assert client.post(url).status_code == 302
    feed = CalendarFeed.objects.get(practitioner=practitioner)
    page = client.get(url).content.decode()
    assert f"/feeds/{feed.token}.ics" in page


def test_a_patient_cannot_open_the_feed_settings(signed_in, patient_user, practitioner):
    assert signed_in(patient_user).get(f"/schedule/feeds/{practitioner.public_id}/").status_code == 403
