"""The visit through the services and the API: arrive, check in, session closes, attended; no-shows."""

import datetime as dt

import pytest
from django.utils import timezone

from acupath.accounts.models import Role
from acupath.core.errors import Conflict, ServiceError
from acupath.core.models import AuditEvent
from acupath.scheduling.enums import AppointmentStatus
from acupath.scheduling.models import Appointment, SlotClaim
from acupath.scheduling.services import (
    appointment_arrive,
    appointment_check_in,
    appointment_no_show,
    appointment_record_departure,
    claims_for,
)
from acupath.treatment.enums import SessionStatus
from acupath.treatment.models import TreatmentSession
from acupath.treatment.services import session_close
from tests.consents import sign_consent
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
def doc(practitioner, site):
    practitioner.location = site
    practitioner.save()
    return practitioner


@pytest.fixture
def rooms(site):
    return [RoomFactory(location=site, name=f"Room {n}") for n in (1, 2)]


@pytest.fixture
def make(clinic, doc):
    """An appointment that started `minutes_ago` minutes ago (holding its slot if asked)."""
    kind = AppointmentTypeFactory(clinic=clinic)

    def appointment(minutes_ago=0, status=AppointmentStatus.BOOKED, patient=None, hold=False, **fields):
        start = timezone.now().replace(second=0, microsecond=0) - dt.timedelta(minutes=minutes_ago)
        patient = patient or PatientFactory(clinic=clinic)
        sign_consent(patient)  # check-in opens the session, which needs the course's consent
        a = Appointment.objects.create(
            patient=patient,
            practitioner=doc,
            type=kind,
            start=start,
            end=start + dt.timedelta(minutes=45),
            status=status,
            **fields,
        )
        if hold:
            SlotClaim.objects.bulk_create(claims_for(a))
        return a

    return appointment


def audits(appointment):
    return list(
        AuditEvent.objects.filter(entity="appointment", entity_id=str(appointment.public_id))
        .order_by("id")
        .values_list("summary", flat=True)
    )


def close(doc, appointment):
    session = TreatmentSession.objects.get(pk=appointment.session_id)
    return session_close(actor=doc.user, session=session, pain_after=3, contact_minutes=20)


def test_arrive_check_in_and_closing_the_session_make_the_appointment_attended(frontdesk, doc, rooms, make):
    a = make(minutes_ago=2)
    appointment_arrive(actor=frontdesk, appointment=a)
    assert a.status == AppointmentStatus.ARRIVED and a.arrived_at is not None
    appointment_check_in(actor=frontdesk, appointment=a, room=rooms[1])
    a.refresh_from_db()
    session = TreatmentSession.objects.get(pk=a.session_id)
    assert a.status == AppointmentStatus.IN_SESSION
    assert (session.room, session.practitioner, session.status) == (rooms[1], doc, SessionStatus.OPEN)
    close(doc, a)
    a.refresh_from_db()
    assert a.status == AppointmentStatus.ATTENDED
    assert audits(a) == ["arrived", "checked in to Room 2", "attended"]


def test_the_appointment_stays_in_session_when_closing_the_session_fails(frontdesk, doc, rooms, make):
    a = make()
    appointment_arrive(actor=frontdesk, appointment=a)
    appointment_check_in(actor=frontdesk, appointment=a, room=rooms[0])
    a.refresh_from_db()
    TreatmentSession.objects.filter(pk=a.session_id).update(needles_inserted=4)  # needles still in
    with pytest.raises(Conflict, match="unaccounted"):
        close(doc, a)
    a.refresh_from_db()
    assert a.status == AppointmentStatus.IN_SESSION


def test_a_late_arrival_is_recorded_with_its_minutes(frontdesk, make):
    a = make(minutes_ago=17)
    appointment_arrive(actor=frontdesk, appointment=a)
    assert audits(a) == ["arrived 17 min late"]


def test_arrival_on_another_day_is_refused(frontdesk, make):
    a = make(minutes_ago=-3 * 24 * 60)
    with pytest.raises(Conflict, match="mark the patient arrived on that day"):
        appointment_arrive(actor=frontdesk, appointment=a)


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (AppointmentStatus.ARRIVED, "already marked arrived"),
        (AppointmentStatus.ATTENDED, "the visit is over"),
        (AppointmentStatus.CANCELLED, "it was cancelled"),
        (AppointmentStatus.NO_SHOW, "already recorded as not attended"),
        (AppointmentStatus.PENDING, "still an online request"),
    ],
)
def test_arrival_is_refused_from_any_status_but_booked(frontdesk, make, status, message):
    a = make(status=status, arrived_at=timezone.now())
    with pytest.raises(Conflict, match=message):
        appointment_arrive(actor=frontdesk, appointment=a)


def test_check_in_needs_an_arrival_first(frontdesk, rooms, make):
    a = make()
    with pytest.raises(Conflict, match="the patient has not arrived yet"):
        appointment_check_in(actor=frontdesk, appointment=a, room=rooms[0])
    assert not TreatmentSession.objects.exists()


def test_check_in_takes_only_a_free_room_of_the_practitioners_location(clinic, frontdesk, doc, rooms, make):
    elsewhere = RoomFactory(location=LocationFactory(clinic=clinic, name="Koramangala"), name="Far room")
    first, second = make(), make()
    for a in (first, second):
        appointment_arrive(actor=frontdesk, appointment=a)
    with pytest.raises(ServiceError, match="is not where"):
        appointment_check_in(actor=frontdesk, appointment=first, room=elsewhere)
    with pytest.raises(ServiceError, match="Choose the room"):
        appointment_check_in(actor=frontdesk, appointment=first, room=None)
    appointment_check_in(actor=frontdesk, appointment=first, room=rooms[0])
    with pytest.raises(ServiceError, match="session in progress; choose a free room"):
        appointment_check_in(actor=frontdesk, appointment=second, room=rooms[0])
    second.refresh_from_db()
    assert second.status == AppointmentStatus.ARRIVED


def test_two_desks_checking_in_one_patient_make_one_session(frontdesk, rooms, make):
    a = make()
    appointment_arrive(actor=frontdesk, appointment=a)
    stale = Appointment.objects.get(pk=a.pk)
    appointment_check_in(actor=frontdesk, appointment=a, room=rooms[0])
    with pytest.raises(Conflict):
        appointment_check_in(actor=frontdesk, appointment=stale, room=rooms[1])
    assert TreatmentSession.objects.count() == 1


def test_did_not_attend_is_refused_for_an_appointment_with_a_session(frontdesk, rooms, make):
    a = make()
    appointment_arrive(actor=frontdesk, appointment=a)
    appointment_check_in(actor=frontdesk, appointment=a, room=rooms[0])
    with pytest.raises(Conflict, match="has a treatment session"):
        appointment_no_show(actor=frontdesk, appointment=a, confirm_arrived=True)


def test_did_not_attend_warns_for_an_arrived_patient_and_records_once_confirmed(frontdesk, make):
    a = make(minutes_ago=20, hold=True)
    appointment_arrive(actor=frontdesk, appointment=a)
    with pytest.raises(Conflict, match="was marked arrived at"):
        appointment_no_show(actor=frontdesk, appointment=a)
    assert Appointment.objects.get(pk=a.pk).status == AppointmentStatus.ARRIVED
    appointment_no_show(actor=frontdesk, appointment=a, confirm_arrived=True)
    assert Appointment.objects.get(pk=a.pk).status == AppointmentStatus.NO_SHOW
    assert not SlotClaim.objects.filter(appointment=a).exists()
    assert audits(a)[-1] == "no-show after arrival"


def test_did_not_attend_is_refused_before_the_appointments_time(frontdesk, make):
    a = make(minutes_ago=-60)
    with pytest.raises(Conflict, match="has not started yet"):
        appointment_no_show(actor=frontdesk, appointment=a)


def test_an_early_departure_is_recorded_with_its_minutes_and_note(frontdesk, doc, rooms, make):
    a = make(minutes_ago=20)
    appointment_arrive(actor=frontdesk, appointment=a, at=a.start)
    appointment_check_in(actor=frontdesk, appointment=a, room=rooms[0])
    left = a.start + dt.timedelta(minutes=15)
    appointment_record_departure(actor=frontdesk, appointment=a, at=left, note="Felt faint, went home")
    a.refresh_from_db()
    assert (a.departed_at, a.departure_note) == (left, "Felt faint, went home")
    assert audits(a)[-1] == "left 30 min early"


@pytest.mark.parametrize(
    ("offset", "message"),
    [(-5, "arrived at"), (44, "not an early departure"), (24 * 60, "up to now")],
)
def test_a_departure_time_must_be_after_arrival_before_the_end_and_not_ahead(frontdesk, rooms, make, offset, message):
    a = make(minutes_ago=60)
    appointment_arrive(actor=frontdesk, appointment=a, at=a.start)
    appointment_check_in(actor=frontdesk, appointment=a, room=rooms[0])
    with pytest.raises(ServiceError, match=message):
        appointment_record_departure(actor=frontdesk, appointment=a, at=a.start + dt.timedelta(minutes=offset))


def test_a_departure_is_not_recorded_for_a_patient_never_checked_in(frontdesk, make):
    a = make()
    with pytest.raises(Conflict, match="was not"):
        appointment_record_departure(actor=frontdesk, appointment=a)


def test_a_desk_check_in_refused_by_the_sessions_safety_checks_names_no_clinical_detail(
    frontdesk, doc, rooms, make, monkeypatch
):
    import acupath.scheduling.services.visits as visits

    def refuse(**kwargs):
        raise Conflict("No needling until the red flags are decided: saddle anaesthesia.")

    monkeypatch.setattr(visits, "session_start", refuse)
    a = make()
    appointment_arrive(actor=frontdesk, appointment=a)
    with pytest.raises(Conflict) as refused:
        appointment_check_in(actor=frontdesk, appointment=a, room=rooms[0])
    assert "saddle" not in str(refused.value) and doc.display_name in str(refused.value)
    with pytest.raises(Conflict, match="saddle anaesthesia"):
        appointment_check_in(actor=doc.user, appointment=a, room=rooms[0])


# ---------------------------------------------------------------------------------------------
# The API


def url(a, action=""):
    return f"/api/v1/appointments/{a.public_id}" + (f"/{action}" if action else "")


def test_the_api_walks_the_visit_and_check_in_answers_the_session(api, frontdesk, doc, rooms, make):
    a = make(minutes_ago=8)
    assert api.get(url(a), user=frontdesk).json()["status"] == "booked"
    arrived = api.post(url(a, "arrive"), user=frontdesk)
    assert arrived.status_code == 200
    # The start is on the minute, 8 minutes and some seconds ago: 8 minutes late, or 9 on a slow run.
    assert arrived.json()["status"] == "arrived" and arrived.json()["late_minutes"] in (8, 9)
    checked = api.post(url(a, "check-in"), {"room": str(rooms[0].public_id)}, user=frontdesk)
    assert checked.status_code == 200, checked.json()
    session_id = checked.json()["session"]
    assert checked.json()["status"] == "in_session" and session_id
    closed = api.post(f"/api/v1/sessions/{session_id}/close", {"pain_after": 2, "contact_minutes": 20}, user=doc.user)
    assert closed.status_code == 200
    assert api.get(url(a), user=frontdesk).json()["status"] == "attended"


def test_illegal_moves_answer_409_with_the_reason(api, frontdesk, rooms, make):
    a = make()
    refused = api.post(url(a, "check-in"), {"room": str(rooms[0].public_id)}, user=frontdesk)
    assert refused.status_code == 409 and "has not arrived" in refused.json()["detail"]
    api.post(url(a, "arrive"), user=frontdesk)
    again = api.post(url(a, "arrive"), user=frontdesk)
    assert again.status_code == 409 and "already marked arrived" in again.json()["detail"]


def test_the_api_no_show_warns_for_an_arrival_until_confirmed(api, frontdesk, make):
    a = make(minutes_ago=30)
    api.post(url(a, "arrive"), user=frontdesk)
    warned = api.post(url(a, "no-show"), user=frontdesk)
    assert warned.status_code == 409 and "marked arrived" in warned.json()["detail"]
    confirmed = api.post(url(a, "no-show"), {"confirm_arrived": True}, user=frontdesk)
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "no_show"


def test_the_api_records_a_plain_no_show(api, frontdesk, make):
    a = make(minutes_ago=30)
    marked = api.post(url(a, "no-show"), user=frontdesk)
    assert marked.status_code == 200 and marked.json()["status"] == "no_show"


def test_the_api_records_an_early_departure(api, frontdesk, rooms, make):
    a = make(minutes_ago=30)
    api.post(url(a, "arrive"), user=frontdesk)
    api.post(url(a, "check-in"), {"room": str(rooms[0].public_id)}, user=frontdesk)
    left = api.post(url(a, "departure"), {"note": "Had to collect a child"}, user=frontdesk)
    assert left.status_code == 200
    # The start is on the minute, 30 minutes and some seconds ago: 15 minutes before the end, or 14.
    assert left.json()["early_minutes"] in (14, 15)
    assert left.json()["departure_note"] == "Had to collect a child"


def test_another_clinics_appointment_is_not_found(api, frontdesk, make):
    other = ClinicFactory(name="Other Clinic")
    a = make(patient=PatientFactory(clinic=other))
    for action in ("", "arrive", "no-show"):
        call = api.get if not action else api.post
        assert call(url(a, action), user=frontdesk).status_code == 404
    assert api.post(url(a, "check-in"), {}, user=frontdesk).status_code == 404


def test_a_patient_cannot_arrive_or_check_in_anyone_and_sees_only_their_own(api, patient, patient_user, rooms, make):
    others = make()
    own = make(patient=patient)
    assert api.get(url(others), user=patient_user).status_code == 404
    assert api.get(url(own), user=patient_user).json()["status"] == "booked"
    for a in (others, own):
        assert api.post(url(a, "arrive"), user=patient_user).status_code == 404
        assert api.post(url(a, "check-in"), {"room": str(rooms[0].public_id)}, user=patient_user).status_code == 404
        assert api.post(url(a, "no-show"), user=patient_user).status_code == 404
    assert Appointment.objects.get(pk=own.pk).status == AppointmentStatus.BOOKED


def test_the_desk_checks_in_without_reaching_the_session_itself(api, signed_in, frontdesk, rooms, make):
    a = make()
    api.post(url(a, "arrive"), user=frontdesk)
    session_id = api.post(url(a, "check-in"), {"room": str(rooms[0].public_id)}, user=frontdesk).json()["session"]
    assert api.get(f"/api/v1/sessions/{session_id}", user=frontdesk).status_code == 404
    assert signed_in(frontdesk).get(f"/sessions/{session_id}/").status_code == 404


def test_an_owner_of_the_same_clinic_may_move_a_visit(api, make):
    owner = UserFactory(username="owner2", role=Role.OWNER)
    a = make()
    assert api.post(url(a, "arrive"), user=owner).status_code == 200


def test_a_practitioner_of_another_clinic_cannot_reach_this_clinics_appointment(api, make):
    other = PractitionerFactory(clinic=ClinicFactory(name="Other Clinic"))
    a = make()
    assert api.get(url(a), user=other.user).status_code == 404
    assert api.post(url(a, "arrive"), user=other.user).status_code == 404
