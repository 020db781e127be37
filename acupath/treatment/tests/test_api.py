"""The sessions and rooms API, through HTTP with bearer tokens."""

import datetime as dt

import pytest
from django.db import connections
from django.test import Client
from django.utils import timezone

from acupath.core.models import AuditEvent
from acupath.treatment.models import TreatmentSession
from conftest import bearer
from tests.consents import sign_consent
from tests.consultations import consult
from tests.factories import PatientFactory, RoomFactory

pytestmark = pytest.mark.django_db

NEEDLES = {
    "points": [{"code": "ub-23", "side": "both", "count": 2}, {"code": "Du4", "side": "midline", "count": 1}],
    "gauge": "0.25",
    "length_mm": 40,
    "lot": "HW2611-0001",
}


@pytest.fixture
def started_api(api, plan, practitioner, room):
    r = api.post(
        "/api/v1/sessions",
        {"patient": str(plan.patient.public_id), "room": str(room.public_id), "pain_before": 6},
        user=practitioner.user,
    )
    assert r.status_code == 201, r.content
    return r.json()


def test_start_answers_201_with_the_id_on_the_active_plan(started_api, plan):
    session = TreatmentSession.objects.get(public_id=started_api["id"])
    assert (session.plan, session.pain_before, started_api["planned_minutes"]) == (plan, 6, 25)
    assert started_api["needles_in"] == 0 and started_api["remaining_seconds"] is None


def test_needles_in_any_spelling_answer_the_running_total(api, started_api, practitioner):
    r = api.post(f"/api/v1/sessions/{started_api['id']}/needles", NEEDLES, user=practitioner.user)
    assert r.status_code == 200, r.content
    assert (r.json()["needles_in"], r.json()["remaining_seconds"]) == (3, 1500)
    again = api.post(
        f"/api/v1/sessions/{started_api['id']}/needles",
        {"points": [{"code": "BL40", "side": "left", "count": 1}]},
        user=practitioner.user,
    )
    assert again.json()["needles_in"] == 4
    assert [p["code"] for p in again.json()["points"]] == ["BL23", "GV4", "BL40"]


def test_newly_recorded_pregnancy_blocks_a_contraindicated_point_with_422_naming_the_rule(
    api, started_api, practitioner, plan
):
    consult(practitioner, plan.patient, kind="reassessment", pregnant=True, pregnancy_weeks=9)
    r = api.post(f"/api/v1/sessions/{started_api['id']}/needles", NEEDLES, user=practitioner.user)
    assert r.status_code == 422
    [detail] = r.json()["detail"]
    assert detail["loc"] == ["body", "points"]
    assert "Lumbosacral point in the first trimester" in detail["msg"] and "BL23" in detail["msg"]
    assert TreatmentSession.objects.get(public_id=started_api["id"]).needles_inserted == 0


def test_close_answers_409_naming_how_many_needles_are_unaccounted_for(api, started_api, practitioner):
    sid = started_api["id"]
    api.post(f"/api/v1/sessions/{sid}/needles", NEEDLES, user=practitioner.user)
    removed = api.post(f"/api/v1/sessions/{sid}/removal", {"count": 2}, user=practitioner.user)
    assert removed.json()["needles_unaccounted"] == 1
    r = api.post(f"/api/v1/sessions/{sid}/close", {"pain_after": 3, "contact_minutes": 15}, user=practitioner.user)
    assert r.status_code == 409
    assert r.json()["detail"].startswith("1 needle unaccounted for")
    assert TreatmentSession.objects.get(public_id=sid).status == "open"


def test_a_lost_needle_event_lets_the_session_close_with_the_count_reconciled(api, started_api, practitioner):
    sid = started_api["id"]
    api.post(f"/api/v1/sessions/{sid}/needles", NEEDLES, user=practitioner.user)
    api.post(f"/api/v1/sessions/{sid}/removal", {"count": 2}, user=practitioner.user)
    event = api.post(
        f"/api/v1/sessions/{sid}/adverse-events",
        {
            "type": "forgotten_needle",
            "severity": "mild",
            "causality": "certain",
            "outcome": "unknown",
            "action_taken": "searched; not found",
            "needles": 1,
        },
        user=practitioner.user,
    )
    assert event.status_code == 201, event.content
    r = api.post(
        f"/api/v1/sessions/{sid}/close", {"pain_after": 3, "contact_minutes": 15, "note": "ok"}, user=practitioner.user
    )
    assert r.status_code == 200
    body = r.json()
    assert (body["status"], body["needles_removed"], body["needles_unrecovered"]) == ("closed", 2, 1)


def test_close_answers_200_when_all_needles_are_out(api, started_api, practitioner):
    sid = started_api["id"]
    api.post(f"/api/v1/sessions/{sid}/needles", NEEDLES, user=practitioner.user)
    api.post(f"/api/v1/sessions/{sid}/removal", {"count": 3}, user=practitioner.user)
    r = api.post(
        f"/api/v1/sessions/{sid}/close",
        {"pain_after": 2, "contact_minutes": 20, "note": "better"},
        user=practitioner.user,
    )
    assert (r.status_code, r.json()["pain_after"]) == (200, 2)
    actions = set(AuditEvent.objects.filter(entity_id=sid).values_list("action", "via"))
    assert {("create", "api"), ("update", "api")} <= actions


def test_board_lists_every_room_with_nulls_for_free_rooms(api, started_api, practitioner, room, clinic):
    free = RoomFactory(location=room.location, name="Room Z", position=9)
    api.post(f"/api/v1/sessions/{started_api['id']}/needles", NEEDLES, user=practitioner.user)
    r = api.get("/api/v1/rooms/board", user=practitioner.user)
    assert r.status_code == 200
    rooms = {b["room"]: b for b in r.json()["rooms"]}
    busy = rooms[room.name]
    assert (busy["patient"], busy["needles_in"], busy["planned_minutes"], busy["time_up"]) == ("Asha Rao", 3, 25, False)
    assert 1495 <= busy["remaining_seconds"] <= 1500
    idle = rooms[free.name]
    assert [idle[k] for k in ("patient", "practitioner", "needles_in", "started_at", "remaining_seconds")] == [None] * 5


@pytest.mark.django_db(transaction=True)
def test_board_remaining_time_is_the_same_after_a_server_restart(api, started_api, practitioner):
    sid = started_api["id"]
    api.post(f"/api/v1/sessions/{sid}/needles", NEEDLES, user=practitioner.user)
    needles_in_at = timezone.now() - dt.timedelta(minutes=10, seconds=30)
    TreatmentSession.objects.filter(public_id=sid).update(needles_in_at=needles_in_at)
    headers = bearer(practitioner.user)  # issued first: hashing the password takes a while
    before = Client().get("/api/v1/rooms/board", **headers).json()
    # A "restart": every database connection is dropped and a fresh client (another tablet) asks.
    connections.close_all()
    after = Client().get("/api/v1/rooms/board", **headers).json()
    b, a = before["rooms"][0], after["rooms"][0]
    assert a["started_at"] == b["started_at"]
    # Each answer is computed from the stored start and the server's clock at that moment...
    seen_at = dt.datetime.fromisoformat(before["now"])
    assert b["remaining_seconds"] == pytest.approx(1500 - (seen_at - needles_in_at).total_seconds(), abs=1)
    # ...so the two agree to the second, once the time between the two requests is allowed for.
    between = (dt.datetime.fromisoformat(after["now"]) - seen_at).total_seconds()
    assert a["remaining_seconds"] + between == pytest.approx(b["remaining_seconds"], abs=1)
    assert between < 5 and a["remaining_seconds"] == pytest.approx(b["remaining_seconds"], abs=max(1, between + 1))


def test_board_marks_time_up_when_the_planned_minutes_have_passed(api, started_api, practitioner):
    sid = started_api["id"]
    api.post(f"/api/v1/sessions/{sid}/needles", NEEDLES, user=practitioner.user)
    TreatmentSession.objects.filter(public_id=sid).update(needles_in_at=timezone.now() - dt.timedelta(minutes=27))
    room = api.get("/api/v1/rooms/board", user=practitioner.user).json()["rooms"][0]
    assert room["time_up"] is True and room["state"] == "time_up"
    assert room["remaining_seconds"] == pytest.approx(-120, abs=1)


def test_front_desk_reads_the_board_without_needle_counts(api, started_api, practitioner, frontdesk):
    api.post(f"/api/v1/sessions/{started_api['id']}/needles", NEEDLES, user=practitioner.user)
    room = api.get("/api/v1/rooms/board", user=frontdesk).json()["rooms"][0]
    assert room["patient"] == "Asha Rao" and room["needles_in"] is None and room["remaining_seconds"] > 0


def test_patient_cannot_read_the_board_or_rooms(api, patient_user):
    assert api.get("/api/v1/rooms/board", user=patient_user).status_code == 403
    assert api.get("/api/v1/rooms", user=patient_user).status_code == 403


def test_rooms_list_their_ids_and_occupancy(api, started_api, practitioner, room):
    r = api.get("/api/v1/rooms", user=practitioner.user)
    assert r.status_code == 200
    [only] = r.json()
    assert (only["id"], only["name"], only["occupied"]) == (str(room.public_id), room.name, True)


@pytest.mark.parametrize("who", ["frontdesk", "other_patient"])
def test_other_users_cannot_reach_a_session(api, started_api, who, frontdesk, clinic):
    if who == "other_patient":
        from acupath.accounts.models import Role
        from tests.factories import UserFactory

        user = UserFactory(username="other", role=Role.PATIENT)
        PatientFactory(clinic=clinic, user=user)
    else:
        user = frontdesk
    sid = started_api["id"]
    assert api.get(f"/api/v1/sessions/{sid}", user=user).status_code == 404
    assert api.post(f"/api/v1/sessions/{sid}/needles", NEEDLES, user=user).status_code == 404
    assert api.post(f"/api/v1/sessions/{sid}/removal", {"count": 1}, user=user).status_code == 404
    assert api.post(f"/api/v1/sessions/{sid}/close", {}, user=user).status_code == 404


def test_a_patient_reads_their_own_session_but_cannot_run_it(api, started_api, patient_user):
    sid = started_api["id"]
    assert api.get(f"/api/v1/sessions/{sid}", user=patient_user).status_code == 200
    assert api.post(f"/api/v1/sessions/{sid}/needles", NEEDLES, user=patient_user).status_code == 404
    assert api.post(f"/api/v1/sessions/{sid}/close", {}, user=patient_user).status_code == 404


def test_front_desk_and_patients_cannot_start_a_session(api, plan, room, frontdesk, patient_user):
    body = {"patient": str(plan.patient.public_id), "room": str(room.public_id), "pain_before": 5}
    assert api.post("/api/v1/sessions", body, user=frontdesk).status_code == 404
    assert api.post("/api/v1/sessions", body, user=patient_user).status_code == 404


def test_owner_without_a_practitioner_profile_names_the_practitioner(api, plan, room, owner, practitioner):
    body = {"patient": str(plan.patient.public_id), "room": str(room.public_id), "pain_before": 5}
    r = api.post("/api/v1/sessions", body, user=owner)
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "practitioner"]
    r = api.post("/api/v1/sessions", body | {"practitioner": str(practitioner.public_id)}, user=owner)
    assert r.status_code == 201 and r.json()["practitioner"] == practitioner.display_name


def test_a_room_that_is_taken_answers_409(api, started_api, practitioner, room, clinic):
    other = PatientFactory(clinic=clinic)
    consult(practitioner, other)
    sign_consent(other)
    r = api.post(
        "/api/v1/sessions", {"patient": str(other.public_id), "room": str(room.public_id)}, user=practitioner.user
    )
    assert r.status_code == 409 and "already has a session in progress" in r.json()["detail"]


def test_board_queries_do_not_grow_with_rooms(api, practitioner, clinic, room, django_assert_num_queries, reference):
    from acupath.treatment.services import session_start

    for i in range(6):
        p = PatientFactory(clinic=clinic)
        sign_consent(p)
        r = RoomFactory(location=room.location, name=f"Bed {i}")
        session_start(actor=practitioner.user, patient=p, practitioner=practitioner, room=r, pain_before=4)
    headers = bearer(practitioner.user)
    client = Client()
    client.get("/api/v1/rooms/board", **headers)  # warm the per-process clinic-zone cache first
    # token with its user, the user's practitioner (clinic, location), the clinic's first location
    # (this practitioner has none of their own), rooms, open sessions, their patients, their
    # practitioners, the audit insert
    with django_assert_num_queries(8):
        r = client.get("/api/v1/rooms/board", **headers)
    assert len(r.json()["rooms"]) == 7


def test_openapi_document_describes_sessions_and_the_board(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/sessions", "/api/v1/sessions/{session_id}/needles", "/api/v1/rooms/board", "/api/v1/rooms"} <= set(
        paths
    )
