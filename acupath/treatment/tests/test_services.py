"""Session services: counting needles in and out, closing, and safety when needles go in."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from acupath.core.errors import Conflict, ServiceError
from acupath.core.models import AuditEvent
from acupath.treatment.enums import SessionStatus
from acupath.treatment.models import TreatmentSession
from acupath.treatment.services import (
    AdverseEventInput,
    NeedledPoint,
    SoapNote,
    adverse_event_record,
    session_close,
    session_insert_needles,
    session_remove_needles,
    session_start,
)
from acupath.treatment.tests.conftest import make_plan, needles
from tests.consents import sign_consent
from tests.consultations import consult
from tests.factories import PatientFactory, RoomFactory

pytestmark = pytest.mark.django_db


def lost(session, n, **kw):
    return adverse_event_record(
        actor=session.practitioner.user,
        patient=session.patient,
        session=session,
        data=AdverseEventInput(
            kind="forgotten_needle", severity="mild", action_taken="searched couch and floor", needles=n, **kw
        ),
    )


# --- start ---------------------------------------------------------------------------------


def test_session_starts_on_the_active_plan_with_its_retention(started, plan):
    assert started.plan == plan
    assert started.planned_minutes == plan.retention_minutes == 25
    assert (started.status, started.needles_inserted, started.needles_in_at) == (SessionStatus.OPEN, 0, None)
    assert AuditEvent.objects.filter(entity="treatment_session", action="create", patient_id=plan.patient.public_id)


def test_a_room_runs_one_session_at_a_time(running, practitioner, room, clinic, reference):
    other = sign_consent(PatientFactory(clinic=clinic)).patient
    with pytest.raises(Conflict, match="already has a session in progress"):
        session_start(actor=practitioner.user, patient=other, practitioner=practitioner, room=room, pain_before=5)


def test_a_patient_runs_one_session_at_a_time(running, practitioner, clinic):
    with pytest.raises(Conflict, match="patient already has a session open"):
        session_start(
            actor=practitioner.user,
            patient=running.patient,
            practitioner=practitioner,
            room=RoomFactory(location__clinic=clinic),
            pain_before=5,
        )


def test_unresolved_red_flags_refuse_the_session_start(reference, patient, practitioner, room):
    consult(practitioner, patient, weeks=3, red_flags={"saddle_anaesthesia": True})
    with pytest.raises(Conflict, match=r"Needling is stopped\. Red flags need a decision first"):
        session_start(actor=practitioner.user, patient=patient, practitioner=practitioner, room=room, pain_before=6)


def test_pain_before_out_of_range_is_refused(plan, practitioner, room):
    with pytest.raises(ServiceError, match="0 \\(none\\) to 10"):
        session_start(
            actor=practitioner.user, patient=plan.patient, practitioner=practitioner, room=room, pain_before=11
        )


# --- needles in ------------------------------------------------------------------------------


def test_needles_in_are_counted_from_any_spelling_and_start_the_timer(running):
    assert running.needles_inserted == 3
    assert sorted(running.points.values_list("point_id", flat=True)) == ["BL23", "GV4"]
    assert running.needles_in_at is not None
    assert (running.needle_gauge_mm, running.needle_length_mm, running.needle_lot) == (
        Decimal("0.25"),
        40,
        "HW2611-0001",
    )


def test_more_needles_keep_the_timer_started_by_the_first(running, practitioner):
    first = running.needles_in_at
    later = session_insert_needles(
        actor=practitioner.user,
        session=running,
        batch=needles(("BL40", "left", 1)),
        at=first + dt.timedelta(minutes=3),
    )
    assert (later.needles_in_at, later.needles_inserted) == (first, 4)


def test_points_added_outside_the_plan_are_marked(running):
    assert dict(running.points.values_list("point_id", "from_plan")) == {"BL23": True, "GV4": True}


def test_unknown_point_is_refused_naming_it(running, practitioner):
    with pytest.raises(ServiceError, match="XY99"):
        session_insert_needles(actor=practitioner.user, session=running, batch=needles(("XY99", "left")))


def test_needle_lot_is_required_by_default_and_can_be_turned_off(started, practitioner, settings):
    with pytest.raises(ServiceError, match="lot number"):
        session_insert_needles(actor=practitioner.user, session=started, batch=needles(("BL23", "both", 2), lot=""))
    settings.TREATMENT_REQUIRE_NEEDLE_LOT = False
    s = session_insert_needles(actor=practitioner.user, session=started, batch=needles(("BL23", "both", 2), lot=""))
    assert s.needles_inserted == 2


def test_needling_without_any_consultation_is_refused(reference, patient, practitioner, room):
    sign_consent(patient)
    session = session_start(
        actor=practitioner.user, patient=patient, practitioner=practitioner, room=room, pain_before=5
    )
    with pytest.raises(ServiceError, match="No consultation is recorded"):
        session_insert_needles(actor=practitioner.user, session=session, batch=needles(("BL23", "both", 2)))


def test_newly_recorded_pregnancy_blocks_a_lumbar_point_at_the_next_session(started, practitioner):
    consult(practitioner, started.patient, kind="reassessment", pregnant=True, pregnancy_weeks=10)
    with pytest.raises(ServiceError) as refused:
        session_insert_needles(
            actor=practitioner.user, session=started, batch=needles(("BL40", "both", 2), ("BL23", "both", 2))
        )
    message = refused.value.errors["points"]
    assert "BL23" in message and "Lumbosacral point in the first trimester" in message and "BL40" not in message
    started.refresh_from_db()
    # The whole batch is refused: nothing is counted and the timer has not started.
    assert (started.needles_inserted, started.needles_in_at, started.points.count()) == (0, None, 0)


def test_the_same_point_is_allowed_before_the_pregnancy_is_recorded(started, practitioner):
    s = session_insert_needles(actor=practitioner.user, session=started, batch=needles(("BL23", "both", 2)))
    assert s.needles_inserted == 2


def test_a_caution_needs_a_reason_and_the_reason_is_kept(started, practitioner):
    consult(practitioner, started.patient, kind="reassessment", pregnant=True, pregnancy_weeks=20)
    with pytest.raises(ServiceError, match=r"LI4.*Point traditionally avoided in pregnancy.*reason is required"):
        session_insert_needles(actor=practitioner.user, session=started, batch=needles(("LI4", "both", 2)))
    s = session_insert_needles(
        actor=practitioner.user,
        session=started,
        batch=needles(NeedledPoint("LI4", "both", 2, override_reason="labour due, obstetric team agrees")),
    )
    point = s.points.get()
    assert (point.point_id, point.from_plan, point.override_reason) == (
        "LI4",
        False,
        "labour due, obstetric team agrees",
    )
    assert any(n.startswith("Point traditionally avoided in pregnancy: Override:") for n in point.safety_notes)


def test_a_reason_recorded_in_the_plan_covers_the_caution(consulted, practitioner, room):
    consult(practitioner, consulted, kind="reassessment", pregnant=True, pregnancy_weeks=20)
    make_plan(consulted, [("LI4", "both", "agreed with midwife")])
    s = session_start(actor=practitioner.user, patient=consulted, practitioner=practitioner, room=room, pain_before=4)
    s = session_insert_needles(actor=practitioner.user, session=s, batch=needles(("LI4", "both", 2)))
    assert s.points.get().override_reason == "agreed with midwife"


def test_electroacupuncture_needs_the_plan_and_its_settings(running, practitioner):
    wired = needles(NeedledPoint("BL40", "both", 2, electro=True))
    with pytest.raises(ServiceError) as missing:
        session_insert_needles(actor=practitioner.user, session=running, batch=wired)
    assert set(missing.value.errors) == {"ea_frequency_hz", "ea_pairs"}
    s = session_insert_needles(
        actor=practitioner.user,
        session=running,
        batch=needles(
            NeedledPoint("BL40", "both", 2, electro=True),
            ea_frequency_hz=Decimal("2"),
            ea_pairs=1,
            ea_intensity="to tolerance",
        ),
    )
    assert (s.ea_frequency_hz, s.ea_pairs, s.ea_intensity) == (Decimal("2.0"), 1, "to tolerance")


def test_electroacupuncture_is_refused_with_a_pacemaker_naming_the_rule(started, practitioner):
    consult(practitioner, started.patient, kind="reassessment", pacemaker=True)
    batch = needles(NeedledPoint("BL40", "both", 2, electro=True), ea_frequency_hz=Decimal("2"), ea_pairs=1)
    with pytest.raises(ServiceError, match="Pacemaker or implanted device"):
        session_insert_needles(actor=practitioner.user, session=started, batch=batch)


def test_electroacupuncture_outside_the_plan_is_refused(consulted, practitioner, room):
    s = session_start(actor=practitioner.user, patient=consulted, practitioner=practitioner, room=room, pain_before=4)
    batch = needles(NeedledPoint("BL40", "both", 2, electro=True), ea_frequency_hz=Decimal("2"), ea_pairs=1)
    with pytest.raises(ServiceError, match="not in this patient's plan"):
        session_insert_needles(actor=practitioner.user, session=s, batch=batch)


# --- needles out and close -------------------------------------------------------------------------


def test_session_close_refused_while_needles_unaccounted(running, practitioner):
    session_remove_needles(actor=practitioner.user, session=running, count=2)
    with pytest.raises(Conflict, match="1 needle unaccounted for: 3 in, 2 out"):
        session_close(actor=practitioner.user, session=running, pain_after=3, contact_minutes=15)
    running.refresh_from_db()
    assert running.status == SessionStatus.OPEN


def test_session_close_refused_before_any_needle_is_out(running, practitioner):
    with pytest.raises(Conflict, match="3 needles unaccounted for"):
        session_close(actor=practitioner.user, session=running, pain_after=3, contact_minutes=15)


def test_session_closes_once_every_needle_is_out_with_its_soap_note(running, practitioner):
    session_remove_needles(actor=practitioner.user, session=running, count=3)
    closed = session_close(
        actor=practitioner.user,
        session=running,
        pain_after=3,
        contact_minutes=15,
        soap=SoapNote(subjective="eased", objective="ROM better", assessment="responding", plan="repeat in 3 days"),
    )
    assert (closed.status, closed.pain_after, closed.contact_minutes) == (SessionStatus.CLOSED, 3, 15)
    assert (closed.subjective, closed.plan_note) == ("eased", "repeat in 3 days")


def test_first_removal_stops_the_timer_and_no_more_needles_go_in(running, practitioner):
    out = session_remove_needles(actor=practitioner.user, session=running, count=1)
    assert out.needles_out_at is not None
    with pytest.raises(Conflict, match="coming out"):
        session_insert_needles(actor=practitioner.user, session=out, batch=needles(("BL40", "left", 1)))


def test_removing_more_needles_than_are_in_is_refused(running, practitioner):
    with pytest.raises(ServiceError, match="between 1 and the 3"):
        session_remove_needles(actor=practitioner.user, session=running, count=4)


def test_a_needle_found_later_is_recorded_as_removed_and_the_session_closes(running, practitioner):
    session_remove_needles(actor=practitioner.user, session=running, count=2)
    session_remove_needles(actor=practitioner.user, session=running, count=1)  # found under the pillow
    closed = session_close(actor=practitioner.user, session=running, pain_after=2, contact_minutes=15)
    assert (closed.needles_removed, closed.needles_unrecovered) == (3, 0)


def test_a_lost_needle_recorded_as_adverse_event_lets_the_session_close(running, practitioner):
    session_remove_needles(actor=practitioner.user, session=running, count=2)
    event = lost(running, 1, description="one needle not found after search")
    running.refresh_from_db()
    assert (running.needles_unrecovered, running.needles_in) == (1, 0)
    closed = session_close(actor=practitioner.user, session=running, pain_after=3, contact_minutes=15)
    assert (closed.status, closed.needles_inserted, closed.needles_removed, closed.needles_unrecovered) == (
        SessionStatus.CLOSED,
        3,
        2,
        1,
    )
    assert event.needles == 1 and event.recorded_by == practitioner.user
    assert AuditEvent.objects.filter(entity="adverse_event", patient_id=running.patient.public_id).exists()


def test_a_lost_needle_cannot_be_recorded_before_removal_or_beyond_the_count(running, practitioner):
    with pytest.raises(ServiceError, match="Needles out"):
        lost(running, 1)
    session_remove_needles(actor=practitioner.user, session=running, count=2)
    with pytest.raises(ServiceError, match="1 to the 1 unaccounted"):
        lost(running, 2)


def test_needles_count_only_on_a_lost_needle_event(running, practitioner):
    with pytest.raises(ServiceError, match="Only a forgotten or lost needle"):
        adverse_event_record(
            actor=practitioner.user,
            patient=running.patient,
            session=running,
            data=AdverseEventInput(kind="syncope", severity="moderate", action_taken="laid flat", needles=1),
        )


def test_adverse_event_needs_the_action_taken(running, practitioner):
    with pytest.raises(ServiceError) as refused:
        adverse_event_record(
            actor=practitioner.user,
            patient=running.patient,
            session=running,
            data=AdverseEventInput(kind="bleeding_haematoma", severity="mild", action_taken="  "),
        )
    assert set(refused.value.errors) == {"action_taken"}


def test_database_refuses_a_closed_session_with_needles_left_in(running):
    with pytest.raises(IntegrityError), transaction.atomic():
        TreatmentSession.objects.filter(pk=running.pk).update(status=SessionStatus.CLOSED)


def test_database_refuses_unrecovered_needles_beyond_those_inserted(running):
    with pytest.raises(IntegrityError), transaction.atomic():
        TreatmentSession.objects.filter(pk=running.pk).update(needles_removed=2, needles_unrecovered=2)


def test_close_refuses_a_lost_needle_count_without_its_adverse_event(running, practitioner):
    TreatmentSession.objects.filter(pk=running.pk).update(needles_removed=2, needles_unrecovered=1)
    with pytest.raises(Conflict, match="does not match its adverse events"):
        session_close(actor=practitioner.user, session=running, pain_after=3, contact_minutes=15)
