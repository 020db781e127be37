from decimal import Decimal

import pytest

from acupath.core.errors import Conflict, ServiceError
from acupath.treatment.enums import SessionStatus
from acupath.treatment.models import TreatmentSession
from acupath.treatment.services import (
    NeedleBatch,
    NeedledPoint,
    session_close,
    session_insert_needles,
    session_remove_needles,
    session_start,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(reference, practitioner, patient, room):
    session = session_start(
        actor=practitioner.user, patient=patient, practitioner=practitioner, room=room, pain_before=6
    )
    return session_insert_needles(
        actor=practitioner.user,
        session=session,
        batch=NeedleBatch(
            points=(NeedledPoint("ub-23", "both", 2), NeedledPoint("Du4", "midline", 1)),
            gauge_mm=Decimal("0.25"),
            length_mm=40,
            lot="HW2611-0001",
        ),
    )


def test_needles_in_are_counted_from_any_spelling(running):
    assert running.needles_inserted == 3
    assert sorted(running.points.values_list("point_id", flat=True)) == ["BL23", "GV4"]
    assert running.needles_in_at is not None


def test_session_close_refused_while_needles_unaccounted(running, practitioner):
    session_remove_needles(actor=practitioner.user, session=running, count=2)
    with pytest.raises(Conflict, match="1 needle"):
        session_close(actor=practitioner.user, session=running, pain_after=3, contact_minutes=15)
    running.refresh_from_db()
    assert running.status == SessionStatus.OPEN


def test_session_closes_once_every_needle_is_out(running, practitioner):
    session_remove_needles(actor=practitioner.user, session=running, count=3)
    closed = session_close(actor=practitioner.user, session=running, pain_after=3, contact_minutes=15)
    assert (closed.status, closed.pain_after) == (SessionStatus.CLOSED, 3)


def test_removing_more_needles_than_are_in_is_refused(running, practitioner):
    with pytest.raises(ServiceError, match="between 1 and the 3"):
        session_remove_needles(actor=practitioner.user, session=running, count=4)


def test_database_refuses_a_closed_session_with_needles_left_in(running):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        TreatmentSession.objects.filter(pk=running.pk).update(status=SessionStatus.CLOSED)


def test_unknown_point_is_refused_naming_it(running, practitioner):
    with pytest.raises(ServiceError, match="XY99"):
        session_insert_needles(
            actor=practitioner.user, session=running, batch=NeedleBatch(points=(NeedledPoint("XY99", "left"),))
        )


def test_a_room_runs_one_session_at_a_time(running, practitioner, room, clinic):
    from tests.factories import PatientFactory

    with pytest.raises(Conflict, match="room"):
        session_start(
            actor=practitioner.user,
            patient=PatientFactory(clinic=clinic),
            practitioner=practitioner,
            room=room,
            pain_before=5,
        )
