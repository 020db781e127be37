"""The public booking page: a visitor's request becomes a pending patient and a pending appointment."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from acupath.booking.enums import RequestStatus
from acupath.booking.models import OnlineRequest
from acupath.booking.tests.helpers import at, form_data
from acupath.clinic.selectors import clinic_zone
from acupath.core.models import AuditEvent
from acupath.patients.models import Patient, PatientStatus
from acupath.scheduling.enums import AppointmentStatus
from acupath.scheduling.models import Appointment
from acupath.scheduling.services import appointment_book
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db

BOOK = "/book/"


def test_public_page_opens_without_sign_in_and_offers_only_online_services(client, doc, initial, treatment):
    response = client.get(BOOK)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Initial consultation" in page
    assert str(treatment.public_id) not in page  # not bookable online
    assert "Dr Meera Iyer" in page


def test_choosing_a_service_loads_free_times_as_a_partial_in_fixed_queries(
    client, doc, second_doc, initial, django_assert_num_queries
):
    params = {"type": str(initial.public_id), "week": "1"}
    client.get(BOOK, params, HTTP_HX_REQUEST="true")  # warm the clinic's name and zone caches
    # clinic, practitioners, services, rooms, then availability: hours, breaks, leave, holidays,
    # practitioners' and rooms' bookings.
    with django_assert_num_queries(10):
        response = client.get(BOOK, params, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="slots"' in html and "<html" not in html
    assert "Dr Arvind Rao" in html  # "anyone": each time names whose it is
    assert len(re.findall(r'name="slot" value="([^"]+)"', html)) > 20
    assert 'value="waitlist"' in html and 'name="earliest"' in html  # "none suits me: waitlist"
    # More bookings in the diary do not mean more queries.
    patient = PatientFactory(clinic=doc.clinic)
    for hour in (9, 11, 14):
        appointment_book(actor=None, patient=patient, practitioner=doc, type=initial, start=at(week1(), hour))
    with django_assert_num_queries(10):
        client.get(BOOK, params, HTTP_HX_REQUEST="true")


def week1() -> dt.date:
    """A day in the picker's second week."""
    return timezone.localdate(timezone.now(), clinic_zone()) + dt.timedelta(days=8)


def test_visitor_request_creates_pending_patient_and_appointment_and_emails_a_manage_link(
    client, doc, initial, day_after_tomorrow, django_capture_on_commit_callbacks
):
    start = at(day_after_tomorrow, 10)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(BOOK, form_data(initial, doc, start, chosen=doc))
    assert response.status_code == 302
    assert "/book/m/" in response["Location"] and response["Location"].endswith("?new=1")

    request = OnlineRequest.objects.select_related("patient", "appointment").get()
    assert request.status == RequestStatus.PENDING
    assert request.patient.status == PatientStatus.PENDING
    assert request.patient.email == "kavya@example.in"
    assert request.appointment.status == AppointmentStatus.PENDING
    assert request.appointment.start == start
    assert request.appointment.room is not None
    assert request.reason.startswith("Low back pain")
    assert request.red_flag_urgency == ""

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["kavya@example.in"]
    assert "request" in message.subject.lower()
    assert "/book/m/" in message.body
    assert "Low back pain" not in message.body  # no health answers in e-mail
    assert AuditEvent.objects.filter(entity="online_request", via="online").exists()

    page = client.get(response["Location"]).content.decode()
    assert "Your request is sent" in page and "Kavya" in page


def test_any_practitioner_books_the_practitioner_of_the_chosen_time(
    client, doc, second_doc, initial, day_after_tomorrow
):
    response = client.post(BOOK, form_data(initial, second_doc, at(day_after_tomorrow, 11)))
    assert response.status_code == 302
    request = OnlineRequest.objects.get()
    assert request.practitioner is None
    assert request.appointment.practitioner == second_doc


def test_every_field_is_checked_with_a_clear_message_and_nothing_typed_is_lost(client, doc, initial):
    data = form_data(
        initial,
        doc,
        None,
        given_name="Kavya",
        family_name="",
        birth_date="2999-01-01",
        phone="call me",
        email="kavya-at-example",
        reason="",
        consent="",
    )
    del data["pain_duration"]
    del data["rf_bladder_dysfunction"]
    response = client.post(BOOK, data)
    assert response.status_code == 200
    page = response.content.decode()
    for message in (
        "Enter your family name (surname).",
        "Enter an e-mail address like name@example.com.",
        "Tell us in a few words why you would like to come.",
        "Choose how long the pain has lasted",
        "Answer yes or no to question 1.",
        "Tick the box so the clinic may keep your details",
        "Choose one of the free times, or choose to join the waitlist.",
        "Nothing you entered has been lost",
    ):
        assert message in page, message
    assert 'value="Kavya"' in page and 'value="call me"' in page and 'value="kavya-at-example"' in page
    assert not Patient.objects.exists()


def test_the_service_checks_the_rest_after_the_form(client, doc, initial, day_after_tomorrow):
    data = form_data(initial, doc, at(day_after_tomorrow, 10), birth_date="2999-01-01", phone="call me")
    page = client.post(BOOK, data).content.decode()
    assert "Date of birth cannot be in the future." in page
    assert "Enter a phone number of digits" in page
    assert not Patient.objects.exists()


def test_a_time_taken_meanwhile_is_refused_and_the_form_kept(client, doc, initial, day_after_tomorrow, clinic):
    start = at(day_after_tomorrow, 10)
    appointment_book(actor=None, patient=PatientFactory(clinic=clinic), practitioner=doc, type=initial, start=start)
    response = client.post(BOOK, form_data(initial, doc, start, reason="Sciatica since March"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "that time has just been taken" in page
    assert "Sciatica since March" in page
    assert Appointment.objects.count() == 1 and not OnlineRequest.objects.exists()


def test_a_time_not_offered_is_refused(client, doc, initial, day_after_tomorrow):
    data = form_data(initial, doc, at(day_after_tomorrow, 10))
    data["slot"] = "2020-01-01T04:30Z~" + str(doc.public_id)  # long past
    page = client.post(BOOK, data).content.decode()
    assert "can no longer be booked online" in page
    data["slot"] = "tomorrow at ten"
    assert "not one we offered" in client.post(BOOK, data).content.decode()
    assert not Appointment.objects.exists()


def test_a_cauda_equina_yes_books_nothing_says_go_to_emergency_and_the_clinic_sees_it(
    client, doc, initial, day_after_tomorrow, frontdesk, django_capture_on_commit_callbacks
):
    data = form_data(initial, doc, at(day_after_tomorrow, 10), rf_saddle_anaesthesia="yes")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(BOOK, data)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Urgent referral, same day: go to the emergency department now." in page
    assert not Appointment.objects.exists()
    request = OnlineRequest.objects.get()
    assert request.status == RequestStatus.REFERRED
    assert request.red_flag_urgency == "emergency"
    assert "emergency department" in mail.outbox[0].body

    client.force_login(frontdesk)
    desk = client.get(reverse("booking:requests")).content.decode()
    assert "Urgent referral, same day." in desk and "Hegde" in desk


def test_sexual_change_alone_books_but_flags_the_request_for_review(client, doc, initial, day_after_tomorrow):
    data = form_data(initial, doc, at(day_after_tomorrow, 10), rf_sexual_dysfunction="yes")
    assert client.post(BOOK, data).status_code == 302
    request = OnlineRequest.objects.get()
    assert request.status == RequestStatus.PENDING and request.red_flag_urgency == "urgent"
    assert request.appointment is not None


def test_a_filled_hidden_field_is_treated_as_a_robot(client, doc, initial, day_after_tomorrow):
    response = client.post(BOOK, form_data(initial, doc, at(day_after_tomorrow, 10), website="http://spam"))
    assert response.status_code == 400
    assert not Patient.objects.exists()


def test_the_no_script_show_times_button_keeps_everything_without_errors(client, doc, initial):
    data = form_data(initial, doc, None, action="show", reason="Stiff back")
    page = client.post(BOOK, data).content.decode()
    assert "Stiff back" in page and "Please check the highlighted fields" not in page
    assert 'name="slot" value="' in page  # the free times are listed
