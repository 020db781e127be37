"""No-shows: recorded by the front desk on an appointment whose time has come, and counted."""

import datetime as dt

import pytest
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone

from acupath.clinic.selectors import clinic_zone
from acupath.core.errors import Conflict
from acupath.core.models import AuditEvent
from acupath.followup.selectors import no_show_report, no_show_report_cached
from acupath.followup.services import appointment_mark_no_show
from acupath.scheduling.enums import AppointmentStatus
from acupath.scheduling.models import Appointment, SlotClaim
from acupath.scheduling.services import claims_for
from tests.factories import PatientFactory, PractitionerFactory, UserFactory

pytestmark = pytest.mark.django_db


def local(day, hour):
    return dt.datetime.combine(day, dt.time(hour), tzinfo=clinic_zone())


@pytest.fixture
def make(clinic, doc, treatment):
    """An appointment with claims, as the booking service would leave it (past times allowed)."""

    def appointment(start, status=AppointmentStatus.BOOKED, patient=None, practitioner=None):
        a = Appointment.objects.create(
            patient=patient or PatientFactory(clinic=clinic),
            practitioner=practitioner or doc,
            type=treatment,
            start=start,
            end=start + dt.timedelta(minutes=45),
            status=status,
        )
        if status == AppointmentStatus.BOOKED:
            SlotClaim.objects.bulk_create(claims_for(a))
        return a

    return appointment


def test_a_missed_appointment_is_recorded_and_its_slot_freed(make, frontdesk):
    appointment = make(timezone.now() - dt.timedelta(hours=2))
    appointment_mark_no_show(actor=frontdesk, appointment=appointment)
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.NO_SHOW
    assert not SlotClaim.objects.filter(appointment=appointment).exists()
    assert AuditEvent.objects.filter(entity="appointment", summary="no-show", actor=frontdesk).exists()


@pytest.mark.parametrize(
    ("hours", "status", "message"),
    [
        (-2, AppointmentStatus.ATTENDED, "recorded as attended"),
        (-2, AppointmentStatus.CANCELLED, "it was cancelled"),
        (-2, AppointmentStatus.NO_SHOW, "already marked as not attended"),
        (3, AppointmentStatus.BOOKED, "has not started yet"),
    ],
)
def test_only_a_booked_appointment_whose_time_has_come_can_be_a_no_show(make, frontdesk, hours, status, message):
    appointment = make(timezone.now() + dt.timedelta(hours=hours), status=status)
    with pytest.raises(Conflict, match=message):
        appointment_mark_no_show(actor=frontdesk, appointment=appointment)
    appointment.refresh_from_db()
    assert appointment.status == status


def test_attendance_page_marks_a_no_show_and_shows_counts_per_patient(
    client, make, frontdesk, clinic, django_assert_num_queries
):
    regular = PatientFactory(clinic=clinic, family_name="Often")
    for weeks in (3, 6):
        make(timezone.now() - dt.timedelta(weeks=weeks), status=AppointmentStatus.NO_SHOW, patient=regular)
    today = timezone.localdate(timezone.now(), clinic_zone())
    earlier = timezone.now() - dt.timedelta(minutes=30)
    missed = make(earlier.replace(minute=0 if earlier.minute < 15 else 15, second=0, microsecond=0), patient=regular)
    client.force_login(frontdesk)
    url = reverse("followup:attendance") + f"?day={timezone.localdate(missed.start, clinic_zone()):%Y-%m-%d}"
    client.get(url)  # warm the clinic caches
    # session, user, practitioners (the filter), the page (counts included), its size, the audit event
    with django_assert_num_queries(6):
        page = client.get(url).content.decode()
    assert "Often" in page and "2 no-shows" in page and "Did not attend</button>" in page
    response = client.post(
        reverse("followup:mark_no_show", kwargs={"appointment_id": missed.public_id}), {"next": url}, follow=True
    )
    assert "did not attend" in response.content.decode()
    assert "3 no-shows" in response.content.decode()
    missed.refresh_from_db()
    assert missed.status == AppointmentStatus.NO_SHOW
    for n in range(4):
        make(local(today, 9) + dt.timedelta(hours=n))
    with django_assert_num_queries(6):
        client.get(reverse("followup:attendance") + f"?day={today:%Y-%m-%d}")


def test_attendance_filters_by_practitioner_and_pages(client, make, frontdesk, clinic, doc, settings):
    from acupath.followup import views

    other = PractitionerFactory(clinic=clinic, display_name="Dr Other", user=UserFactory(username="other2"))
    day = timezone.localdate(timezone.now(), clinic_zone()) - dt.timedelta(days=1)
    for hour in range(9, 15):
        make(local(day, hour))
    make(local(day, 10), practitioner=other)
    client.force_login(frontdesk)
    base = reverse("followup:attendance") + f"?day={day:%Y-%m-%d}"
    page = client.get(base + f"&practitioner={other.public_id}").content.decode()
    assert page.count("Did not attend</button>") == 1
    views.ATTENDANCE_PAGE, saved = 4, views.ATTENDANCE_PAGE
    try:
        first = client.get(base).content.decode()
        second = client.get(base + "&page=2").content.decode()
    finally:
        views.ATTENDANCE_PAGE = saved
    assert first.count("Did not attend</button>") == 4 and "Page 1 of 2" in first
    assert second.count("Did not attend</button>") == 3


def test_the_report_counts_no_shows_per_month_and_practitioner(make, clinic, doc, django_assert_num_queries):
    other = PractitionerFactory(clinic=clinic, display_name="Dr Other", user=UserFactory(username="other"))
    now = timezone.now()
    this_month = timezone.localdate(now, clinic_zone()).replace(day=1)
    last_month = (this_month - dt.timedelta(days=1)).replace(day=1)
    # Last month: Dr Test 2 missed of 3, Dr Other 0 of 1. This month (if it has passed days): 1 of 1.
    for day, status, practitioner in (
        (last_month + dt.timedelta(days=2), AppointmentStatus.NO_SHOW, doc),
        (last_month + dt.timedelta(days=3), AppointmentStatus.NO_SHOW, doc),
        (last_month + dt.timedelta(days=4), AppointmentStatus.ATTENDED, doc),
        (last_month + dt.timedelta(days=4), AppointmentStatus.ATTENDED, other),
        (last_month + dt.timedelta(days=5), AppointmentStatus.CANCELLED, other),  # not counted
    ):
        make(local(day, 10), status=status, practitioner=practitioner)
    with django_assert_num_queries(3):
        report = no_show_report(now=now)
    assert [p.display_name for p in report.practitioners] == sorted([doc.display_name, "Dr Other"])
    row = next(m for m in report.months if m.month == last_month)
    cells = dict(zip([p.pk for p in report.practitioners], row.cells, strict=True))
    assert cells[doc.pk] == (2, 3)
    assert cells[other.pk] == (0, 1)
    assert (row.no_shows, row.due, row.rate) == (2, 4, 50.0)
    by_practitioner = {p.pk: (cells, total) for p, cells, total in report.by_practitioner()}
    assert by_practitioner[doc.pk][1] == (2, 3)
    assert report.months[0].month >= last_month  # the most recent month first


def test_patients_who_miss_often_are_listed(make, clinic, django_assert_num_queries):
    often = PatientFactory(clinic=clinic, family_name="Often")
    for weeks in (2, 3, 4):
        make(timezone.now() - dt.timedelta(weeks=weeks), status=AppointmentStatus.NO_SHOW, patient=often)
    make(timezone.now() - dt.timedelta(weeks=2), status=AppointmentStatus.NO_SHOW)
    no_show_report()
    with django_assert_num_queries(4):  # the grid, the practitioners, the top patients, their names
        frequent = no_show_report().frequent
    assert [(p["patient__family_name"], p["n"]) for p in frequent] == [("Often", 3)]


def test_the_report_page_opens_for_staff_only(client, frontdesk, patient_user, make):
    make(timezone.now() - dt.timedelta(days=3), status=AppointmentStatus.NO_SHOW)
    client.force_login(frontdesk)
    assert client.get(reverse("followup:no_shows")).status_code == 200
    assert client.get(reverse("followup:no_shows") + "?months=12").status_code == 200
    client.force_login(patient_user)
    assert client.get(reverse("followup:no_shows")).status_code == 403
    assert client.get(reverse("followup:attendance")).status_code == 403


def test_a_patient_cannot_mark_a_no_show(client, patient_user, make):
    appointment = make(timezone.now() - dt.timedelta(hours=2))
    client.force_login(patient_user)
    assert (
        client.post(reverse("followup:mark_no_show", kwargs={"appointment_id": appointment.public_id})).status_code
        == 403
    )
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED


def test_the_return_address_must_be_on_this_site(client, frontdesk, make):
    appointment = make(timezone.now() - dt.timedelta(hours=2))
    client.force_login(frontdesk)
    url = reverse("followup:mark_no_show", kwargs={"appointment_id": appointment.public_id})
    response = client.post(url, {"next": "https://evil.example/"})
    assert response["Location"] == reverse("followup:attendance")


def test_the_report_is_kept_a_while_and_a_new_no_show_clears_it(make, frontdesk, django_capture_on_commit_callbacks):
    def missed_in_report():
        return sum(m.no_shows for m in no_show_report_cached().months)

    make(timezone.now() - dt.timedelta(days=3), status=AppointmentStatus.NO_SHOW)
    assert missed_in_report() == 1
    make(timezone.now() - dt.timedelta(days=4), status=AppointmentStatus.NO_SHOW)  # not through the service
    assert missed_in_report() == 1  # kept
    missed = make(timezone.now() - dt.timedelta(hours=3))
    with django_capture_on_commit_callbacks(execute=True):
        appointment_mark_no_show(actor=frontdesk, appointment=missed)
    assert missed_in_report() == 3


def test_the_worker_counts_the_report_again_before_a_page_would_wait(make):
    from acupath.followup.selectors import no_show_report_keep_fresh
    from acupath.followup.selectors.attendance import _report_key
    from acupath.followup.tasks import no_show_report_count

    make(timezone.now() - dt.timedelta(days=3), status=AppointmentStatus.NO_SHOW)
    assert no_show_report_count("test") == {"counted": 2}  # six and twelve months, none kept yet
    assert no_show_report_keep_fresh() == 0  # fresh
    make(timezone.now() - dt.timedelta(days=4), status=AppointmentStatus.NO_SHOW)
    later = timezone.now() + dt.timedelta(seconds=301)  # past half of the 600 s it is kept
    assert no_show_report_keep_fresh(now=later) == 2
    counted_at, report = caches["shared"].get(_report_key(6))
    assert sum(m.no_shows for m in report.months) == 2 and counted_at <= timezone.now()
