"""The waitlist: cancelled times are offered by e-mail; the first to claim gets it, nobody is double-booked."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse

from acupath.booking.enums import OfferStatus, RequestStatus, WaitlistSource, WaitlistStatus
from acupath.booking.models import OnlineRequest, WaitlistEntry, WaitlistOffer
from acupath.booking.services import waitlist_join, waitlist_offer_claim, waitlist_offer_freed_slots
from acupath.booking.tests.helpers import at, form_data
from acupath.core.errors import Conflict
from acupath.scheduling.enums import AppointmentStatus
from acupath.scheduling.models import Appointment
from acupath.scheduling.services import appointment_book, appointment_cancel
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db

BASE = "http://testserver"


@pytest.fixture
def waiting(clinic, doc, initial, day_after_tomorrow):
    """Two patients waiting for an initial consultation with anyone around the day after tomorrow."""

    def join(**kwargs):
        return waitlist_join(
            actor=None,
            patient=kwargs.pop("patient", None) or PatientFactory(clinic=clinic),
            appointment_type=initial,
            practitioner=kwargs.pop("practitioner", None),
            earliest=kwargs.pop("earliest", day_after_tomorrow - dt.timedelta(days=1)),
            latest=kwargs.pop("latest", day_after_tomorrow + dt.timedelta(days=3)),
            source=WaitlistSource.DESK,
        )

    return join


@pytest.fixture
def freed(clinic, doc, initial, day_after_tomorrow):
    """A booked 10:00 appointment, then cancelled: its time is free again."""
    appointment = appointment_book(
        actor=None,
        patient=PatientFactory(clinic=clinic),
        practitioner=doc,
        type=initial,
        start=at(day_after_tomorrow, 10),
    )
    return appointment_cancel(actor=None, appointment=appointment)


def claim_path(message):
    return re.search(r"/book/claim/\S+/", message.body).group(0)


def test_a_visitor_joins_the_waitlist_from_the_public_page(
    client, doc, initial, day_after_tomorrow, django_capture_on_commit_callbacks
):
    data = form_data(
        initial,
        doc,
        None,
        slot="waitlist",
        earliest=day_after_tomorrow.isoformat(),
        latest=(day_after_tomorrow + dt.timedelta(days=7)).isoformat(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/book/", data)
    assert response.status_code == 302
    entry = WaitlistEntry.objects.select_related("request").get()
    assert entry.request.status == RequestStatus.WAITLISTED
    assert entry.source == WaitlistSource.ONLINE and entry.practitioner is None
    assert not Appointment.objects.exists()
    assert mail.outbox[-1].subject.startswith("You are on the waitlist")
    assert "on the waitlist" in client.get(response["Location"]).content.decode().lower()


def test_waitlist_dates_are_checked_with_clear_messages(client, doc, initial, day_after_tomorrow):
    data = form_data(initial, doc, None, slot="waitlist", earliest=day_after_tomorrow.isoformat(), latest="2020-01-01")
    page = client.post("/book/", data).content.decode()
    assert "The last day must be on or after the first day." in page
    data |= {"earliest": "", "latest": ""}
    assert "Enter the days that would suit you" in client.post("/book/", data).content.decode()
    assert not WaitlistEntry.objects.exists()


def test_freed_times_are_offered_to_everyone_they_suit_once(
    waiting, freed, doc, second_doc, day_after_tomorrow, django_capture_on_commit_callbacks
):
    first, second = waiting(), waiting(practitioner=doc)
    waiting(practitioner=second_doc)  # wants someone else
    waiting(earliest=day_after_tomorrow + dt.timedelta(days=1))  # not that day
    with django_capture_on_commit_callbacks(execute=True):
        offers = waitlist_offer_freed_slots(base_url=BASE)
    assert {o.entry for o in offers} == {first, second}
    assert all(o.start == freed.start and o.practitioner == doc for o in offers)
    assert len(mail.outbox) == 2
    assert all(m.subject.startswith("A time has come free") and "/book/claim/" in m.body for m in mail.outbox)
    # Running again sends nothing new.
    assert waitlist_offer_freed_slots(base_url=BASE) == []


def test_a_time_rebooked_before_the_offer_run_is_not_offered(waiting, freed, doc, initial, clinic):
    waiting()
    appointment_book(
        actor=None, patient=PatientFactory(clinic=clinic), practitioner=doc, type=initial, start=freed.start
    )
    assert waitlist_offer_freed_slots(base_url=BASE) == []


def test_the_first_claim_books_and_the_second_is_told_it_is_gone(waiting, freed):
    first, second = waiting(), waiting()
    offers = {o.entry_id: o for o in waitlist_offer_freed_slots(base_url=BASE)}
    appointment = waitlist_offer_claim(offer=offers[second.pk], base_url=BASE)
    assert appointment.patient == second.patient and appointment.start == freed.start
    assert appointment.status == AppointmentStatus.BOOKED  # a known patient from the desk
    late = WaitlistOffer.objects.get(pk=offers[first.pk].pk)
    assert late.status == OfferStatus.TAKEN
    with pytest.raises(Conflict, match="someone else claimed this time first"):
        waitlist_offer_claim(offer=late, base_url=BASE)
    assert Appointment.objects.filter(start=freed.start, status=AppointmentStatus.BOOKED).count() == 1
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.status == WaitlistStatus.BOOKED and first.status == WaitlistStatus.WAITING


def test_a_stale_open_offer_still_cannot_double_book(waiting, freed, clinic, doc, initial):
    entry = waiting()
    (offer,) = waitlist_offer_freed_slots(base_url=BASE)
    # Someone books the time at the desk after the offer went out, without touching the offer.
    appointment_book(
        actor=None, patient=PatientFactory(clinic=clinic), practitioner=doc, type=initial, start=freed.start
    )
    with pytest.raises(Conflict):
        waitlist_offer_claim(offer=offer, base_url=BASE)
    assert Appointment.objects.filter(start=freed.start).exclude(status=AppointmentStatus.CANCELLED).count() == 1
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.WAITING


def test_claiming_through_the_emailed_link(client, waiting, freed, django_capture_on_commit_callbacks):
    waiting(), waiting()
    with django_capture_on_commit_callbacks(execute=True):
        waitlist_offer_freed_slots(base_url=BASE)
    first_link, second_link = (claim_path(m) for m in mail.outbox[:2])
    page = client.get(first_link)
    assert page.status_code == 200 and "Claim this time" in page.content.decode()
    assert not Appointment.objects.exclude(status=AppointmentStatus.CANCELLED).exists()  # opening claims nothing
    assert "It is yours" in client.post(first_link).content.decode()
    refused = client.post(second_link)
    assert refused.status_code == 409
    assert "someone else claimed this time first" in refused.content.decode()
    tampered = first_link[:-3] + "xx/"
    assert client.get(tampered).status_code == 404


def test_an_online_visitor_claims_into_a_pending_request_the_clinic_confirms(
    client, doc, initial, day_after_tomorrow, freed, django_capture_on_commit_callbacks
):
    data = form_data(
        initial,
        doc,
        None,
        slot="waitlist",
        earliest=day_after_tomorrow.isoformat(),
        latest=day_after_tomorrow.isoformat(),
    )
    client.post("/book/", data)
    with django_capture_on_commit_callbacks(execute=True):
        waitlist_offer_freed_slots(base_url=BASE)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(claim_path(mail.outbox[-1]))
    request = OnlineRequest.objects.select_related("appointment").get()
    assert request.status == RequestStatus.PENDING
    assert request.appointment.start == freed.start and request.appointment.status == AppointmentStatus.PENDING
    assert mail.outbox[-1].subject.startswith("Your appointment request")


def test_a_visitor_cancelling_online_offers_the_time_to_the_waitlist(
    client, doc, initial, day_after_tomorrow, waiting, django_capture_on_commit_callbacks
):
    client.post("/book/", form_data(initial, doc, at(day_after_tomorrow, 10)))
    entry = waiting()
    request = OnlineRequest.objects.get()
    from acupath.booking.services import online_request_cancel

    with django_capture_on_commit_callbacks(execute=True):
        online_request_cancel(request=request, base_url=BASE)
    offer = WaitlistOffer.objects.get()
    assert offer.entry == entry and offer.start == at(day_after_tomorrow, 10)


def test_the_offer_command_runs_the_same_service(waiting, freed, capsys):
    from django.core.management import call_command

    waiting()
    call_command("waitlist_offer")
    assert "1 offer(s) sent." in capsys.readouterr().out


def test_the_desk_adds_a_known_patient_and_removes_them(client, frontdesk, patient, initial, day_after_tomorrow):
    client.force_login(frontdesk)
    url = reverse("booking:waitlist_add", kwargs={"patient_id": patient.public_id})
    bad = client.post(url, {"type": initial.pk, "earliest": day_after_tomorrow.isoformat(), "latest": "2020-01-01"})
    assert "The last day must be on or after the first day." in bad.content.decode()
    client.post(
        url,
        {
            "type": initial.pk,
            "earliest": day_after_tomorrow.isoformat(),
            "latest": (day_after_tomorrow + dt.timedelta(days=5)).isoformat(),
        },
    )
    entry = WaitlistEntry.objects.get()
    assert entry.patient == patient and entry.source == WaitlistSource.DESK
    assert "Rao" in client.get(reverse("booking:waitlist")).content.decode()
    client.post(reverse("booking:waitlist_remove", kwargs={"entry_id": entry.public_id}))
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.REMOVED


def test_a_patient_cannot_put_anyone_on_the_waitlist(client, patient_user, clinic, initial, day_after_tomorrow):
    other = PatientFactory(clinic=clinic)
    client.force_login(patient_user)
    url = reverse("booking:waitlist_add", kwargs={"patient_id": other.public_id})
    assert client.get(url).status_code == 404
    assert client.post(reverse("booking:waitlist_offer_now")).status_code == 403
