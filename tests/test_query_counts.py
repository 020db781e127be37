"""The key pages and API calls make the same number of queries whatever the size of the data.

Each test measures one request on a small record, grows the data several-fold, and asserts
the count is unchanged and equal to the pinned figure, so an N+1 cannot come back unnoticed.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from acupath.scheduling.services import appointment_book
from acupath.treatment.services import (
    NeedleBatch,
    NeedledPoint,
    session_close,
    session_insert_needles,
    session_remove_needles,
    session_start,
)
from tests.consents import sign_consent
from tests.consultations import consult
from tests.factories import AppointmentTypeFactory, PatientFactory

pytestmark = pytest.mark.django_db

# The pinned counts. Raise one only with a reason: it is paid on every page view.
# The chart and the day list ask the treatment gate (consultations, decisions, referrals: 3 queries)
# where they read only the latest consultation's decisions before.
# The chart also asks whether the consent covers the course (the consent and any later course start: 2),
# and draws the re-assessment prompt (clinic setting, initial consultation, sessions, decisions, plan,
# assessments: 6 more); still constant whatever the history size.
PINNED = {"chart": 24, "day": 7, "api_list": 4, "api_detail": 3, "duplicate_check": 6}


def queries(client, path, **headers):
    client.get(path, **headers)  # warm the per-process caches (clinic zone and name) first
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, **headers)
    assert response.status_code == 200, response.content[:300]
    return len(captured.captured_queries)


def add_history(practitioner, patient, room, sessions):
    consult(practitioner, patient)
    sign_consent(patient, at=timezone.now())
    for n in range(sessions):
        s = session_start(
            actor=practitioner.user,
            patient=patient,
            practitioner=practitioner,
            room=room,
            pain_before=6 - n % 3,
            at=timezone.now() - dt.timedelta(days=60 - n),
        )
        s = session_insert_needles(
            actor=practitioner.user,
            session=s,
            batch=NeedleBatch(
                points=(NeedledPoint("BL23", "both", 2), NeedledPoint("BL40", "both", 2)),
                gauge_mm=Decimal("0.25"),
                length_mm=40,
                lot="LOT-1",
            ),
        )
        session_remove_needles(actor=practitioner.user, session=s, count=4)
        session_close(actor=practitioner.user, session=s, pain_after=3, contact_minutes=15)


def book(practitioner, clinic, day, count, first=0):
    treatment = AppointmentTypeFactory(clinic=clinic)
    start = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0) + dt.timedelta(days=day)
    for n in range(first, first + count):
        appointment_book(
            actor=practitioner.user,
            patient=PatientFactory(clinic=clinic),
            practitioner=practitioner,
            type=treatment,
            start=start + dt.timedelta(minutes=45 * n),
        )


def test_patient_chart_page_queries_do_not_grow(reference, signed_in, practitioner, patient, room):
    client = signed_in(practitioner.user)
    add_history(practitioner, patient, room, sessions=1)
    small = queries(client, f"/patients/{patient.public_id}/")
    assert small == PINNED["chart"]
    add_history(practitioner, patient, room, sessions=8)
    assert queries(client, f"/patients/{patient.public_id}/") == small


def test_day_schedule_queries_do_not_grow(signed_in, practitioner, clinic):
    client = signed_in(practitioner.user)
    book(practitioner, clinic, day=1, count=1)
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    small = queries(client, f"/?day={tomorrow}")
    assert small == PINNED["day"]
    book(practitioner, clinic, day=1, count=5, first=1)
    book(practitioner, clinic, day=2, count=3)
    assert queries(client, f"/?day={tomorrow}") == small


def test_patient_api_list_and_detail_queries_do_not_grow(api, practitioner, clinic, patient):
    headers = {"HTTP_AUTHORIZATION": api._headers(practitioner.user)["HTTP_AUTHORIZATION"]}
    small_list = queries(api.client, "/api/v1/patients?limit=50", **headers)
    small_detail = queries(api.client, f"/api/v1/patients/{patient.public_id}", **headers)
    assert (small_list, small_detail) == (PINNED["api_list"], PINNED["api_detail"])
    PatientFactory.create_batch(30, clinic=clinic)
    assert queries(api.client, "/api/v1/patients?limit=50", **headers) == small_list
    assert queries(api.client, f"/api/v1/patients/{patient.public_id}", **headers) == small_detail


def test_duplicate_check_queries_do_not_grow(api, frontdesk, clinic):
    """Registering a known patient answers 409 after one read of the duplicate indexes, at any size."""
    known = PatientFactory(clinic=clinic, given_name="Kavya", family_name="Hegde", birth_date=dt.date(1991, 3, 4))
    body = {"given_name": "Kavya", "family_name": "Hegde", "birth_date": "1991-03-04", "sex": "female",
            "phone": known.phone, "email": known.email}  # fmt: skip

    headers = {"HTTP_AUTHORIZATION": api._headers(frontdesk)["HTTP_AUTHORIZATION"]}

    def count():
        with CaptureQueriesContext(connection) as captured:
            response = api.client.post("/api/v1/patients", body, content_type="application/json", **headers)
        assert response.status_code == 409
        return len(captured.captured_queries)

    count()  # warm the per-process caches (clinic) first
    small = count()
    assert small == PINNED["duplicate_check"]
    PatientFactory.create_batch(30, clinic=clinic, birth_date=dt.date(1991, 3, 4))
    assert count() == small
