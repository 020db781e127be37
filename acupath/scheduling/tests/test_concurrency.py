"""Twenty people book the same slot at the same moment: the database lets exactly one through.

Each thread has its own Django test client and so its own database connection; a
barrier releases them together. Runs on SQLite (writers queue on the lock) and on
PostgreSQL (the losers' claim inserts wait for the winner, then hit the unique
constraint). Either way: one 201, nineteen 409 naming what is taken, one appointment.
"""

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from acupath.accounts.models import Role
from acupath.scheduling.models import Appointment, SlotClaim, WorkingHours
from conftest import bearer
from tests.factories import AppointmentTypeFactory, PatientFactory, PractitionerFactory, RoomFactory, UserFactory

THREADS = 20


def _next_monday_ten() -> dt.datetime:
    zone = ZoneInfo("Asia/Kolkata")
    today = timezone.now().astimezone(zone).date()
    monday = today + dt.timedelta(days=7 - today.weekday())
    return dt.datetime.combine(monday, dt.time(10), tzinfo=zone)


def _fire(requests: list[dict], headers: dict[str, str]) -> list[tuple[int, dict]]:
    barrier = threading.Barrier(len(requests))

    def one(body: dict) -> tuple[int, dict]:
        client = Client()
        try:
            barrier.wait(timeout=30)
            response = client.post("/api/v1/appointments", body, content_type="application/json", **headers)
            return response.status_code, response.json()
        finally:
            connection.close()  # this thread's own connection

    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        return list(pool.map(one, requests))


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_bookings_of_one_slot_exactly_one_wins(clinic):
    doc = PractitionerFactory(clinic=clinic, user=UserFactory(username="doc", role=Role.PRACTITIONER))
    WorkingHours.objects.create(practitioner=doc, weekday=0, start=dt.time(9), end=dt.time(17))
    RoomFactory(location__clinic=clinic)
    treatment = AppointmentTypeFactory(clinic=clinic)
    desk = UserFactory(username="desk", role=Role.FRONTDESK)
    patients = [PatientFactory(clinic=clinic) for _ in range(THREADS)]
    start = _next_monday_ten().isoformat()
    headers = bearer(desk)
    requests = [
        {"patient": str(p.public_id), "practitioner": str(doc.public_id), "type": treatment.code, "start": start}
        for p in patients
    ]

    results = _fire(requests, headers)

    codes = sorted(code for code, _ in results)
    assert codes == [201] + [409] * (THREADS - 1), results
    refusals = [body["detail"] for code, body in results if code == 409]
    assert all("already booked" in text or "room" in text for text in refusals), refusals
    assert Appointment.objects.count() == 1
    # 45 minutes = 3 quarter-hour units, each claimed for practitioner, room and patient.
    assert SlotClaim.objects.count() == 3 * 3


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_bookings_of_one_patient_at_one_time_exactly_one_wins(clinic):
    """The same patient, twenty different practitioners: the patient's claim is the one that collides."""
    doctors = [PractitionerFactory(clinic=clinic) for _ in range(THREADS)]
    WorkingHours.objects.bulk_create(
        WorkingHours(practitioner=d, weekday=0, start=dt.time(9), end=dt.time(17)) for d in doctors
    )
    treatment = AppointmentTypeFactory(clinic=clinic)
    patient = PatientFactory(clinic=clinic)
    desk = UserFactory(username="desk", role=Role.FRONTDESK)
    start = _next_monday_ten().isoformat()
    requests = [
        {"patient": str(patient.public_id), "practitioner": str(d.public_id), "type": treatment.code, "start": start}
        for d in doctors
    ]

    results = _fire(requests, bearer(desk))

    assert sorted(code for code, _ in results) == [201] + [409] * (THREADS - 1), results
    assert all("patient already has an appointment" in b["detail"] for c, b in results if c == 409)
    assert Appointment.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_bookings_of_different_practitioners_each_get_a_free_room(clinic):
    """Four practitioners, four rooms, one moment: nobody is refused because another took "their" room."""
    rooms = [RoomFactory(location__clinic=clinic, position=i) for i in range(4)]
    doctors = [PractitionerFactory(clinic=clinic) for _ in rooms]
    WorkingHours.objects.bulk_create(
        WorkingHours(practitioner=d, weekday=0, start=dt.time(9), end=dt.time(17)) for d in doctors
    )
    treatment = AppointmentTypeFactory(clinic=clinic)
    start = _next_monday_ten().isoformat()
    requests = [
        {
            "patient": str(PatientFactory(clinic=clinic).public_id),
            "practitioner": str(d.public_id),
            "type": treatment.code,
            "start": start,
        }
        for d in doctors
    ]

    results = _fire(requests, bearer(UserFactory(username="desk", role=Role.FRONTDESK)))

    assert [code for code, _ in results] == [201] * len(doctors), results
    assert sorted(Appointment.objects.values_list("room_id", flat=True)) == sorted(r.pk for r in rooms)
