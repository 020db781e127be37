"""The scheduling API: lists, availability, booking one appointment, and who may do what."""

import datetime as dt

import pytest

from acupath.core.models import AuditEvent
from acupath.scheduling.models import Appointment, Leave
from acupath.scheduling.tests.helpers import approved_plan, give_rota, local, monday_after
from tests.factories import AppointmentTypeFactory, PatientFactory, RoomFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def treatment(clinic):
    return AppointmentTypeFactory(clinic=clinic)


@pytest.fixture
def doc(practitioner):
    return give_rota(practitioner)


def body(patient, doc, treatment, start, **extra):
    return {
        "patient": str(patient.public_id),
        "practitioner": str(doc.public_id),
        "type": treatment.code,
        "start": start.isoformat(),
        **extra,
    }


def test_practitioners_and_appointment_types_are_listed_by_public_id(api, frontdesk, doc, treatment):
    practitioners = api.get("/api/v1/practitioners", user=frontdesk).json()
    assert practitioners == [{"id": str(doc.public_id), "name": doc.display_name, "qualifications": ""}]
    types = api.get("/api/v1/appointment-types", user=frontdesk).json()
    assert types[0]["id"] == str(treatment.public_id) and types[0]["minutes"] == 45


def test_lists_need_a_signed_in_user(api):
    assert api.get("/api/v1/practitioners").status_code == 401
    assert api.get("/api/v1/availability", type="treatment").status_code == 401


def test_availability_answers_slots_with_offsets_and_rooms(api, frontdesk, doc, treatment, room):
    monday = monday_after(1)
    response = api.get(
        "/api/v1/availability",
        user=frontdesk,
        practitioner=str(doc.public_id),
        type=str(treatment.public_id),
        **{"from": monday.isoformat(), "to": monday.isoformat()},
    )
    assert response.status_code == 200
    slots = response.json()["slots"]
    assert slots[0] == {
        "start": f"{monday.isoformat()}T09:00:00+05:30",
        "end": f"{monday.isoformat()}T09:45:00+05:30",
        "practitioner": str(doc.public_id),
        "room": str(room.public_id),
    }
    starts = {s["start"][11:16] for s in slots}
    assert "12:30" not in starts and "13:00" not in starts and "14:00" in starts  # the lunch break
    assert all(s["start"].startswith(monday.isoformat()) for s in slots)


def test_availability_for_any_practitioner_and_its_query_count(
    api, frontdesk, doc, treatment, room, clinic, django_assert_num_queries
):
    from tests.factories import PractitionerFactory

    give_rota(PractitionerFactory(clinic=clinic))
    monday = monday_after(1)
    for hour in (9, 10, 11):
        api.post(
            "/api/v1/appointments",
            body(PatientFactory(clinic=clinic), doc, treatment, local(monday, hour)),
            user=frontdesk,
        )
    headers = api._headers(frontdesk)
    # token, type, practitioners, rooms, six availability reads (no patient), public ids of
    # practitioners and rooms: the same however many bookings there are.
    with django_assert_num_queries(12):
        response = api.client.get(
            "/api/v1/availability",
            {"type": "treatment", "from": monday.isoformat(), "to": monday.isoformat()},
            **headers,
        )
    assert {s["practitioner"] for s in response.json()["slots"]} == {
        str(p.public_id) for p in [doc, *clinic.practitioners.exclude(pk=doc.pk)]
    }


def test_availability_refuses_a_bad_window_or_type(api, frontdesk, treatment):
    assert api.get("/api/v1/availability", user=frontdesk, type="nope").status_code == 422
    response = api.get(
        "/api/v1/availability", user=frontdesk, type="treatment", **{"from": "2030-01-10", "to": "2030-03-10"}
    )
    assert response.status_code == 422 and "31 days" in str(response.json())


def test_booking_answers_201_with_the_appointment_and_picks_a_free_room(api, frontdesk, doc, treatment, patient, room):
    start = local(monday_after(1), 10)
    response = api.post("/api/v1/appointments", body(patient, doc, treatment, start), user=frontdesk)
    assert response.status_code == 201, response.json()
    out = response.json()
    assert out["start"] == start.isoformat() and out["end"] == (start + dt.timedelta(minutes=45)).isoformat()
    assert out["room"] == str(room.public_id) and out["status"] == "booked"
    appointment = Appointment.objects.get(public_id=out["id"])
    assert AuditEvent.objects.filter(entity="appointment", entity_id=str(appointment.public_id), via="api").exists()


def test_a_second_booking_of_the_room_takes_the_next_free_room(api, frontdesk, doc, treatment, clinic, room):
    from tests.factories import PractitionerFactory

    other_room = RoomFactory(location=room.location, position=room.position + 1)
    other_doc = give_rota(PractitionerFactory(clinic=clinic))
    start = local(monday_after(1), 10)
    first = api.post("/api/v1/appointments", body(PatientFactory(clinic=clinic), doc, treatment, start), user=frontdesk)
    second = api.post(
        "/api/v1/appointments", body(PatientFactory(clinic=clinic), other_doc, treatment, start), user=frontdesk
    )
    assert first.json()["room"] == str(room.public_id) and second.json()["room"] == str(other_room.public_id)
    third_doc = give_rota(PractitionerFactory(clinic=clinic))
    third = api.post(
        "/api/v1/appointments", body(PatientFactory(clinic=clinic), third_doc, treatment, start), user=frontdesk
    )
    assert third.status_code == 409 and "every treatment room is in use" in third.json()["detail"]


def test_booking_a_taken_practitioner_answers_409_naming_them(api, frontdesk, doc, treatment, patient, clinic):
    start = local(monday_after(1), 10)
    assert api.post("/api/v1/appointments", body(patient, doc, treatment, start), user=frontdesk).status_code == 201
    response = api.post(
        "/api/v1/appointments",
        body(PatientFactory(clinic=clinic), doc, treatment, start + dt.timedelta(minutes=30)),
        user=frontdesk,
    )
    assert response.status_code == 409
    assert f"{doc.display_name} is already booked" in response.json()["detail"]


def test_booking_the_same_patient_twice_at_once_answers_409(api, frontdesk, doc, treatment, patient, clinic):
    from tests.factories import PractitionerFactory

    start = local(monday_after(1), 10)
    api.post("/api/v1/appointments", body(patient, doc, treatment, start), user=frontdesk)
    other = give_rota(PractitionerFactory(clinic=clinic))
    response = api.post("/api/v1/appointments", body(patient, other, treatment, start), user=frontdesk)
    assert response.status_code == 409 and "patient already has an appointment" in response.json()["detail"]


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        (lambda monday: local(monday, 13), "has a break 13:00-14:00 then"),
        (lambda monday: local(monday, 19), "works 09:00-18:00 on Mondays"),
        (lambda monday: local(monday + dt.timedelta(days=6), 10), "does not work on Sundays"),
        (lambda monday: local(monday + dt.timedelta(days=2), 10), "on leave"),
    ],
)
def test_booking_outside_the_calendar_answers_409_saying_why(api, frontdesk, doc, treatment, patient, when, expected):
    monday = monday_after(1)
    Leave.objects.create(
        practitioner=doc, start=local(monday + dt.timedelta(days=2), 0), end=local(monday + dt.timedelta(days=3), 0)
    )
    response = api.post("/api/v1/appointments", body(patient, doc, treatment, when(monday)), user=frontdesk)
    assert response.status_code == 409 and expected in response.json()["detail"]
    assert Appointment.objects.count() == 0


def test_booking_on_a_clinic_holiday_answers_409(api, frontdesk, doc, treatment, patient, clinic):
    from acupath.scheduling.models import Holiday

    monday = monday_after(1)
    Holiday.objects.create(clinic=clinic, day=monday, name="Pongal")
    response = api.post("/api/v1/appointments", body(patient, doc, treatment, local(monday, 10)), user=frontdesk)
    assert (
        response.status_code == 409 and "closed" in response.json()["detail"] and "Pongal" in response.json()["detail"]
    )


def test_booking_validates_its_input(api, frontdesk, doc, treatment, patient):
    monday = monday_after(1)
    naive = body(patient, doc, treatment, local(monday, 10))
    naive["start"] = f"{monday.isoformat()}T10:00:00"
    assert api.post("/api/v1/appointments", naive, user=frontdesk).status_code == 422
    off_grid = body(patient, doc, treatment, local(monday, 10, 7))
    response = api.post("/api/v1/appointments", off_grid, user=frontdesk)
    assert response.status_code == 422 and "quarter hour" in str(response.json())
    assert (
        api.post(
            "/api/v1/appointments", body(patient, doc, treatment, local(monday, 10), type="x"), user=frontdesk
        ).status_code
        == 422
    )


def test_a_patient_may_not_book_and_an_unknown_patient_is_not_found(
    api, patient_user, doc, treatment, patient, frontdesk
):
    start = local(monday_after(1), 10)
    assert api.post("/api/v1/appointments", body(patient, doc, treatment, start), user=patient_user).status_code == 403
    stranger = body(patient, doc, treatment, start) | {"patient": "00000000-0000-0000-0000-000000000000"}
    assert api.post("/api/v1/appointments", stranger, user=frontdesk).status_code == 404
    assert Appointment.objects.count() == 0


def test_a_patient_may_not_see_availability_or_book_a_course(api, patient_user, doc, treatment, patient):
    assert api.get("/api/v1/availability", user=patient_user, type="treatment").status_code == 403
    plan = approved_plan(patient)
    response = api.post(f"/api/v1/plans/{plan.public_id}/book-course", {"confirm": True}, user=patient_user)
    assert response.status_code == 403
    assert Appointment.objects.count() == 0


def test_book_course_for_an_unknown_plan_is_not_found(api, frontdesk):
    response = api.post("/api/v1/plans/00000000-0000-0000-0000-000000000000/book-course", {}, user=frontdesk)
    assert response.status_code == 404


def test_practitioner_may_book_an_adjusted_course_and_the_read_is_audited(api, practitioner, doc, treatment, patient):
    plan = approved_plan(patient, sessions=2)
    monday = monday_after(1)
    proposal = api.post(
        f"/api/v1/plans/{plan.public_id}/book-course", {"first_day": monday.isoformat()}, user=practitioner.user
    )
    assert proposal.status_code == 200
    assert AuditEvent.objects.filter(entity="course_proposal", patient_id=patient.public_id).exists()
    sessions = [
        {"start": local(monday + dt.timedelta(days=1), 11).isoformat(), "practitioner": str(doc.public_id)},
        {"start": local(monday + dt.timedelta(days=4), 15).isoformat(), "practitioner": str(doc.public_id)},
    ]
    response = api.post(
        f"/api/v1/plans/{plan.public_id}/book-course", {"confirm": True, "sessions": sessions}, user=practitioner.user
    )
    assert response.status_code == 201, response.json()
    assert [a["start"] for a in response.json()["appointments"]] == [s["start"] for s in sessions]
