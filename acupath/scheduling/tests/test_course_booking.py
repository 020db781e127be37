"""Booking a plan's course through the API and the services, against the database."""

import datetime as dt
from collections import Counter
from itertools import pairwise

import pytest

from acupath.clinic.selectors import clinic_zone
from acupath.core.errors import Conflict, ServiceError
from acupath.core.models import AuditEvent
from acupath.scheduling.enums import AppointmentStatus
from acupath.scheduling.models import Appointment, Holiday, Leave
from acupath.scheduling.selectors.course import course_propose, course_rebook_propose, plan_rhythm
from acupath.scheduling.services import appointment_book, appointment_cancel
from acupath.scheduling.services.course import ChosenSlot, course_book, course_rebook
from acupath.scheduling.tests.helpers import KOLKATA, approved_plan, give_rota, local, monday_after
from tests.factories import AppointmentTypeFactory, PatientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def treatment(clinic):
    return AppointmentTypeFactory(clinic=clinic)


@pytest.fixture
def doc(practitioner):
    return give_rota(practitioner)


def local_days(appointments):
    return [a.start.astimezone(KOLKATA).date() for a in appointments]


def assert_rhythm(days, min_gap, per_week):
    assert all((b - a).days >= min_gap for a, b in pairwise(days)), days
    weeks = Counter(d - dt.timedelta(days=d.weekday()) for d in days)
    assert max(weeks.values()) <= per_week, weeks


def test_ten_session_twice_weekly_course_books_around_leave_and_a_holiday(
    api, frontdesk, clinic, doc, patient, treatment, room
):
    monday = monday_after(1)
    # The clinic is shut on the first Monday; the practitioner is away Monday to Friday of week 2.
    Holiday.objects.create(clinic=clinic, day=monday, name="Founders' Day")
    leave_from, leave_to = monday + dt.timedelta(days=7), monday + dt.timedelta(days=12)
    Leave.objects.create(practitioner=doc, start=local(leave_from, 0), end=local(leave_to, 0))
    plan = approved_plan(patient, sessions=10, per_week=2, course={"phases": [[5, 2]], "min_gap_days": 2})

    response = api.post(
        f"/api/v1/plans/{plan.public_id}/book-course",
        {
            "confirm": True,
            "first_day": monday.isoformat(),
            "practitioner": str(doc.public_id),
            "preferred_time": "10:00",
        },
        user=frontdesk,
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["booked"] is True and len(body["appointments"]) == 10
    assert all(a["start"].endswith("+05:30") for a in body["appointments"])  # offsets in the clinic zone
    booked = list(Appointment.objects.filter(plan=plan, status=AppointmentStatus.BOOKED).order_by("start"))
    days = local_days(booked)
    assert len(booked) == 10
    assert monday not in days  # the holiday
    assert not [d for d in days if leave_from <= d < leave_to]  # the leave
    assert all(d.weekday() != 6 for d in days)  # Sunday is not a working day
    assert_rhythm(days, min_gap=2, per_week=2)
    for a in booked:  # inside hours, clear of the 13:00-14:00 break
        start, end = a.start.astimezone(KOLKATA).time(), a.end.astimezone(KOLKATA).time()
        assert dt.time(9) <= start and end <= dt.time(18)
        assert end <= dt.time(13) or start >= dt.time(14)
        assert a.room_id == room.pk and a.practitioner_id == doc.pk
    assert AuditEvent.objects.filter(entity="course", entity_id=str(plan.public_id)).count() == 1


def test_proposal_alone_books_nothing_and_respects_a_wider_gap(api, frontdesk, doc, patient, treatment):
    plan = approved_plan(patient, sessions=6, per_week=2)
    response = api.post(
        f"/api/v1/plans/{plan.public_id}/book-course",
        {"first_day": monday_after(1).isoformat(), "min_gap_days": 3},
        user=frontdesk,
    )
    assert response.status_code == 200
    body = response.json()
    assert body["booked"] is False and body["min_gap_days"] == 3 and len(body["proposal"]) == 6
    days = [dt.datetime.fromisoformat(s["start"]).date() for s in body["proposal"]]
    assert_rhythm(days, min_gap=3, per_week=2)
    assert Appointment.objects.count() == 0


def test_course_is_all_or_nothing_when_a_slot_is_taken_meanwhile(frontdesk, doc, patient, treatment, clinic):
    plan = approved_plan(patient, sessions=10)
    offer = course_propose(
        plan=plan,
        appointment_type=treatment,
        practitioners=[doc],
        first_day=monday_after(1),
        preferred_time=dt.time(10),
    )
    chosen = [ChosenSlot(start=s.start, practitioner=doc) for s in offer.proposal.slots]
    # Someone else takes the practitioner at the time of session 5 before the front desk confirms.
    appointment_book(
        actor=frontdesk, patient=PatientFactory(clinic=clinic), practitioner=doc, type=treatment, start=chosen[4].start
    )

    with pytest.raises(Conflict, match=r"Session 5 .*already booked.*Nothing was booked"):
        course_book(actor=frontdesk, plan=plan, appointment_type=treatment, slots=chosen, min_gap_days=2)

    assert Appointment.objects.filter(plan=plan).count() == 0


def test_adjusted_sessions_closer_than_the_plan_allows_are_refused(frontdesk, doc, patient, treatment):
    plan = approved_plan(patient, sessions=10)
    monday = monday_after(1)
    chosen = [ChosenSlot(local(monday, 10), doc), ChosenSlot(local(monday + dt.timedelta(days=1), 10), doc)]
    with pytest.raises(ServiceError, match=r"Session 2 .* 1 day"):
        course_book(actor=frontdesk, plan=plan, appointment_type=treatment, slots=chosen, min_gap_days=2)
    assert Appointment.objects.count() == 0


def test_course_books_only_the_sessions_left(frontdesk, doc, patient, treatment):
    plan = approved_plan(patient, sessions=3)
    monday = monday_after(1)
    appointment_book(
        actor=frontdesk, patient=patient, practitioner=doc, type=treatment, start=local(monday, 10), plan=plan
    )
    offer = course_propose(plan=plan, appointment_type=treatment, practitioners=[doc], first_day=monday)
    assert offer.wanted == 2 and len(offer.proposal.slots) == 2
    # The booked Monday counts: the next session is two days later at the earliest.
    assert offer.proposal.slots[0].start.date() >= monday + dt.timedelta(days=2)
    with pytest.raises(ServiceError, match="2 session"):
        course_book(
            actor=frontdesk,
            plan=plan,
            appointment_type=treatment,
            slots=[ChosenSlot(local(monday + dt.timedelta(days=d), 10), doc) for d in (2, 4, 9)],
            min_gap_days=2,
        )


def test_rebooking_the_remainder_after_a_cancellation_keeps_the_rhythm(frontdesk, doc, patient, treatment):
    plan = approved_plan(patient, sessions=6, course={"phases": [[3, 2]]})
    offer = course_propose(plan=plan, appointment_type=treatment, practitioners=[doc], first_day=monday_after(1))
    booked = course_book(
        actor=frontdesk,
        plan=plan,
        appointment_type=treatment,
        slots=[ChosenSlot(s.start, doc) for s in offer.proposal.slots],
        min_gap_days=2,
    )
    third = booked[2]
    appointment_cancel(actor=frontdesk, appointment=third, reason="patient unwell")

    again = course_rebook_propose(plan=plan, cancelled=third, appointment_type=treatment, practitioners=[doc])
    cancelled_day = third.start.astimezone(KOLKATA).date()
    assert again.wanted == 4 and len(again.proposal.slots) == 4
    assert [a.pk for a in again.superseded] == [a.pk for a in booked[3:]]
    assert all(s.start.date() != cancelled_day for s in again.proposal.slots)

    course_rebook(
        actor=frontdesk,
        plan=plan,
        cancelled=third,
        appointment_type=treatment,
        slots=[ChosenSlot(s.start, doc) for s in again.proposal.slots],
        min_gap_days=2,
    )
    standing = list(Appointment.objects.filter(plan=plan, status=AppointmentStatus.BOOKED).order_by("start"))
    assert len(standing) == 6
    assert standing[:2] == booked[:2]
    days = local_days(standing)
    assert cancelled_day not in days
    assert_rhythm(days, min_gap=2, per_week=2)


def test_rebooking_fails_whole_and_keeps_later_sessions_when_a_new_slot_is_taken(
    frontdesk, doc, patient, treatment, clinic
):
    plan = approved_plan(patient, sessions=4, course={"phases": [[2, 2]]})
    offer = course_propose(plan=plan, appointment_type=treatment, practitioners=[doc], first_day=monday_after(1))
    booked = course_book(
        actor=frontdesk,
        plan=plan,
        appointment_type=treatment,
        slots=[ChosenSlot(s.start, doc) for s in offer.proposal.slots],
        min_gap_days=2,
    )
    appointment_cancel(actor=frontdesk, appointment=booked[1])
    again = course_rebook_propose(plan=plan, cancelled=booked[1], appointment_type=treatment, practitioners=[doc])
    new = [ChosenSlot(s.start, doc) for s in again.proposal.slots]
    held = {a.start for a in again.superseded}
    free_now = next(s for s in new if s.start not in held)  # a new time nobody holds yet
    appointment_book(
        actor=frontdesk, patient=PatientFactory(clinic=clinic), practitioner=doc, type=treatment, start=free_now.start
    )
    with pytest.raises(Conflict, match="Nothing was booked"):
        course_rebook(
            actor=frontdesk, plan=plan, cancelled=booked[1], appointment_type=treatment, slots=new, min_gap_days=2
        )
    still = set(Appointment.objects.filter(plan=plan, status=AppointmentStatus.BOOKED).values_list("pk", flat=True))
    assert still == {booked[0].pk, booked[2].pk, booked[3].pk}


@pytest.mark.parametrize(
    ("course", "per_week", "expected"),
    [
        ({"phases": [[3, 2], [4, 1]]}, 2, (1, ((3, 2), (4, 1)), 2)),
        ({"phases": [[2, 2]], "min_gap_days": 3}, 2, (2, ((2, 2),), 3)),
        ({"phases": "nonsense"}, 2, (2, (), 2)),
        ({"phases": [[0, 2]]}, 1, (1, (), 2)),
        ({}, 3, (3, (), 2)),
    ],
)
def test_plan_rhythm_reads_phases_and_gap_with_safe_defaults(patient, course, per_week, expected):
    plan = approved_plan(patient, per_week=per_week, course=course)
    rhythm = plan_rhythm(plan)
    assert (rhythm.per_week, rhythm.phases, rhythm.min_gap_days) == expected


def test_course_proposal_query_count_is_fixed(doc, patient, treatment, room, clinic, django_assert_num_queries):
    plan = approved_plan(patient, sessions=10)
    monday = monday_after(1)
    for n in range(6):  # a busy diary must not cost more queries
        appointment_book(
            actor=None,
            patient=PatientFactory(clinic=clinic),
            practitioner=doc,
            type=treatment,
            start=local(monday + dt.timedelta(days=n), 9),
            room=room,
        )
    clinic_zone()  # cached per process: warm in a running server
    # plan history, rooms, then availability: hours, breaks, leave, holidays, and the
    # practitioner's, rooms' and patient's bookings.
    with django_assert_num_queries(9):
        offer = course_propose(plan=plan, appointment_type=treatment, practitioners=[doc], first_day=monday_after(1))
    assert len(offer.proposal.slots) == 10
