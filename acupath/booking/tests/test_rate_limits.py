"""Rate limits on the public page: per address, in the cache all app processes share, a friendly 429."""

import datetime as dt

import pytest
from django.core.cache import caches
from django.utils import timezone

from acupath.booking import conf
from acupath.booking.models import OnlineRequest
from acupath.booking.tests.helpers import at, form_data
from acupath.patients.enums import PatientStatus
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db

BOOK = "/book/"


def test_the_rate_limit_cache_is_shared_between_processes(settings):
    backend = settings.CACHES["shared"]["BACKEND"]
    assert backend.endswith(("FileBasedCache", "RedisCache"))
    assert "LocMem" not in type(caches["shared"]).__name__


def test_too_many_requests_from_one_address_get_a_friendly_429_keeping_the_form(
    client, doc, initial, day_after_tomorrow, settings
):
    settings.BOOKING_SUBMIT_LIMIT = (2, 600)
    for n, hour in enumerate((9, 10)):
        data = form_data(initial, doc, at(day_after_tomorrow, hour), email=f"v{n}@example.in")
        assert client.post(BOOK, data).status_code == 302
    data = form_data(initial, doc, at(day_after_tomorrow, 11), email="third@example.in", reason="Hip and back")
    response = client.post(BOOK, data)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    page = response.content.decode()
    assert "Please wait" in page and "Everything you entered is kept below" in page
    assert "Hip and back" in page and 'value="third@example.in"' in page
    assert OnlineRequest.objects.count() == 2

    # Another address is not held back by the first one.
    other = client.post(BOOK, data, REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 302
    assert OnlineRequest.objects.count() == 3


def test_forms_with_errors_do_not_use_up_the_limit(client, doc, initial, day_after_tomorrow, settings):
    settings.BOOKING_SUBMIT_LIMIT = (1, 600)
    for _ in range(3):
        assert client.post(BOOK, form_data(initial, doc, None)).status_code == 200
    assert client.post(BOOK, form_data(initial, doc, at(day_after_tomorrow, 9))).status_code == 302


def test_slot_searches_are_capped_per_address(client, doc, initial, settings):
    settings.BOOKING_SLOT_QUERY_LIMIT = (3, 600)
    params = {"type": str(initial.public_id)}
    for _ in range(3):
        assert client.get(BOOK, params, HTTP_HX_REQUEST="true").status_code == 200
    response = client.get(BOOK, params, HTTP_HX_REQUEST="true")
    assert response.status_code == 429
    assert "Please wait" in response.content.decode()
    assert 'name="slot" value="' not in response.content.decode()


def test_a_proxy_header_can_name_the_visitor_address(client, doc, initial, day_after_tomorrow, settings):
    settings.BOOKING_SUBMIT_LIMIT = (1, 600)
    settings.BOOKING_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    first = form_data(initial, doc, at(day_after_tomorrow, 9), email="a@example.in")
    second = form_data(initial, doc, at(day_after_tomorrow, 10), email="b@example.in")
    assert client.post(BOOK, first, HTTP_X_REAL_IP="203.0.113.5").status_code == 302
    assert client.post(BOOK, second, HTTP_X_REAL_IP="203.0.113.6").status_code == 302
    third = form_data(initial, doc, at(day_after_tomorrow, 11), email="c@example.in")
    assert client.post(BOOK, third, HTTP_X_REAL_IP="203.0.113.6").status_code == 429


def test_only_successful_requests_count_so_a_refused_time_does_not_lock_the_address_out(
    client, doc, initial, day_after_tomorrow, settings
):
    settings.BOOKING_SUBMIT_LIMIT = (1, 600)
    too_far = timezone.localdate() + dt.timedelta(days=conf.horizon().days + 7)
    for _ in range(3):  # refused: the time is past the horizon
        response = client.post(BOOK, form_data(initial, doc, at(too_far, 9)))
        assert response.status_code == 200
    assert OnlineRequest.objects.count() == 0
    assert client.post(BOOK, form_data(initial, doc, at(day_after_tomorrow, 9))).status_code == 302
    second = form_data(initial, doc, at(day_after_tomorrow, 10), email="other@example.in")
    assert client.post(BOOK, second).status_code == 429
    assert OnlineRequest.objects.count() == 1


def test_a_verified_email_has_its_own_higher_limit_behind_a_shared_address(
    client, clinic, doc, initial, day_after_tomorrow, settings
):
    settings.BOOKING_SUBMIT_LIMIT = (1, 600)
    settings.BOOKING_SUBMIT_LIMIT_VERIFIED = (2, 600)
    PatientFactory(clinic=clinic, email="known@example.in", status=PatientStatus.ACTIVE)
    PatientFactory(clinic=clinic, email="pending@example.in", status=PatientStatus.PENDING)
    # A stranger on the shared mobile network uses up the address's limit.
    assert (
        client.post(BOOK, form_data(initial, doc, at(day_after_tomorrow, 9), email="a@example.in")).status_code == 302
    )
    pending = form_data(initial, doc, at(day_after_tomorrow, 10), email="pending@example.in")
    assert client.post(BOOK, pending).status_code == 429  # typed in online only: not verified
    for hour in (11, 12):
        known = form_data(initial, doc, at(day_after_tomorrow, hour), email="Known@Example.in")
        assert client.post(BOOK, known).status_code == 302
    third = form_data(initial, doc, at(day_after_tomorrow, 13), email="known@example.in")
    assert client.post(BOOK, third).status_code == 429
    assert OnlineRequest.objects.count() == 3
