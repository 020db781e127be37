"""The recurrence watch: maintained backs that got worse by the MCID, or are overdue a maintenance visit."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from acupath.followup.models import WatchFlag, WatchRun
from acupath.followup.selectors import OVERDUE, WORSE, recurrence_watch, snapshot_max_age
from acupath.patients.models import PatientStatus
from acupath.scheduling.enums import AppointmentStatus
from acupath.scheduling.models import Appointment
from acupath.scheduling.services import appointment_book

pytestmark = pytest.mark.django_db


def watched(name):
    return {item.family_name: item for item in recurrence_watch()}.get(name)


@pytest.mark.parametrize(
    ("nrs", "odi", "flagged"),
    [
        ((6, 2, 4), (), True),  # 2 points above the best: exactly the NRS MCID
        ((6, 2, 3), (), False),  # 1 point: just below
        ((6, 2, 2), (), False),
        ((), (40, 20, 30), True),  # ODI 10 points above the best
        ((), (40, 20, 29.99), False),  # ODI just below its MCID
        ((), (40, 20.5, 30.5), True),
        ((5, 3), (40, 30), False),  # improving
    ],
)
def test_worse_than_best_by_the_mcid_is_flagged_and_just_below_is_not(maintained, nrs, odi, flagged):
    maintained(nrs=nrs, odi=odi, last_visit_days_ago=3, name="Worse")
    item = watched("Worse")
    assert (item is not None and WORSE in item.reasons) is flagged


def test_the_detail_names_the_scores_only_for_clinical_readers(maintained):
    maintained(nrs=(7, 2, 5), last_visit_days_ago=3, name="Detail")
    item = watched("Detail")
    assert item.reason == WORSE
    assert item.detail(clinical=True) == "NRS 5, best 2 (worse by 3; MCID 2)"
    assert "5" not in item.detail(clinical=False) and "clinically worse" in item.detail(clinical=False)


def test_a_patient_still_in_the_course_is_not_watched(maintained):
    maintained(sessions=6, visits=5, nrs=(6, 2, 6), last_visit_days_ago=60, name="MidCourse")
    assert watched("MidCourse") is None


def test_a_pending_patient_is_not_watched(maintained):
    patient = maintained(nrs=(6, 2, 6), name="Pending")
    patient.status = PatientStatus.PENDING
    patient.save()
    assert watched("Pending") is None


@pytest.mark.parametrize(
    ("visits", "days_ago", "overdue"),
    [
        (3, 13, False),  # just finished the course: the first gap is 2 weeks, due tomorrow
        (3, 14, False),  # due today is not yet overdue
        (3, 15, True),  # two weeks and a day
        (4, 27, False),  # one maintenance visit done: the gap is now 4 weeks
        (4, 29, True),
        (6, 41, False),  # three or more done: the last gap (6 weeks) repeats
        (9, 43, True),
    ],
)
def test_overdue_follows_the_plans_tapering_maintenance_interval(maintained, visits, days_ago, overdue):
    maintained(visits=visits, last_visit_days_ago=days_ago, name="Due")
    item = watched("Due")
    assert (item is not None and OVERDUE in item.reasons) is overdue


def test_a_plan_without_a_taper_uses_the_course_rules_default(maintained):
    maintained(course={}, last_visit_days_ago=15, name="Default")  # course rules: 2, 4, 6 weeks
    assert OVERDUE in watched("Default").reasons


def test_a_future_booking_clears_overdue(maintained, doc, treatment):
    patient = maintained(last_visit_days_ago=40, name="Booked")
    assert OVERDUE in watched("Booked").reasons
    appointment_book(
        actor=None,
        patient=patient,
        practitioner=doc,
        type=treatment,
        start=(timezone.now() + dt.timedelta(days=3)).replace(minute=0, second=0, microsecond=0),
    )
    assert watched("Booked") is None


def test_a_worse_patient_with_a_booking_is_worse_but_not_overdue(maintained, doc, treatment):
    patient = maintained(nrs=(6, 2, 5), last_visit_days_ago=40, name="WorseBooked")
    appointment_book(
        actor=None,
        patient=patient,
        practitioner=doc,
        type=treatment,
        start=(timezone.now() + dt.timedelta(days=3)).replace(minute=0, second=0, microsecond=0),
    )
    item = watched("WorseBooked")
    assert item.reasons == (WORSE,)
    assert item.next_booking is not None


def test_worse_and_overdue_together_lists_worse_first(maintained):
    maintained(nrs=(6, 1, 5), last_visit_days_ago=40, name="Both")
    maintained(last_visit_days_ago=20, name="OnlyDue")
    items = recurrence_watch()
    assert [i.family_name for i in items] == ["Both", "OnlyDue"]
    assert items[0].reasons == (WORSE, OVERDUE)


def test_scores_from_before_the_plan_do_not_count(maintained):
    from acupath.measures.models import Assessment

    patient = maintained(nrs=(5, 4), last_visit_days_ago=3, name="Old")
    Assessment.objects.create(
        patient=patient,
        instrument="nrs",
        taken_at=timezone.now() - dt.timedelta(days=400),  # an old episode, before this plan
        answers={},
        score=0,
        scorable=True,
    )
    assert watched("Old") is None


def test_the_watch_takes_two_queries_whatever_the_number_of_patients(
    maintained, django_assert_num_queries, practitioner
):
    maintained(nrs=(6, 2, 5), last_visit_days_ago=3, name="A")
    with django_assert_num_queries(2):  # the patients with their facts, then their practitioners
        assert len(recurrence_watch()) == 1
    for n in range(8):
        maintained(nrs=(6, 2, 5), last_visit_days_ago=40 + n, name=f"B{n}")
        maintained(last_visit_days_ago=2, name=f"Fine{n}")
    with django_assert_num_queries(2):
        assert len(recurrence_watch()) == 9


def test_each_item_names_the_practitioner_of_the_last_visit(maintained):
    maintained(nrs=(6, 2, 5), last_visit_days_ago=3, name="Who")
    assert watched("Who").practitioner.display_name.startswith("Dr Test")


# --- the work list page -------------------------------------------------------------------------


def test_the_work_list_shows_who_to_call_and_why(client, frontdesk, maintained, django_assert_num_queries):
    maintained(nrs=(6, 2, 5), last_visit_days_ago=3, name="Kulkarni")
    maintained(last_visit_days_ago=40, name="Shetty")
    client.force_login(frontdesk)
    client.get(reverse("followup:work_list"))  # works out the snapshot, warms the clinic caches
    # session, user, the snapshot's age, is the user a practitioner, the page's ids, their rows
    # (patients and practitioners joined), the count, audit
    with django_assert_num_queries(8):
        page = client.get(reverse("followup:work_list")).content.decode()
    assert "Kulkarni" in page and "Shetty" in page
    assert "Worse" in page and "Overdue" in page
    assert "best 2" not in page  # the front desk does not read scores
    for n in range(5):
        maintained(last_visit_days_ago=30 + n, name=f"More{n}")
    with django_assert_num_queries(8):
        page = client.get(reverse("followup:work_list")).content.decode()
    assert "More0" not in page  # the snapshot is a few minutes old at most...
    WatchRun.objects.update(ran_at=timezone.now() - snapshot_max_age() - dt.timedelta(seconds=1))
    page = client.get(reverse("followup:work_list")).content.decode()
    assert "More0" in page and "7 to call" in page  # ...then it is worked out again


def test_practitioners_see_the_scores_on_the_work_list(client, practitioner, maintained):
    maintained(nrs=(6, 2, 5), last_visit_days_ago=3, name="Kulkarni")
    client.force_login(practitioner.user)
    assert "NRS 5, best 2" in client.get(reverse("followup:work_list")).content.decode()


def test_a_practitioner_sees_their_own_patients_first_and_everyone_on_request(client, practitioner, maintained, clinic):
    from tests.factories import PractitionerFactory

    maintained(last_visit_days_ago=40, name="Mine")
    maintained(last_visit_days_ago=40, name="Theirs", practitioner=PractitionerFactory(clinic=clinic))
    client.force_login(practitioner.user)
    own = client.get(reverse("followup:work_list")).content.decode()
    assert "Mine" in own and "Theirs" not in own and "1 to call" in own
    everyone = client.get(reverse("followup:work_list"), {"who": "all"}).content.decode()
    assert "Mine" in everyone and "Theirs" in everyone and "2 to call" in everyone


def test_one_click_books_the_next_free_time_with_their_practitioner(client, frontdesk, maintained, doc):
    patient = maintained(last_visit_days_ago=40, name="Oneclick")
    client.force_login(frontdesk)
    url = reverse("followup:book_next", kwargs={"patient_id": patient.public_id})
    response = client.post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Booked" in response.content.decode()
    booked = Appointment.objects.get(patient=patient, status=AppointmentStatus.BOOKED)
    assert booked.practitioner == doc and booked.room is not None
    assert timezone.localdate(booked.start) > timezone.localdate()
    assert booked.plan is not None
    assert watched("Oneclick") is None
    assert not WatchFlag.objects.filter(patient=patient).exists()  # off the work list at once


def test_one_click_never_books_a_patient_twice(client, frontdesk, maintained, doc, treatment):
    patient = maintained(last_visit_days_ago=40, name="Twice")
    client.force_login(frontdesk)
    client.get(reverse("followup:work_list"))  # the snapshot lists them as overdue
    appointment_book(
        actor=None,
        patient=patient,
        practitioner=doc,
        type=treatment,
        start=(timezone.now() + dt.timedelta(days=5)).replace(minute=0, second=0, microsecond=0),
    )  # booked elsewhere meanwhile; the snapshot does not know yet
    response = client.post(
        reverse("followup:book_next", kwargs={"patient_id": patient.public_id}), HTTP_HX_REQUEST="true"
    )
    assert "already booked on" in response.content.decode()
    assert Appointment.objects.filter(patient=patient, status=AppointmentStatus.BOOKED).count() == 1
    assert not WatchFlag.objects.filter(patient=patient).exists()


def test_one_click_says_so_when_nothing_is_free(client, frontdesk, maintained, doc):
    from acupath.scheduling.models import WorkingHours

    patient = maintained(last_visit_days_ago=40, name="Full")
    WorkingHours.objects.filter(practitioner=doc).delete()
    client.force_login(frontdesk)
    response = client.post(reverse("followup:book_next", kwargs={"patient_id": patient.public_id}), follow=True)
    assert "No free time with" in response.content.decode()


def test_patients_cannot_use_the_work_list_or_book_for_others(client, patient_user, maintained):
    other = maintained(last_visit_days_ago=40, name="Other")
    client.force_login(patient_user)
    assert client.get(reverse("followup:work_list")).status_code == 403
    assert client.post(reverse("followup:book_next", kwargs={"patient_id": other.public_id})).status_code == 404
    assert not Appointment.objects.filter(patient=other, status=AppointmentStatus.BOOKED).exists()
    client.logout()
    assert client.get(reverse("followup:work_list")).status_code == 302


# --- the API ------------------------------------------------------------------------------------


def test_api_lists_flagged_patients_with_the_reason(api, practitioner, frontdesk, maintained):
    worse = maintained(nrs=(6, 2, 5), last_visit_days_ago=3, name="Apiworse")
    due = maintained(last_visit_days_ago=40, name="Apidue")
    body = api.get("/api/v1/recurrence-watch", user=practitioner.user).json()
    assert body["count"] == 2
    by_id = {item["patient"]["id"]: item for item in body["items"]}
    assert by_id[str(worse.public_id)]["reason"] == "worse"
    assert by_id[str(worse.public_id)]["patient"]["name"].endswith("Apiworse")
    assert by_id[str(worse.public_id)]["scores"] == [{"instrument": "nrs", "best": 2.0, "latest": 5.0, "mcid": 2.0}]
    assert by_id[str(due.public_id)]["reason"] == "overdue"
    assert "due" in by_id[str(due.public_id)]["detail"]
    desk = api.get("/api/v1/recurrence-watch", user=frontdesk).json()
    assert all(item["scores"] is None for item in desk["items"])


def test_api_refuses_anonymous_and_patients(api, patient_user, maintained):
    maintained(nrs=(6, 2, 5), name="Hidden")
    assert api.get("/api/v1/recurrence-watch").status_code == 401
    response = api.get("/api/v1/recurrence-watch", user=patient_user)
    assert response.status_code == 403
    assert "Hidden" not in response.content.decode()


def test_api_pages_in_constant_queries(api, practitioner, maintained, django_assert_num_queries):
    for n in range(4):
        maintained(last_visit_days_ago=40 + n, name=f"P{n}")
    from conftest import bearer

    headers = bearer(practitioner.user)
    api.client.get("/api/v1/recurrence-watch", **headers)  # works out the snapshot
    # token, the snapshot's age, the page's ids, their rows, the count, the audit event
    with django_assert_num_queries(6):
        body = api.client.get("/api/v1/recurrence-watch", {"limit": 2}, **headers).json()
    assert body["count"] == 4 and len(body["items"]) == 2


def test_the_refresh_command_rebuilds_the_snapshot(maintained, capsys):
    from django.core.management import call_command

    maintained(nrs=(6, 2, 5), last_visit_days_ago=3, name="Cmd")
    call_command("watch_refresh")
    assert "1 patient(s) on the work list." in capsys.readouterr().out
    flag = WatchFlag.objects.select_related("patient").get()
    assert flag.patient.family_name == "Cmd" and flag.worse and not flag.overdue
    assert flag.scores == [{"instrument": "nrs", "name": "NRS", "best": 2.0, "latest": 5.0, "mcid": 2.0}]


def test_patients_not_seen_for_half_a_year_have_lapsed(maintained, settings):
    maintained(last_visit_days_ago=200, plan_days_ago=300, name="Lapsed")
    assert watched("Lapsed") is None
    settings.FOLLOWUP_LAPSED_AFTER_WEEKS = 0  # watch everyone
    assert OVERDUE in watched("Lapsed").reasons


def test_the_worker_keeps_the_work_list_fresh_before_a_page_would_wait(maintained):
    from acupath.followup.tasks import watch_keep_fresh

    maintained(last_visit_days_ago=40, name="Shetty")
    assert watch_keep_fresh("test") == {"refreshed": 1}  # no snapshot yet
    assert watch_keep_fresh("test") == {}  # fresh: nothing to do
    # Past half the age a page accepts, the worker refreshes, while a page would still read it.
    WatchRun.objects.update(ran_at=timezone.now() - snapshot_max_age() / 2 - dt.timedelta(seconds=1))
    assert watch_keep_fresh("test") == {"refreshed": 1}
    assert WatchRun.objects.count() == 2
    assert watched("Shetty") is not None
