"""The desk calendar page: its feed, its query count, click-to-book and drag-to-move, and who may reach it."""

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from acupath.accounts.models import Role
from acupath.scheduling.enums import AppointmentStatus
from acupath.scheduling.models import Appointment, Holiday, Leave
from acupath.scheduling.services import appointment_book
from acupath.scheduling.tests.helpers import give_rota, local, monday_after
from tests.factories import (
    AppointmentTypeFactory,
    ClinicFactory,
    LocationFactory,
    PatientFactory,
    PractitionerFactory,
    RoomFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(clinic):
    return LocationFactory(clinic=clinic, name="Indiranagar")


@pytest.fixture
def team(clinic, site):
    """Four practitioners of the location, each with the weekday rota and a lunch break."""
    return [
        give_rota(PractitionerFactory(clinic=clinic, location=site, display_name=f"Dr {name}"))
        for name in ("Anand", "Bhat", "Chitra", "Dev")
    ]


@pytest.fixture
def treatment(clinic):
    return AppointmentTypeFactory(clinic=clinic)


def feed(client, site, day, days=1, view="practitioners"):
    end = day + dt.timedelta(days=days)
    url = f"/schedule/calendar/feed/?location={site.public_id}&start={day}&end={end}&view={view}"
    return client.get(url)


def test_the_feed_gives_a_column_per_practitioner_with_bookings_coloured_and_time_off_shaded(
    signed_in, frontdesk, clinic, site, team, treatment
):
    monday = monday_after(1)
    review = AppointmentTypeFactory(clinic=clinic, code="review", name="Review", minutes=30, kind="review")
    patient = PatientFactory(clinic=clinic, given_name="Asha", family_name="Rao")
    a = appointment_book(actor=None, patient=patient, practitioner=team[0], type=treatment, start=local(monday, 10))
    b = appointment_book(
        actor=None, patient=PatientFactory(clinic=clinic), practitioner=team[1], type=review, start=local(monday, 10)
    )
    Appointment.objects.filter(pk=b.pk).update(status=AppointmentStatus.PENDING)
    Leave.objects.create(practitioner=team[2], start=local(monday, 0), end=local(monday + dt.timedelta(days=1), 0))
    Holiday.objects.create(clinic=clinic, day=monday + dt.timedelta(days=1), name="Festival")

    data = feed(signed_in(frontdesk), site, monday, days=2).json()
    assert [r["title"] for r in data["resources"]] == ["Dr Anand", "Dr Bhat", "Dr Chitra", "Dr Dev"]
    bookings = {e["id"]: e for e in data["events"] if e.get("display") != "background"}
    first = bookings[str(a.public_id)]
    assert first["resourceIds"] == [str(team[0].public_id)]
    assert first["start"] == f"{monday}T10:00:00" and first["end"] == f"{monday}T10:45:00"
    assert first["title"] == "Asha Rao" and first["editable"] is True
    assert first["extendedProps"]["type"] == "Treatment"
    second = bookings[str(b.public_id)]
    assert second["backgroundColor"] != first["backgroundColor"]  # colours by appointment type
    assert "status-pending" in second["classNames"]

    shades = [e for e in data["events"] if e.get("display") == "background"]
    kinds = {(e["extendedProps"]["kind"], e["resourceIds"][0] if len(e["resourceIds"]) == 1 else "all") for e in shades}
    assert ("leave", str(team[2].public_id)) in kinds
    assert ("break", str(team[3].public_id)) in kinds
    assert ("off", str(team[0].public_id)) in kinds
    holiday = next(e for e in shades if e["extendedProps"]["kind"] == "holiday")
    assert holiday["title"] == "Closed: Festival" and len(holiday["resourceIds"]) == 4
    off_monday = sorted(
        (e["start"], e["end"])
        for e in shades
        if e["extendedProps"]["kind"] == "off"
        and e["resourceIds"] == [str(team[0].public_id)]
        and e["start"] < f"{monday}T23"
    )
    assert off_monday[:2] == [
        (f"{monday}T00:00:00", f"{monday}T09:00:00"),
        (f"{monday}T18:00:00", f"{monday + dt.timedelta(days=1)}T00:00:00"),
    ]
    assert data["slotMinTime"] == "09:00" and data["slotMaxTime"] == "18:00"


def test_the_room_view_has_a_column_per_room(signed_in, frontdesk, clinic, site, team, treatment):
    rooms = [RoomFactory(location=site, name=name, position=n) for n, name in enumerate(["Couch 1", "Couch 2"])]
    monday = monday_after(1)
    booked = appointment_book(
        actor=None,
        patient=PatientFactory(clinic=clinic),
        practitioner=team[0],
        type=treatment,
        start=local(monday, 11),
        room=rooms[1],
    )
    data = feed(signed_in(frontdesk), site, monday, view="rooms").json()
    assert [r["title"] for r in data["resources"]] == ["Couch 1", "Couch 2"]
    event = next(e for e in data["events"] if e["id"] == str(booked.public_id))
    assert event["resourceIds"] == [str(rooms[1].public_id)]


def test_the_feed_query_count_does_not_grow_with_practitioners_or_bookings(
    signed_in, frontdesk, clinic, site, treatment
):
    monday = monday_after(1)
    client = signed_in(frontdesk)

    def count() -> int:
        feed(client, site, monday, days=7)
        with CaptureQueriesContext(connection) as captured:
            assert feed(client, site, monday, days=7).status_code == 200
        return len(captured.captured_queries)

    give_rota(PractitionerFactory(clinic=clinic, location=site))
    small = count()
    more = [give_rota(PractitionerFactory(clinic=clinic, location=site)) for _ in range(5)]
    for n, doc in enumerate(more):
        for day in range(5):
            appointment_book(
                actor=None,
                patient=PatientFactory(clinic=clinic),
                practitioner=doc,
                type=treatment,
                start=local(monday + dt.timedelta(days=day), 9 + n),
            )
    large = count()
    assert small == large
    # Session, user, the user's clinic (two), the location; then practitioners, rooms, hours, breaks,
    # leave, holidays, appointment types and the bookings.
    assert large == 13


def test_the_page_loads_the_vendored_calendar_and_names_the_location(signed_in, frontdesk, site, team):
    page = signed_in(frontdesk).get("/schedule/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "vendor/event-calendar/event-calendar.min.js" in html and "scheduling/desk-calendar.js" in html
    assert "Indiranagar" in html
    options = json.loads(html.split('<script id="calendar-options" type="application/json">')[1].split("</script>")[0])
    assert [r["title"] for r in options["resources"]] == ["Dr Anand", "Dr Bhat", "Dr Chitra", "Dr Dev"]


def test_a_location_of_another_clinic_is_not_found(signed_in, frontdesk, site, team):
    elsewhere = LocationFactory(clinic=ClinicFactory(name="Another Clinic"), name="Elsewhere")
    client = signed_in(frontdesk)
    assert client.get(f"/schedule/?location={elsewhere.public_id}").status_code == 404
    assert feed(client, elsewhere, monday_after(1)).status_code == 404
    assert client.get("/schedule/?location=not-a-uuid").status_code == 404


def test_a_patient_cannot_see_the_calendar_or_its_feed(signed_in, patient_user, site, team):
    client = signed_in(patient_user)
    assert client.get("/schedule/").status_code == 403
    assert feed(client, site, monday_after(1)).status_code == 403


def test_the_feed_refuses_a_window_it_cannot_draw(signed_in, frontdesk, site, team):
    client = signed_in(frontdesk)
    assert feed(client, site, monday_after(1), days=30).status_code == 400
    assert client.get(f"/schedule/calendar/feed/?location={site.public_id}&start=soon&end=later").status_code == 400


# --- the drag ----------------------------------------------------------------------------------


def drag(client, site, appointment, start, resource, view="practitioners", **extra):
    return client.post(
        f"/schedule/calendar/appointments/{appointment.public_id}/move/?location={site.public_id}",
        json.dumps({"start": start, "resource": str(resource), "view": view, **extra}),
        content_type="application/json",
    )


def test_a_drag_to_another_practitioner_moves_the_appointment(signed_in, frontdesk, clinic, site, team, treatment):
    monday = monday_after(1)
    appointment = appointment_book(
        actor=None, patient=PatientFactory(clinic=clinic), practitioner=team[0], type=treatment, start=local(monday, 10)
    )
    answer = drag(signed_in(frontdesk), site, appointment, f"{monday}T11:00:00", team[2].public_id)
    assert answer.status_code == 200, answer.json()
    assert "with Dr Chitra" in answer.json()["detail"] and "e-mail" in answer.json()["detail"]
    appointment.refresh_from_db()
    assert appointment.practitioner_id == team[2].pk and appointment.start == local(monday, 11)


def test_a_drag_outside_hours_asks_for_a_reason_and_a_clash_does_not(
    signed_in, frontdesk, clinic, site, team, treatment
):
    monday = monday_after(1)
    client = signed_in(frontdesk)
    appointment = appointment_book(
        actor=None, patient=PatientFactory(clinic=clinic), practitioner=team[0], type=treatment, start=local(monday, 10)
    )
    late = drag(client, site, appointment, f"{monday}T20:00:00", team[0].public_id)
    assert late.status_code == 409 and late.json()["override"] is True
    appointment_book(
        actor=None, patient=PatientFactory(clinic=clinic), practitioner=team[1], type=treatment, start=local(monday, 15)
    )
    clash = drag(client, site, appointment, f"{monday}T15:00:00", team[1].public_id)
    assert clash.status_code == 409 and clash.json()["override"] is False
    appointment.refresh_from_db()
    assert appointment.practitioner_id == team[0].pk and appointment.start == local(monday, 10)
    allowed = drag(client, site, appointment, f"{monday}T20:00:00", team[0].public_id, override_reason="Evening clinic")
    assert allowed.status_code == 200
    appointment.refresh_from_db()
    assert appointment.override_reason == "Evening clinic"


def test_a_drag_onto_a_practitioner_of_another_location_is_refused(signed_in, frontdesk, clinic, site, team, treatment):
    monday = monday_after(1)
    stranger = give_rota(PractitionerFactory(clinic=clinic, location=LocationFactory(clinic=clinic)))
    appointment = appointment_book(
        actor=None, patient=PatientFactory(clinic=clinic), practitioner=team[0], type=treatment, start=local(monday, 10)
    )
    assert drag(signed_in(frontdesk), site, appointment, f"{monday}T11:00:00", stranger.public_id).status_code == 422
    appointment.refresh_from_db()
    assert appointment.practitioner_id == team[0].pk


def test_another_patient_cannot_drag_an_appointment(signed_in, clinic, site, team, treatment):
    appointment = appointment_book(
        actor=None,
        patient=PatientFactory(clinic=clinic),
        practitioner=team[0],
        type=treatment,
        start=local(monday_after(1), 10),
    )
    someone = UserFactory(username="bea", role=Role.PATIENT)
    mine = PatientFactory(clinic=clinic)
    mine.user = someone
    mine.save()
    answer = drag(signed_in(someone), site, appointment, f"{monday_after(1)}T11:00:00", team[0].public_id)
    assert answer.status_code == 404


# --- the click ---------------------------------------------------------------------------------


def test_a_click_on_an_empty_slot_opens_the_form_filled_in(signed_in, frontdesk, site, team, treatment):
    monday = monday_after(1)
    page = signed_in(frontdesk).get(
        "/schedule/calendar/book/",
        {"start": f"{monday}T14:15:00", "practitioner": str(team[1].public_id)},
        headers={"HX-Request": "true"},
    )
    html = page.content.decode()
    assert page.status_code == 200 and "<html" not in html  # the dialog's partial
    assert f'value="{monday}"' in html and 'value="14:15"' in html
    assert f'<option value="{team[1].pk}" selected>' in html


def test_booking_from_the_calendar_keeps_what_was_typed_on_an_error_then_books(
    signed_in, frontdesk, clinic, site, team, treatment
):
    monday = monday_after(1)
    patient = PatientFactory(clinic=clinic, given_name="Meera", family_name="Iyer")
    client = signed_in(frontdesk)
    matches = client.get("/schedule/calendar/patients/", {"patient_q": "mee iy"}).content.decode()
    assert "Meera Iyer" in matches and str(patient.public_id) in matches
    form = {
        "patient": str(patient.public_id),
        "patient_q": "mee iy",
        "type": treatment.pk,
        "practitioner": team[0].pk,
        "day": monday.isoformat(),
        "time": "21:00",
        "note": "first visit",
    }
    refused = client.post("/schedule/calendar/book/", form, headers={"HX-Request": "true"})
    html = refused.content.decode()
    assert refused.status_code == 200 and "works 09:00-18:00 on Mondays" in html
    assert 'value="first visit"' in html and 'value="21:00"' in html and "Meera Iyer" in html
    assert not Appointment.objects.exists()
    booked = client.post("/schedule/calendar/book/", form | {"time": "10:00"}, headers={"HX-Request": "true"})
    assert booked.status_code == 204
    assert "Booked Meera Iyer" in json.loads(booked["HX-Trigger"])["calendar-booked"]["message"]
    assert Appointment.objects.get().start == local(monday, 10)


def test_booking_from_the_calendar_needs_a_chosen_patient(signed_in, frontdesk, site, team, treatment):
    form = {"type": treatment.pk, "practitioner": team[0].pk, "day": monday_after(1).isoformat(), "time": "10:00"}
    answer = signed_in(frontdesk).post("/schedule/calendar/book/", form, headers={"HX-Request": "true"})
    assert "Find the patient by name and choose them from the list." in answer.content.decode()
    assert not Appointment.objects.exists()
