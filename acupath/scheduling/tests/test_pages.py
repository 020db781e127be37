"""The scheduling pages: calendars, the course proposal, cancel and rebook, the week grid."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from acupath.clinic.models import AppointmentType
from acupath.clinic.selectors import clinic_zone
from acupath.scheduling.enums import AppointmentStatus
from acupath.scheduling.models import Appointment, Break, Holiday, Leave, WorkingHours
from acupath.scheduling.services import appointment_book
from acupath.scheduling.tests.helpers import KOLKATA, approved_plan, give_rota, local, monday_after
from tests.factories import AppointmentTypeFactory, PatientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def treatment(clinic):
    return AppointmentTypeFactory(clinic=clinic)


@pytest.fixture
def doc(practitioner):
    return give_rota(practitioner)


# --- calendars ---------------------------------------------------------------------------------


def cal_url(practitioner):
    return f"/schedule/calendars/practitioners/{practitioner.public_id}/"


def test_front_desk_adds_hours_and_a_break_and_sees_clear_errors(signed_in, frontdesk, practitioner):
    client = signed_in(frontdesk)
    url = cal_url(practitioner)
    add = {"form": "block", "block-kind": "hours", "block-weekday": "0", "block-start": "09:00", "block-end": "13:00"}
    assert client.post(url, add).status_code == 302
    assert WorkingHours.objects.filter(practitioner=practitioner, weekday=0).count() == 1

    overlap = client.post(url, add | {"block-start": "12:00", "block-end": "17:00"})
    assert overlap.status_code == 200
    assert "Overlaps the 09:00-13:00 block on Monday" in overlap.content.decode()
    assert 'value="12:00"' in overlap.content.decode()  # nothing typed is lost

    stray_break = client.post(url, add | {"block-kind": "break", "block-start": "14:00", "block-end": "14:30"})
    assert "must fall inside working hours on Monday" in stray_break.content.decode()
    off_grid = client.post(url, add | {"block-start": "09:10"})
    assert "quarter hour" in off_grid.content.decode()

    assert (
        client.post(url, add | {"block-kind": "break", "block-start": "11:00", "block-end": "11:15"}).status_code == 302
    )
    assert Break.objects.filter(practitioner=practitioner).count() == 1


def test_leave_is_stored_in_utc_from_clinic_local_days_and_warns_of_bookings(
    signed_in, frontdesk, doc, treatment, patient
):
    monday = monday_after(1)
    appointment_book(actor=None, patient=patient, practitioner=doc, type=treatment, start=local(monday, 10))
    client = signed_in(frontdesk)
    response = client.post(
        cal_url(doc),
        {
            "form": "leave",
            "leave-first_day": monday.isoformat(),
            "leave-last_day": (monday + dt.timedelta(days=1)).isoformat(),
        },
        follow=True,
    )
    leave = Leave.objects.get(practitioner=doc)
    assert leave.start == local(monday, 0) and leave.end == local(monday + dt.timedelta(days=2), 0)
    assert leave.start.astimezone(dt.UTC).hour == 18  # 00:00 IST is 18:30 UTC the day before
    page = response.content.decode()
    assert "1 booked appointment(s) fall in this leave" in page
    assert f"{monday:%a} {monday.day} {monday:%b} – " in page  # shown as whole local days

    again = client.post(
        cal_url(doc), {"form": "leave", "leave-first_day": monday.isoformat(), "leave-last_day": monday.isoformat()}
    )
    assert "Overlaps leave already recorded" in again.content.decode()
    backwards = client.post(
        cal_url(doc),
        {
            "form": "leave",
            "leave-first_day": monday.isoformat(),
            "leave-last_day": (monday - dt.timedelta(days=3)).isoformat(),
        },
    )
    assert "must end after it starts" in backwards.content.decode()


def test_holidays_are_added_once_and_removed(signed_in, owner, clinic):
    client = signed_in(owner)
    day = monday_after(3)
    data = {"holiday-day": day.isoformat(), "holiday-name": "Ugadi"}
    assert client.post("/schedule/calendars/", data).status_code == 302
    duplicate = client.post("/schedule/calendars/", data)
    assert "is already a holiday" in duplicate.content.decode()
    holiday = Holiday.objects.get(clinic=clinic)
    assert client.post(f"/schedule/calendars/holidays/{holiday.pk}/delete/").status_code == 302
    assert not Holiday.objects.exists()


def test_appointment_types_are_created_and_edited_with_clear_errors(signed_in, owner, clinic, treatment):
    client = signed_in(owner)
    data = {"name": "Cupping", "code": "cupping", "kind": "treatment", "minutes": "40"}
    assert "multiple of 15" in client.post("/schedule/calendars/types/new/", data).content.decode()
    assert client.post("/schedule/calendars/types/new/", data | {"minutes": "30"}).status_code == 302
    taken = client.post("/schedule/calendars/types/new/", data | {"minutes": "30", "name": "Again"})
    assert "already has the code" in taken.content.decode()
    url = f"/schedule/calendars/types/{treatment.public_id}/"
    edit = {"name": "Treatment", "code": "treatment", "kind": "treatment", "minutes": "60", "bookable_online": "on"}
    assert client.post(url, edit).status_code == 302
    treatment.refresh_from_db()
    assert treatment.minutes == 60 and treatment.bookable_online
    assert AppointmentType.objects.filter(code="cupping", minutes=30).exists()


def test_practitioners_see_calendars_but_cannot_change_them(signed_in, practitioner, doc):
    client = signed_in(practitioner.user)
    assert client.get("/schedule/calendars/").status_code == 200
    page = client.get(cal_url(doc)).content.decode()
    assert "Add to the rota" not in page
    blocked = {
        "form": "block",
        "block-kind": "hours",
        "block-weekday": "6",
        "block-start": "09:00",
        "block-end": "10:00",
    }
    assert client.post(cal_url(doc), blocked).status_code == 403
    assert client.post("/schedule/calendars/types/new/", {}).status_code == 403
    assert not WorkingHours.objects.filter(weekday=6).exists()


def test_patients_cannot_open_scheduling_pages(signed_in, patient_user, practitioner):
    client = signed_in(patient_user)
    for url in ("/schedule/", "/schedule/calendars/", cal_url(practitioner)):
        assert client.get(url).status_code == 403, url


def test_calendar_pages_query_counts_are_fixed(signed_in, frontdesk, doc, clinic, django_assert_num_queries):
    client = signed_in(frontdesk)
    Leave.objects.create(practitioner=doc, start=local(monday_after(2), 0), end=local(monday_after(3), 0))
    client.get("/schedule/calendars/")  # warm the clinic caches
    # session, user, clinic, practitioners, their hours, their leave, holidays, types
    with django_assert_num_queries(8):
        client.get("/schedule/calendars/")
    with django_assert_num_queries(6):  # session, user, practitioner, hours, breaks, leave
        client.get(cal_url(doc))


# --- the course proposal page ------------------------------------------------------------------


def course_url(plan):
    return f"/schedule/plans/{plan.public_id}/course/"


def posted_rows(page: str) -> dict[str, str]:
    """The proposal form as the browser would post it: hidden settings, each row's day and chosen time."""
    form = page[page.index('id="proposal"') :]
    data = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))
    data |= dict(re.findall(r'<input type="date" name="(day_\d+)" value="([^"]*)"', form))
    for name, body in re.findall(r'<select name="(slot_\d+)"[^>]*>(.*?)</select>', form, flags=re.S):
        data[name] = re.search(r'<option value="([^"]*)" selected', body).group(1)
    return data


def test_front_desk_books_a_proposed_course_from_the_page(signed_in, frontdesk, doc, treatment, patient, room):
    plan = approved_plan(patient, sessions=4, course={"phases": [[2, 2]]})
    client = signed_in(frontdesk)
    page = client.get(course_url(plan), {"first_day": monday_after(1).isoformat(), "practitioner": str(doc.public_id)})
    assert page.status_code == 200
    data = posted_rows(page.content.decode())
    assert data["rows"] == "4"
    response = client.post(course_url(plan), data)
    assert response.status_code == 302 and response["Location"] == f"/patients/{patient.public_id}/"
    assert Appointment.objects.filter(plan=plan, status=AppointmentStatus.BOOKED).count() == 4


def test_a_dropped_row_is_not_booked_and_a_moved_one_is(signed_in, frontdesk, doc, treatment, patient):
    plan = approved_plan(patient, sessions=4, course={"phases": [[2, 2]]})
    client = signed_in(frontdesk)
    page = client.get(course_url(plan), {"first_day": monday_after(1).isoformat(), "practitioner": str(doc.public_id)})
    data = posted_rows(page.content.decode())
    friday = monday_after(2) + dt.timedelta(days=4)
    options = client.get(
        f"{course_url(plan)}options/", {"row": "4", "day_4": friday.isoformat(), "practitioner": str(doc.public_id)}
    ).content.decode()
    afternoon = re.search(r'<option value="([^"]*T15:00:00\+05:30[^"]*)"', options).group(1)
    data |= {"day_4": friday.isoformat(), "slot_4": afternoon, "drop": "3"}
    assert client.post(course_url(plan), data).status_code == 302
    starts = [a.start.astimezone(KOLKATA) for a in Appointment.objects.filter(plan=plan).order_by("start")]
    assert len(starts) == 3 and starts[-1] == local(friday, 15)


def test_a_taken_slot_books_nothing_and_the_table_comes_back_as_posted(
    signed_in, frontdesk, doc, treatment, patient, clinic
):
    plan = approved_plan(patient, sessions=4, course={"phases": [[2, 2]]})
    client = signed_in(frontdesk)
    page = client.get(course_url(plan), {"first_day": monday_after(1).isoformat(), "practitioner": str(doc.public_id)})
    data = posted_rows(page.content.decode())
    data["drop"] = "1"
    taken = dt.datetime.fromisoformat(data["slot_2"].split("|")[0])
    appointment_book(actor=None, patient=PatientFactory(clinic=clinic), practitioner=doc, type=treatment, start=taken)
    response = client.post(course_url(plan), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing was booked." in page and "Session 1" in page and "already booked" in page
    assert 'name="drop" value="1" checked' in page  # the table is as the front desk left it
    assert f'value="{data["slot_3"]}" selected' in page
    assert Appointment.objects.filter(plan=plan).count() == 0


def test_course_page_of_another_clinics_patient_is_not_reachable_by_a_patient(signed_in, patient_user, patient):
    plan = approved_plan(patient)
    assert signed_in(patient_user).get(course_url(plan)).status_code == 404


def test_course_page_query_count_does_not_grow(
    signed_in, frontdesk, doc, treatment, patient, clinic, django_assert_num_queries
):
    plan = approved_plan(patient, sessions=10)
    client = signed_in(frontdesk)
    params = {"first_day": monday_after(1).isoformat(), "practitioner": str(doc.public_id)}
    client.get(course_url(plan), params)

    def count():
        with CaptureQueriesContext(connection) as captured:
            client.get(course_url(plan), params)
        return len(captured)

    before = count()
    for day in range(5):
        appointment_book(
            actor=None,
            patient=PatientFactory(clinic=clinic),
            practitioner=doc,
            type=treatment,
            start=local(monday_after(1) + dt.timedelta(days=day), 9),
        )
    # session, user, plan, patient access, defaults (the course's practitioner) and form lookups,
    # history, rooms, the seven availability reads, the audit row: 21, however full the diary.
    assert count() == before == 21


# --- cancel and rebook -------------------------------------------------------------------------


def test_cancelling_a_course_session_offers_the_rebooking(signed_in, frontdesk, doc, treatment, patient):
    plan = approved_plan(patient, sessions=4, course={"phases": [[2, 2]]})
    client = signed_in(frontdesk)
    page = client.get(course_url(plan), {"first_day": monday_after(1).isoformat(), "practitioner": str(doc.public_id)})
    client.post(course_url(plan), posted_rows(page.content.decode()))
    second = Appointment.objects.filter(plan=plan).order_by("start")[1]

    response = client.post(f"/schedule/appointments/{second.public_id}/cancel/", {"reason": "unwell", "rebook": "on"})
    assert response["Location"] == f"/schedule/appointments/{second.public_id}/rebook/"
    rebook = client.get(response["Location"])
    text = rebook.content.decode()
    assert "These later sessions will be moved" in text
    data = posted_rows(text)
    assert data["rows"] == "3"
    assert client.post(response["Location"], data).status_code == 302
    standing = list(Appointment.objects.filter(plan=plan, status=AppointmentStatus.BOOKED).order_by("start"))
    assert len(standing) == 4
    assert second.start.astimezone(KOLKATA).date() not in {a.start.astimezone(KOLKATA).date() for a in standing}


def test_a_patient_cannot_cancel_through_the_page(signed_in, patient_user, doc, treatment, patient):
    appointment = appointment_book(
        actor=None, patient=patient, practitioner=doc, type=treatment, start=local(monday_after(1), 10)
    )
    assert signed_in(patient_user).post(f"/schedule/appointments/{appointment.public_id}/cancel/").status_code == 404
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED


# --- the week ----------------------------------------------------------------------------------


def test_week_shows_appointments_breaks_leave_and_holidays(signed_in, frontdesk, doc, treatment, patient, clinic):
    monday = monday_after(1)
    appointment_book(actor=None, patient=patient, practitioner=doc, type=treatment, start=local(monday, 10, 30))
    Leave.objects.create(
        practitioner=doc,
        start=local(monday + dt.timedelta(days=2), 0),
        end=local(monday + dt.timedelta(days=3), 0),
        reason="Course",
    )
    Holiday.objects.create(clinic=clinic, day=monday + dt.timedelta(days=4), name="Holi")
    page = signed_in(frontdesk).get("/schedule/week/", {"practitioner": str(doc.public_id), "week": monday.isoformat()})
    text = page.content.decode()
    assert "Asha Rao" in text and "10:30 Treatment" in text
    assert "Break" in text and "Course" in text and "Holi" in text
    # 10:30 is the seventh quarter hour after 09:00; 45 minutes span three rows.
    assert 'style="grid-row: 7 / span 3"' in text


def test_week_query_count_is_fixed(signed_in, frontdesk, doc, treatment, clinic, django_assert_num_queries):
    client = signed_in(frontdesk)
    monday = monday_after(1)
    params = {"practitioner": str(doc.public_id), "week": monday.isoformat()}
    client.get("/schedule/week/", params)
    for day in range(5):
        appointment_book(
            actor=None,
            patient=PatientFactory(clinic=clinic),
            practitioner=doc,
            type=treatment,
            start=local(monday + dt.timedelta(days=day), 11),
        )
    clinic_zone()
    # session, user, practitioner, hours, breaks, leave, holidays, appointments, practitioner list,
    # the signed-in user's own practitioner row (feed link)
    with django_assert_num_queries(9):
        client.get("/schedule/week/", params)
