"""The front desk confirms or declines online requests; only staff who book may see them."""

import pytest
from django.core import mail
from django.urls import reverse

from acupath.accounts.models import Role
from acupath.booking.enums import RequestStatus
from acupath.booking.models import OnlineRequest
from acupath.booking.tests.helpers import at, form_data
from acupath.core.errors import Conflict
from acupath.patients.models import PatientStatus
from acupath.scheduling.enums import AppointmentStatus
from acupath.scheduling.models import SlotClaim
from tests.factories import PatientFactory, UserFactory

pytestmark = pytest.mark.django_db


def send(client, initial, doc, start, **changes):
    assert client.post("/book/", form_data(initial, doc, start, **changes)).status_code == 302
    client.logout()
    return OnlineRequest.objects.select_related("patient", "appointment").order_by("-id").first()


def test_confirming_books_the_time_activates_the_patient_and_emails_the_visitor(
    client, doc, initial, day_after_tomorrow, frontdesk, django_capture_on_commit_callbacks
):
    request = send(client, initial, doc, at(day_after_tomorrow, 10))
    client.force_login(frontdesk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("booking:request_confirm", kwargs={"request_id": request.public_id}))
    assert response.status_code == 302
    request.refresh_from_db()
    request.appointment.refresh_from_db()
    request.patient.refresh_from_db()
    assert request.status == RequestStatus.CONFIRMED
    assert request.appointment.status == AppointmentStatus.BOOKED
    assert request.patient.status == PatientStatus.ACTIVE
    assert mail.outbox[-1].subject.startswith("Confirmed")
    assert "/book/m/" in mail.outbox[-1].body
    # A second click is told it already happened, and changes nothing.
    client.post(reverse("booking:request_confirm", kwargs={"request_id": request.public_id}))
    assert "already changed" in client.get(reverse("booking:requests")).content.decode()


def test_confirm_refused_once_the_visitor_has_cancelled(client, doc, initial, day_after_tomorrow, frontdesk):
    from acupath.booking.services import online_request_cancel, online_request_confirm

    request = send(client, initial, doc, at(day_after_tomorrow, 10))
    online_request_cancel(request=request, base_url="http://testserver")
    with pytest.raises(Conflict, match="cancelled by the visitor"):
        online_request_confirm(actor=frontdesk, request=request, base_url="http://testserver")
    request.appointment.refresh_from_db()
    assert request.appointment.status == AppointmentStatus.CANCELLED


def test_declining_frees_the_time_and_tells_the_visitor_why(
    client, doc, initial, day_after_tomorrow, frontdesk, django_capture_on_commit_callbacks
):
    request = send(client, initial, doc, at(day_after_tomorrow, 10))
    client.force_login(frontdesk)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("booking:request_decline", kwargs={"request_id": request.public_id}),
            {"note": "Dr Iyer is away that week; please pick a day after the 20th."},
        )
    request.refresh_from_db()
    request.appointment.refresh_from_db()
    assert request.status == RequestStatus.DECLINED
    assert request.appointment.status == AppointmentStatus.CANCELLED
    assert not SlotClaim.objects.exists()
    assert "away that week" in mail.outbox[-1].body


def test_the_desk_list_shows_answers_only_to_clinical_roles(
    client, doc, initial, day_after_tomorrow, frontdesk, practitioner
):
    send(
        client, initial, doc, at(day_after_tomorrow, 10), reason="Sharp pain after lifting", rf_bilateral_leg_pain="yes"
    )
    client.force_login(frontdesk)
    desk = client.get(reverse("booking:requests")).content.decode()
    assert "Hegde" in desk and "Red flag: needs review" in desk
    assert "Sharp pain after lifting" not in desk
    client.force_login(practitioner.user)
    assert "Sharp pain after lifting" in client.get(reverse("booking:requests")).content.decode()


def test_the_desk_list_takes_the_same_queries_for_one_or_many_requests(
    client, doc, initial, day_after_tomorrow, frontdesk, django_assert_num_queries
):
    send(client, initial, doc, at(day_after_tomorrow, 9), email="a@example.in")
    client.force_login(frontdesk)
    client.get(reverse("booking:requests"))  # warm the clinic caches
    # session, user, the list (one query with its joins), the audit event
    with django_assert_num_queries(4):
        client.get(reverse("booking:requests"))
    client.logout()
    for n, hour in enumerate((11, 13, 15)):
        send(client, initial, doc, at(day_after_tomorrow, hour), email=f"n{n}@example.in")
    client.force_login(frontdesk)
    with django_assert_num_queries(4):
        page = client.get(reverse("booking:requests")).content.decode()
    assert page.count("request-card") == 4


def test_a_returning_patient_is_pointed_out(client, doc, initial, day_after_tomorrow, frontdesk, clinic):
    PatientFactory(clinic=clinic, birth_date="1988-07-14", email="kavya@example.in")
    send(client, initial, doc, at(day_after_tomorrow, 10), email="Kavya@Example.in")
    client.force_login(frontdesk)
    assert "Possible duplicate: check" in client.get(reverse("booking:requests")).content.decode()


def test_a_referral_leaves_the_list_once_contacted(client, doc, initial, day_after_tomorrow, frontdesk):
    request = send(client, initial, doc, at(day_after_tomorrow, 10), rf_bladder_dysfunction="yes")
    client.force_login(frontdesk)
    client.post(reverse("booking:request_contacted", kwargs={"request_id": request.public_id}))
    request.refresh_from_db()
    assert request.contacted_at is not None and request.contacted_by == frontdesk
    page = client.get(reverse("booking:requests")).content.decode()
    assert "Marked Kavya Hegde as contacted." in page and "request-card" not in page


@pytest.mark.parametrize("name", ["request_confirm", "request_decline", "request_contacted"])
def test_patients_and_visitors_cannot_act_on_requests(client, doc, initial, day_after_tomorrow, name, patient_user):
    request = send(client, initial, doc, at(day_after_tomorrow, 10))
    url = reverse(f"booking:{name}", kwargs={"request_id": request.public_id})
    assert client.post(url).status_code == 302  # anonymous: to the sign-in page
    client.force_login(patient_user)
    assert client.post(url).status_code == 403
    assert client.get(reverse("booking:requests")).status_code == 403
    assert client.get(reverse("booking:waitlist")).status_code == 403
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING


def test_an_unknown_request_is_not_found(client, frontdesk):
    client.force_login(frontdesk)
    url = reverse("booking:request_confirm", kwargs={"request_id": "00000000-0000-0000-0000-000000000000"})
    assert client.post(url).status_code == 404


def test_owner_and_practitioner_may_use_the_desk(client, owner, practitioner):
    for user in (owner, practitioner.user, UserFactory(username="desk2", role=Role.FRONTDESK)):
        client.force_login(user)
        assert client.get(reverse("booking:requests")).status_code == 200
