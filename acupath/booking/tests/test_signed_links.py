"""Cancelling and moving through the signed link in the e-mail; altered or old links are refused."""

import re
import time
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse

from acupath.booking.enums import RequestStatus
from acupath.booking.links import MANAGE_SALT, make_token
from acupath.booking.models import OnlineRequest
from acupath.booking.selectors import slot_value
from acupath.booking.services import online_request_confirm
from acupath.booking.tests.helpers import at, form_data
from acupath.scheduling.enums import AppointmentStatus
from acupath.scheduling.models import Appointment, SlotClaim

pytestmark = pytest.mark.django_db


@pytest.fixture
def requested(client, doc, initial, day_after_tomorrow, django_capture_on_commit_callbacks):
    """A visitor's pending request for 10:00 the day after tomorrow, and the link from their e-mail."""
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/book/", form_data(initial, doc, at(day_after_tomorrow, 10)))
    link = re.search(r"https?://\S+/book/m/\S+/", mail.outbox[-1].body).group(0)
    path = link.split("testserver", 1)[1]
    return OnlineRequest.objects.select_related("appointment").get(), path


def token_of(path):
    return path.rstrip("/").split("/")[-1]


def test_the_emailed_link_opens_the_visitors_request(client, requested):
    _, path = requested
    page = client.get(path).content.decode()
    assert "Initial consultation" in page and "Kavya Hegde" in page
    assert "Cancel this appointment" in page and "Choose another time" in page


def test_cancelling_through_the_link_frees_the_time_and_confirms_by_email(
    client, requested, django_capture_on_commit_callbacks
):
    request, path = requested
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(path)
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.CANCELLED
    assert Appointment.objects.get().status == AppointmentStatus.CANCELLED
    assert not SlotClaim.objects.exists()
    assert mail.outbox[-1].subject.startswith("Cancelled")
    # The link still opens, but offers nothing more to cancel.
    page = client.get(path).content.decode()
    assert "Cancel this appointment" not in page and "Book another time" in page
    assert client.post(path).status_code == 200  # a second cancel is answered, not repeated
    assert Appointment.objects.filter(status=AppointmentStatus.CANCELLED).count() == 1


@pytest.mark.parametrize(
    "alter",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # signature changed
        lambda t: t.replace(t.split(":")[0], "eyJ4IjoxfQ"),  # payload swapped
        lambda t: t.split(":")[0],  # signature cut off
        lambda t: "not-a-token",
    ],
)
def test_an_altered_link_is_refused_and_changes_nothing(client, requested, alter):
    request, path = requested
    bad = reverse("booking:manage", kwargs={"token": alter(token_of(path))})
    assert client.get(bad).status_code == 404
    assert client.post(bad).status_code == 404
    move = reverse("booking:move", kwargs={"token": alter(token_of(path))})
    assert client.get(move).status_code == 404
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING
    assert Appointment.objects.get().status == AppointmentStatus.PENDING


def test_an_expired_link_is_refused_with_a_plain_message(client, requested, settings):
    request, _ = requested
    settings.BOOKING_LINK_MAX_AGE_DAYS = 30
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 31 * 86400):
        old = make_token(request.public_id, MANAGE_SALT)
    response = client.post(reverse("booking:manage", kwargs={"token": old}))
    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()
    assert Appointment.objects.get().status == AppointmentStatus.PENDING
    fresh = make_token(request.public_id, MANAGE_SALT)
    assert client.get(reverse("booking:manage", kwargs={"token": fresh})).status_code == 200


def test_a_link_signed_for_another_purpose_is_refused(client, requested):
    request, _ = requested
    claim_salted = make_token(request.public_id, "acupath.booking.claim")
    assert client.get(reverse("booking:manage", kwargs={"token": claim_salted})).status_code == 404


def test_moving_through_the_link_books_the_new_time_and_frees_the_old(
    client, requested, doc, day_after_tomorrow, django_capture_on_commit_callbacks
):
    request, path = requested
    move = path + "move/"
    page = client.get(move).content.decode()
    assert 'name="slot" value="' in page
    assert 'value="waitlist"' not in page  # moving offers times only
    partial = client.get(move, {"practitioner": str(doc.public_id), "week": "1"}, HTTP_HX_REQUEST="true")
    assert 'name="slot" value="' in partial.content.decode() and 'value="waitlist"' not in partial.content.decode()
    # Half an hour later overlaps the old time: it is offered, and the patient's own old claim
    # must not block it.
    new_start = at(day_after_tomorrow, 10, 30)
    assert slot_value(new_start, doc) in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(move, {"practitioner": str(doc.public_id), "slot": slot_value(new_start, doc)})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.appointment.start == new_start
    assert request.appointment.status == AppointmentStatus.PENDING
    assert Appointment.objects.filter(status=AppointmentStatus.CANCELLED).count() == 1
    assert mail.outbox[-1].subject.startswith("Your new appointment time")
    assert SlotClaim.objects.filter(appointment__status=AppointmentStatus.CANCELLED).count() == 0


def test_a_confirmed_appointment_stays_confirmed_when_moved(client, requested, doc, frontdesk, day_after_tomorrow):
    request, path = requested
    online_request_confirm(actor=frontdesk, request=request, base_url="http://testserver")
    new_start = at(day_after_tomorrow, 14)
    client.post(path + "move/", {"practitioner": str(doc.public_id), "slot": slot_value(new_start, doc)})
    request.refresh_from_db()
    assert request.status == RequestStatus.CONFIRMED
    assert request.appointment.start == new_start and request.appointment.status == AppointmentStatus.BOOKED


def test_moving_to_a_taken_time_keeps_the_old_appointment(client, requested, doc, initial, day_after_tomorrow, clinic):
    from acupath.scheduling.services import appointment_book
    from tests.factories import PatientFactory

    request, path = requested
    taken = at(day_after_tomorrow, 15)
    appointment_book(actor=None, patient=PatientFactory(clinic=clinic), practitioner=doc, type=initial, start=taken)
    response = client.post(path + "move/", {"practitioner": str(doc.public_id), "slot": slot_value(taken, doc)})
    assert response.status_code == 200
    assert "that time has just been taken" in response.content.decode()
    request.refresh_from_db()
    assert request.appointment.start == at(day_after_tomorrow, 10)
    assert request.appointment.status == AppointmentStatus.PENDING
