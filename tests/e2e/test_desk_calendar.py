"""The desk calendar in a real browser: four practitioners' columns, and an appointment dragged to another."""

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from acupath.accounts.models import Role
from acupath.scheduling.models import Appointment, Leave
from acupath.scheduling.services import appointment_book
from acupath.scheduling.tests.helpers import KOLKATA, give_rota, local
from tests.e2e.conftest import ARTIFACTS
from tests.factories import (
    PASSWORD,
    AppointmentTypeFactory,
    ClinicFactory,
    LocationFactory,
    PatientFactory,
    PractitionerFactory,
    RoomFactory,
    UserFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/work/shots/calendar")
PEOPLE = ["Dr Anand Rao", "Dr Bhavna Shetty", "Dr Chitra Nair", "Dr Dev Menon"]
PATIENTS = [
    ("Kavya", "Hegde"),
    ("Arjun", "Menon"),
    ("Divya", "Pillai"),
    ("Rohan", "Shetty"),
    ("Meera", "Iyer"),
    ("Suresh", "Gowda"),
    ("Lakshmi", "Rao"),
    ("Farhan", "Ali"),
    ("Neha", "Kulkarni"),
    ("Vikram", "Joshi"),
]


@pytest.fixture
def clinic_day(db):
    """A location with four practitioners, rooms, three appointment types and a day of bookings."""
    clinic = ClinicFactory(name="Jayanth Acupuncture Clinic")
    site = LocationFactory(clinic=clinic, name="Indiranagar")
    rooms = [RoomFactory(location=site, name=f"Room {n + 1}", position=n) for n in range(4)]
    team = [
        give_rota(PractitionerFactory(clinic=clinic, location=site, display_name=name), days=range(6))
        for name in PEOPLE
    ]
    types = [
        AppointmentTypeFactory(clinic=clinic, code="initial", name="Initial consultation", kind="initial", minutes=60),
        AppointmentTypeFactory(clinic=clinic, code="treatment", name="Treatment", kind="treatment", minutes=45),
        AppointmentTypeFactory(clinic=clinic, code="review", name="Review", kind="review", minutes=30),
    ]
    UserFactory(username="desk", role=Role.FRONTDESK, first_name="Priya")
    patients = [PatientFactory(clinic=clinic, given_name=g, family_name=f) for g, f in PATIENTS]
    return clinic, site, rooms, team, types, patients


def fill_day(day, clinic_day):
    """Bookings across the four columns (allowed in the past: `now` is the start of the day)."""
    _clinic, _site, rooms, team, types, patients = clinic_day
    start_of_day = local(day, 0)
    plan = [
        (0, 9, 0, 0, 0),
        (0, 10, 15, 1, 1),
        (0, 14, 0, 2, 2),
        (1, 9, 30, 1, 3),
        (1, 11, 0, 0, 4),
        (1, 15, 0, 1, 5),
        (2, 9, 0, 2, 6),
        (2, 10, 0, 1, 7),
        (3, 11, 30, 1, 8),
        (3, 16, 0, 2, 9),
    ]
    booked = []
    for who, hour, minute, kind, patient in plan:
        booked.append(
            appointment_book(
                actor=None,
                patient=patients[patient],
                practitioner=team[who],
                type=types[kind],
                start=local(day, hour, minute),
                room=rooms[who],
                now=start_of_day,
            )
        )
    Appointment.objects.filter(pk=booked[0].pk).update(status="attended")
    Appointment.objects.filter(pk=booked[4].pk).update(status="pending")
    # Dr Chitra is away in the afternoon.
    Leave.objects.create(practitioner=team[2], start=local(day, 13), end=local(day, 18), reason="Conference")
    return booked


def sign_in(page, base):
    page.goto(f"{base}/accounts/sign-in/")
    page.fill("#id_username", "desk")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def open_calendar(page, base, day):
    page.goto(f"{base}/schedule/?day={day.isoformat()}")
    page.wait_for_selector(".ec-event")


def test_the_day_calendar_shows_four_practitioners_and_is_drawn_at_three_sizes(live_server, browser, clinic_day):
    today = timezone.now().astimezone(KOLKATA).date()
    fill_day(today, clinic_day)
    SHOTS.mkdir(parents=True, exist_ok=True)
    ARTIFACTS.mkdir(exist_ok=True)
    for width, height in ((1280, 900), (1024, 768), (390, 844)):
        context = browser.new_context(viewport={"width": width, "height": height}, timezone_id="Asia/Kolkata")
        page = context.new_page()
        page.set_default_timeout(15000)
        sign_in(page, live_server.url)
        open_calendar(page, live_server.url, today)
        headers = page.eval_on_selector_all(".ec-header .ec-col-head", "els => els.map(e => e.textContent.trim())")
        assert headers == PEOPLE
        assert page.locator(".ec-event:has-text('Kavya Hegde')").count() == 1
        assert page.locator(".ec-bg-event.shade-leave").count() >= 1
        page.screenshot(path=str(SHOTS / f"day-calendar-{width}x{height}.png"), full_page=True)
        page.screenshot(path=str(ARTIFACTS / f"desk-calendar-{width}x{height}.png"), full_page=True)
        context.close()


def test_the_desk_drags_an_appointment_to_another_practitioner(live_server, browser, clinic_day):
    _clinic, _site, _rooms, team, types, patients = clinic_day
    today = timezone.now().astimezone(KOLKATA).date()
    day = today + dt.timedelta(days=7 - today.weekday())  # next Monday, a working day
    appointment = appointment_book(
        actor=None, patient=patients[0], practitioner=team[0], type=types[1], start=local(day, 10), room=None
    )
    context = browser.new_context(viewport={"width": 1024, "height": 768}, timezone_id="Asia/Kolkata")
    page = context.new_page()
    page.set_default_timeout(15000)
    sign_in(page, live_server.url)
    open_calendar(page, live_server.url, day)

    event = page.locator(".ec-event:has-text('Kavya Hegde')").bounding_box()
    target = page.locator(".ec-header .ec-col-head:has-text('Dr Chitra Nair')").bounding_box()
    assert event is not None and target is not None
    hours = page.locator(".ec-body .ec-sidebar .ec-slot")
    first, second = hours.nth(1).bounding_box(), hours.nth(2).bounding_box()
    assert first is not None and second is not None
    slot = (second["y"] - first["y"]) / 4  # the sidebar labels every hour: four quarter-hour slots
    x0, y0 = event["x"] + event["width"] / 2, event["y"] + 10
    x1, y1 = target["x"] + target["width"] / 2, y0 + 4 * slot  # one hour later: four quarter-hour slots
    page.mouse.move(x0, y0)
    page.mouse.down()
    page.mouse.move(x0 + 5, y0 + 5, steps=3)
    page.mouse.move(x1, y1, steps=12)
    page.mouse.up()
    page.wait_for_selector("#calendar-status:not([hidden])")
    status = page.inner_text("#calendar-status")
    assert "Moved to" in status and "Dr Chitra Nair" in status, status
    appointment.refresh_from_db()
    assert appointment.practitioner_id == team[2].pk
    assert appointment.start == local(day, 11)
    page.screenshot(path=str(ARTIFACTS / "desk-calendar-after-drag.png"), full_page=True)
    context.close()
