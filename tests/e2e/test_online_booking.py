"""A new patient books online, as a visitor would, in headless Chromium; the clinic confirms.

The live server runs in a thread of this process, so the `settings` fixture reaches it: e-mail goes
to Django's file backend in a temporary outbox folder, as the demo's does into $ACUPATH_DATA_DIR/outbox.
"""

import datetime as dt

import pytest
from django.core.cache import caches
from django.utils import timezone

from acupath.accounts.models import Role
from acupath.booking.enums import RequestStatus
from acupath.booking.models import OnlineRequest
from acupath.clinic.models import AppointmentKind
from acupath.clinic.selectors import clinic_zone
from acupath.measures.models import Assessment
from acupath.patients.models import PatientStatus
from acupath.planning.models import TreatmentPlan
from acupath.scheduling.enums import AppointmentStatus
from acupath.scheduling.models import Appointment, Break, WorkingHours
from tests.factories import (
    PASSWORD,
    AppointmentTypeFactory,
    ClinicFactory,
    PatientFactory,
    PractitionerFactory,
    RoomFactory,
    UserFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def clinic_setup(db, settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path / "outbox"
    caches["shared"].clear()  # no rate-limit counts left from other runs
    caches["default"].clear()
    clinic = ClinicFactory(name="Jayanth Acupuncture Clinic")
    doctors = [
        PractitionerFactory(
            clinic=clinic,
            display_name=name,
            user=UserFactory(username=login, role=Role.PRACTITIONER, first_name=name.split()[1]),
        )
        for login, name in (("practitioner", "Dr Jayanth Kumar"), ("meera", "Dr Meera Iyer"))
    ]
    for doctor in doctors:
        WorkingHours.objects.bulk_create(
            WorkingHours(practitioner=doctor, weekday=d, start=dt.time(9), end=dt.time(18)) for d in range(6)
        )
        Break.objects.bulk_create(
            Break(practitioner=doctor, weekday=d, start=dt.time(13), end=dt.time(14)) for d in range(6)
        )
    for n in (1, 2):
        RoomFactory(location__clinic=clinic, name=f"Room {n}")
    AppointmentTypeFactory(
        clinic=clinic,
        code="initial",
        name="Initial consultation",
        kind=AppointmentKind.INITIAL,
        minutes=60,
        bookable_online=True,
    )
    AppointmentTypeFactory(clinic=clinic, code="treatment", name="Treatment", minutes=45)
    UserFactory(username="frontdesk", role=Role.FRONTDESK, first_name="Lakshmi")
    return clinic, doctors, tmp_path / "outbox"


def outbox_text(folder):
    return "\n".join(p.read_text() for p in sorted(folder.glob("*.log"))) if folder.exists() else ""


def sign_in(page, base, username):
    page.goto(f"{base}/accounts/sign-in/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def test_a_visitor_books_an_initial_consultation_and_the_clinic_confirms(live_server, page, shot, clinic_setup):
    _, doctors, outbox = clinic_setup
    base = live_server.url

    # A visitor opens the public page on a laptop: no sign-in.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{base}/book/")
    assert page.locator("h1").inner_text() == "Book an appointment"
    page.click("text=Initial consultation")
    page.wait_for_selector("label.slot")  # htmx loaded this week's free times
    page.click(".week-tabs >> text=Next week")
    page.wait_for_selector(".week-tabs [aria-current=true]:text('Next week')")
    page.select_option("#id_practitioner", label="Dr Meera Iyer")
    # The picker reloads with Dr Iyer's times only (names are shown only when "anyone" is chosen).
    page.wait_for_function("() => !document.querySelector('#slots').innerText.includes('Dr ')")
    assert page.locator("label.slot").count() > 10
    assert page.locator(".week-tabs [aria-current=true]").inner_text() == "Next week"  # the week is kept
    first = page.locator("label.slot").first
    chosen_time = first.inner_text().strip()
    first.click()

    page.fill("#id_given_name", "Kavya")
    page.fill("#id_family_name", "Hegde")
    page.fill("#id_birth_date", "1988-07-14")
    page.select_option("#id_sex", "female")
    page.fill("#id_phone", "+91 98450 22222")
    page.fill("#id_email", "kavya@example.in")
    page.fill("#id_reason", "Low back pain for five weeks, worse after sitting at work")
    page.check("input[name=pain_duration][value=acute]")
    answers = page.locator(".ces-item")
    for n in range(answers.count() - 1):  # one question left unanswered on purpose
        answers.nth(n).locator("input[value=no]").check()
    page.check("#id_consent")
    shot("issue7b-booking-page-1280")
    page.click("button:text('Send my request')")

    # Refused with the reason, and nothing typed is lost (the chosen time included).
    page.wait_for_selector(".errors-summary")
    last = answers.count()
    assert page.locator(".ces-item.has-error .error").inner_text() == f"Answer yes or no to question {last}."
    assert page.input_value("#id_email") == "kavya@example.in"
    assert page.locator("input[name=slot]:checked").count() == 1
    answers.nth(last - 1).locator("input[value=no]").check()
    page.click("button:text('Send my request')")

    page.wait_for_selector("text=Your request is sent.")
    assert "Awaiting the clinic's confirmation" in page.content()
    assert chosen_time.split()[0] in page.locator(".facts").inner_text()
    shot("issue7b-booking-sent")

    request = OnlineRequest.objects.select_related("appointment", "patient").get()
    assert request.status == RequestStatus.PENDING and request.patient.status == PatientStatus.PENDING
    assert request.appointment.practitioner == doctors[1]
    assert request.appointment.status == AppointmentStatus.PENDING
    mail = outbox_text(outbox)
    assert "Subject: Your appointment request at Jayanth Acupuncture Clinic" in mail
    assert "kavya@example.in" in mail and "/book/m/" in mail

    # The front desk sees the request and confirms it; the visitor gets the confirmation e-mail.
    page.set_viewport_size({"width": 1024, "height": 1366})
    sign_in(page, base, "frontdesk")
    page.goto(f"{base}/book/requests/")
    page.wait_for_selector("text=Kavya Hegde")
    shot("issue7b-online-requests")
    page.click(".request-card button:text('Confirm')")
    page.wait_for_selector("text=Confirmed Kavya Hegde.")
    request.refresh_from_db()
    assert request.status == RequestStatus.CONFIRMED
    assert Appointment.objects.get().status == AppointmentStatus.BOOKED
    assert "Subject: Confirmed: your appointment at Jayanth Acupuncture Clinic" in outbox_text(outbox)


def test_the_booking_page_on_a_phone(live_server, page, shot, clinic_setup):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/book/")
    page.click("text=Initial consultation")
    page.wait_for_selector("label.slot")
    page.locator("label.slot").nth(2).click()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
    shot("issue7b-booking-page-phone")


def test_the_work_list_books_a_maintained_patient_in_one_click(live_server, page, shot, clinic_setup):
    clinic, doctors, _ = clinic_setup
    zone = clinic_zone()
    today = timezone.localdate(timezone.now(), zone)
    treatment = AppointmentTypeFactory(clinic=clinic, code="treatment")
    for name, pains, weeks_ago in (("Kulkarni", (7, 2, 5), 1), ("Shetty", (6, 3, 3), 6)):
        patient = PatientFactory(clinic=clinic, given_name="Ravi" if name == "Shetty" else "Anita", family_name=name)
        TreatmentPlan.objects.create(patient=patient, approved_at=timezone.now() - dt.timedelta(days=150), sessions=2)
        for n in range(3):
            start = dt.datetime.combine(today - dt.timedelta(weeks=weeks_ago, days=7 * n), dt.time(10), tzinfo=zone)
            Appointment.objects.create(
                patient=patient,
                practitioner=doctors[1],
                type=treatment,
                start=start,
                end=start + dt.timedelta(minutes=45),
                status=AppointmentStatus.ATTENDED,
            )
        for n, pain in enumerate(pains):
            Assessment.objects.create(
                patient=patient,
                instrument="nrs",
                taken_at=timezone.now() - dt.timedelta(days=60 - 20 * n),
                answers=pain,
                score=pain,
                scorable=True,
            )

    sign_in(page, live_server.url, "frontdesk")
    page.goto(f"{live_server.url}/followup/")
    page.wait_for_selector("text=Anita Kulkarni")
    assert page.locator("tr", has_text="Kulkarni").locator(".badge").inner_text() == "Worse"
    assert page.locator("tr", has_text="Shetty").locator(".badge").inner_text() == "Overdue"
    shot("issue7b-work-list-e2e")
    page.locator("tr", has_text="Shetty").locator("button:text('Book next free time')").click()
    page.wait_for_selector("tr:has-text('Shetty') .alert.success")
    booked = Appointment.objects.get(patient__family_name="Shetty", status=AppointmentStatus.BOOKED)
    assert booked.practitioner == doctors[1]
    assert timezone.localdate(booked.start, zone) > today
