"""Booking against the clinic's rules and moving appointments, through the service and the API."""

import datetime as dt

import pytest

from acupath.accounts.models import Role
from acupath.core.models import AuditEvent
from acupath.scheduling.enums import AppointmentStatus, ReminderKind, ReminderStatus
from acupath.scheduling.models import Appointment, Holiday, Leave, Reminder, SlotClaim
from acupath.scheduling.services import appointment_book
from acupath.scheduling.tests.helpers import approved_plan, give_rota, local, monday_after
from tests.factories import AppointmentTypeFactory, PatientFactory, PractitionerFactory, RoomFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def treatment(clinic):
    return AppointmentTypeFactory(clinic=clinic)


@pytest.fixture
def doc(practitioner):
    return give_rota(practitioner)


@pytest.fixture
def other_doc(clinic):
    return give_rota(PractitionerFactory(clinic=clinic, display_name="Dr Other"))


def booking(patient, doc, treatment, start, **extra):
    return {
        "patient": str(patient.public_id),
        "practitioner": str(doc.public_id),
        "type": treatment.code,
        "start": start.isoformat(),
        **extra,
    }


def book(patient, doc, treatment, start, **extra):
    return appointment_book(
        actor=None, patient=patient, practitioner=doc, type=treatment, start=start, within_hours=True, **extra
    )


def claims(appointment):
    return sorted(SlotClaim.objects.filter(appointment=appointment).values_list("resource", "unit_start"))


# --- booking outside the rules -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("setup", "hour", "day_offset"),
    [
        (lambda doc, clinic, monday: None, 22, 0),  # 22:00 on a Monday
        (lambda doc, clinic, monday: None, 10, 6),  # a Sunday
        (lambda doc, clinic, monday: Holiday.objects.create(clinic=clinic, day=monday, name="Festival"), 10, 0),
        (
            lambda doc, clinic, monday: Leave.objects.create(
                practitioner=doc, start=local(monday, 0), end=local(monday + dt.timedelta(days=1), 0)
            ),
            10,
            0,
        ),
    ],
    ids=["late evening", "sunday", "holiday", "leave"],
)
def test_staff_booking_against_the_rules_answers_409_without_a_reason_and_books_with_one(
    api, frontdesk, doc, treatment, patient, clinic, setup, hour, day_offset
):
    monday = monday_after(1)
    setup(doc, clinic, monday)
    start = local(monday + dt.timedelta(days=day_offset), hour)
    refused = api.post("/api/v1/appointments", booking(patient, doc, treatment, start), user=frontdesk)
    assert refused.status_code == 409
    assert "book it anyway by giving the reason" in refused.json()["detail"]
    assert not Appointment.objects.exists()

    reason = "Patient works nights; Dr agreed to stay late"
    booked = api.post(
        "/api/v1/appointments", booking(patient, doc, treatment, start, override_reason=reason), user=frontdesk
    )
    assert booked.status_code == 201, booked.json()
    assert booked.json()["override_reason"] == reason
    appointment = Appointment.objects.get()
    assert appointment.override_reason == reason
    event = AuditEvent.objects.filter(entity="appointment").latest("id")
    assert "against the clinic's rules" in event.summary and reason not in event.summary


def test_a_booking_inside_the_rules_keeps_no_override_reason_even_if_one_is_sent(
    api, frontdesk, doc, treatment, patient
):
    start = local(monday_after(1), 10)
    answer = api.post(
        "/api/v1/appointments", booking(patient, doc, treatment, start, override_reason="just in case"), user=frontdesk
    )
    assert answer.status_code == 201 and answer.json()["override_reason"] == ""


def test_a_blank_reason_is_no_override(api, frontdesk, doc, treatment, patient):
    start = local(monday_after(1), 22)
    answer = api.post(
        "/api/v1/appointments", booking(patient, doc, treatment, start, override_reason="   "), user=frontdesk
    )
    assert answer.status_code == 409


def test_a_second_initial_consultation_during_an_open_episode_warns_but_books(api, frontdesk, doc, clinic, patient):
    initial = AppointmentTypeFactory(clinic=clinic, code="initial", name="Initial consultation", kind="initial")
    start = local(monday_after(1), 10)
    first = api.post("/api/v1/appointments", booking(patient, doc, initial, start), user=frontdesk)
    assert first.status_code == 201 and first.json()["warnings"] == []
    approved_plan(patient)
    second = api.post(
        "/api/v1/appointments", booking(patient, doc, initial, start + dt.timedelta(days=1)), user=frontdesk
    )
    assert second.status_code == 201
    assert "already has an open episode of care" in second.json()["warnings"][0]


def test_the_desk_form_refuses_22_00_keeping_what_was_typed_and_books_with_a_reason(
    signed_in, frontdesk, doc, treatment, patient
):
    client = signed_in(frontdesk)
    url = f"/patients/{patient.public_id}/appointments/new/"
    day = monday_after(1)
    form = {"type": treatment.pk, "practitioner": doc.pk, "day": day.isoformat(), "time": "22:00", "note": "late"}
    refused = client.post(url, form)
    page = refused.content.decode()
    assert refused.status_code == 200 and "works 09:00-18:00 on Mondays" in page
    assert 'value="22:00"' in page and 'value="late"' in page
    assert not Appointment.objects.exists()
    assert client.post(url, form | {"override_reason": "Only time the patient can come"}).status_code == 302
    assert Appointment.objects.get().override_reason == "Only time the patient can come"


def test_online_booking_follows_the_same_rules_and_cannot_override(doc, treatment, patient):
    from acupath.core.errors import Conflict

    with pytest.raises(Conflict, match="works 09:00-18:00 on Mondays"):
        appointment_book(
            actor=None,
            patient=patient,
            practitioner=doc,
            type=treatment,
            start=local(monday_after(1), 22),
            via="online",
            within_hours=True,
        )


# --- moving ------------------------------------------------------------------------------------


def move(api, user, appointment, start, **extra):
    return api.post(
        f"/api/v1/appointments/{appointment.public_id}/move", {"start": start.isoformat(), **extra}, user=user
    )


def test_moving_to_another_practitioner_and_time_moves_the_claims_and_emails_the_patient(
    api, frontdesk, doc, other_doc, treatment, patient, mailoutbox, django_capture_on_commit_callbacks
):
    monday = monday_after(1)
    appointment = book(patient, doc, treatment, local(monday, 10))
    Reminder.objects.create(appointment=appointment, kind=ReminderKind.EMAIL, due_at=local(monday, 8))
    with django_capture_on_commit_callbacks(execute=True):
        answer = move(api, frontdesk, appointment, local(monday, 15), practitioner=str(other_doc.public_id))
    assert answer.status_code == 200, answer.json()
    assert answer.json()["practitioner"] == str(other_doc.public_id)
    assert answer.json()["start"].startswith(f"{monday.isoformat()}T15:00:00")
    appointment.refresh_from_db()
    assert (appointment.practitioner_id, appointment.start, appointment.end) == (
        other_doc.pk,
        local(monday, 15),
        local(monday, 15, 45),
    )
    held = claims(appointment)
    assert {r for r, _ in held} == {f"practitioner:{other_doc.pk}", f"patient:{patient.pk}"}
    assert min(u for _, u in held) == local(monday, 15)
    assert not Reminder.objects.filter(appointment=appointment, status=ReminderStatus.PENDING).exists()
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [patient.email] and "has moved" in mail.subject
    assert "with Dr Other" in mail.body and "It was:" in mail.body
    assert mail.attachments[0][0] == "appointment.ics"
    assert AuditEvent.objects.filter(entity="appointment", summary="moved").count() == 1


@pytest.mark.parametrize("clash", ["practitioner", "patient", "room"])
def test_a_move_onto_a_taken_time_answers_409_and_leaves_the_appointment_and_its_claims_unchanged(
    api, frontdesk, doc, other_doc, treatment, patient, clinic, mailoutbox, django_capture_on_commit_callbacks, clash
):
    monday = monday_after(1)
    room_a = RoomFactory(location__clinic=clinic, name="Room A")
    room_b = RoomFactory(location=room_a.location, name="Room B")
    appointment = book(patient, doc, treatment, local(monday, 10), room=room_a)
    before = claims(appointment)
    blocker = {
        "practitioner": lambda: book(PatientFactory(clinic=clinic), doc, treatment, local(monday, 15), room=room_b),
        "patient": lambda: book(patient, other_doc, treatment, local(monday, 15), room=room_b),
        "room": lambda: book(PatientFactory(clinic=clinic), other_doc, treatment, local(monday, 15), room=room_a),
    }[clash]()
    with django_capture_on_commit_callbacks(execute=True):
        answer = move(api, frontdesk, appointment, local(monday, 15, 30))
    assert answer.status_code == 409
    words = {"practitioner": "is already booked", "patient": "the patient already has", "room": "already in use"}
    assert words[clash] in answer.json()["detail"]
    appointment.refresh_from_db()
    assert appointment.start == local(monday, 10) and appointment.practitioner_id == doc.pk
    assert claims(appointment) == before
    assert claims(blocker)  # the other booking still holds its time
    assert mailoutbox == []


def test_a_move_by_a_quarter_hour_overlapping_its_own_time_is_allowed(api, frontdesk, doc, treatment, patient):
    appointment = book(patient, doc, treatment, local(monday_after(1), 10))
    assert move(api, frontdesk, appointment, local(monday_after(1), 10, 15)).status_code == 200
    assert len(claims(appointment)) == 6  # 45 minutes: three quarter hours each for practitioner and patient


def test_a_move_outside_the_rules_needs_a_reason(api, frontdesk, doc, treatment, patient):
    monday = monday_after(1)
    appointment = book(patient, doc, treatment, local(monday, 10))
    refused = move(api, frontdesk, appointment, local(monday, 19))
    assert refused.status_code == 409 and "works 09:00-18:00" in refused.json()["detail"]
    appointment.refresh_from_db()
    assert appointment.start == local(monday, 10)
    moved = move(api, frontdesk, appointment, local(monday, 19), override_reason="Evening clinic this week")
    assert moved.status_code == 200 and moved.json()["override_reason"] == "Evening clinic this week"


def test_a_move_to_a_room_of_another_location_takes_that_room(api, frontdesk, doc, treatment, patient, clinic):
    room_a = RoomFactory(location__clinic=clinic, name="Room A")
    room_b = RoomFactory(location__clinic=clinic, name="Room B")
    appointment = book(patient, doc, treatment, local(monday_after(1), 10), room=room_a)
    answer = move(api, frontdesk, appointment, local(monday_after(1), 10), room=str(room_b.public_id))
    assert answer.status_code == 200 and answer.json()["room"] == str(room_b.public_id)
    assert f"room:{room_b.pk}" in {r for r, _ in claims(appointment)}


@pytest.mark.parametrize("status", [AppointmentStatus.CANCELLED, AppointmentStatus.ATTENDED, AppointmentStatus.NO_SHOW])
def test_only_booked_or_requested_appointments_move(api, frontdesk, doc, treatment, patient, status):
    appointment = book(patient, doc, treatment, local(monday_after(1), 10))
    Appointment.objects.filter(pk=appointment.pk).update(status=status)
    answer = move(api, frontdesk, appointment, local(monday_after(1), 11))
    assert answer.status_code == 409 and "can be moved" in answer.json()["detail"]


def test_moving_to_where_it_already_is_says_so(api, frontdesk, doc, treatment, patient):
    appointment = book(patient, doc, treatment, local(monday_after(1), 10))
    assert move(api, frontdesk, appointment, local(monday_after(1), 10)).status_code == 422


def test_another_patient_cannot_move_or_even_find_an_appointment(api, doc, treatment, patient, clinic):
    appointment = book(patient, doc, treatment, local(monday_after(1), 10))
    someone = UserFactory(username="bea", role=Role.PATIENT)
    other = PatientFactory(clinic=clinic)
    other.user = someone
    other.save()
    answer = move(api, someone, appointment, local(monday_after(1), 11))
    assert answer.status_code in (403, 404)
    unknown = api.post(
        "/api/v1/appointments/00000000-0000-0000-0000-000000000000/move",
        {"start": local(monday_after(1), 11).isoformat()},
        user=UserFactory(username="desk2", role=Role.FRONTDESK),
    )
    assert unknown.status_code == 404
    appointment.refresh_from_db()
    assert appointment.start == local(monday_after(1), 10)
