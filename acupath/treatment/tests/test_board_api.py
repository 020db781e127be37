"""The room board API per location: the same queries at any network size; the network paged."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from acupath.treatment.access import BOARD_LOCATION_KEY
from acupath.treatment.services import session_start
from conftest import bearer
from tests.consents import sign_consent
from tests.factories import ClinicFactory, LocationFactory, PatientFactory, RoomFactory

pytestmark = pytest.mark.django_db

BOARD = "/api/v1/rooms/board"


def network(clinic, locations, rooms_each, prefix="Site"):
    sites = [LocationFactory(clinic=clinic, name=f"{prefix} {n}") for n in range(locations)]
    for site in sites:
        for r in range(rooms_each):
            RoomFactory(location=site, name=f"{site.name} room {r}", position=r)
    return sites


def queries(user, path=BOARD):
    client = Client()
    headers = bearer(user)
    client.get(path, **headers)  # warm the per-process clinic-zone cache first
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, **headers)
    assert response.status_code == 200, response.content
    return len(captured), response.json()


def test_a_practitioner_gets_their_own_locations_board(api, practitioner, clinic):
    sites = network(clinic, 3, 2)
    practitioner.location = sites[1]
    practitioner.save()
    body = api.get(BOARD, user=practitioner.user).json()
    assert body["location"] == str(sites[1].public_id) and body["total"] == 2
    assert {r["location"] for r in body["rooms"]} == {"Site 1"}


def test_the_board_queries_do_not_grow_with_locations_or_rooms(practitioner, clinic, reference):
    """Pinned: token with user, practitioner (with location), rooms, open sessions, audit insert; once a
    session is open, two more (its patients, its practitioners), however many sessions and rooms."""
    small = network(clinic, 1, 2)
    practitioner.location = small[0]
    practitioner.save()
    few, body = queries(practitioner.user)
    assert few == 5 and body["total"] == 2
    network(clinic, 20, 6, prefix="More")
    for room in list(small[0].rooms.all())[:2]:
        patient = PatientFactory(clinic=clinic)
        sign_consent(patient)
        session_start(
            actor=practitioner.user, patient=patient, practitioner=practitioner, room=room,
            pain_before=3,
        )  # fmt: skip
    many, body = queries(practitioner.user)
    assert many == few + 2 and body["total"] == 2 and all(r["patient"] for r in body["rooms"])


def test_a_named_location_is_answered_with_the_same_query_count(frontdesk, clinic):
    sites = network(clinic, 2, 3)
    few, body = queries(frontdesk, f"{BOARD}?location={sites[1].public_id}")
    network(clinic, 15, 8, prefix="More")
    many, _ = queries(frontdesk, f"{BOARD}?location={sites[1].public_id}")
    assert few == many and body["location"] == str(sites[1].public_id) and body["total"] == 3


def test_the_whole_network_is_paged_in_location_order(api, frontdesk, clinic):
    network(clinic, 4, 3)
    first = api.get(BOARD, user=frontdesk, location="all", limit=5).json()
    assert (first["location"], first["total"], first["limit"], first["next_offset"]) == (None, 12, 5, 5)
    assert [r["room"] for r in first["rooms"]][:4] == [
        "Site 0 room 0",
        "Site 0 room 1",
        "Site 0 room 2",
        "Site 1 room 0",
    ]
    last = api.get(BOARD, user=frontdesk, location="all", limit=5, offset=10).json()
    assert len(last["rooms"]) == 2 and last["next_offset"] is None
    beyond = api.get(BOARD, user=frontdesk, location="all", limit=5, offset=50).json()
    assert beyond["rooms"] == [] and beyond["total"] == 12


def test_a_whole_network_page_takes_the_same_queries_at_any_size(frontdesk, clinic):
    network(clinic, 2, 2)
    few, _ = queries(frontdesk, f"{BOARD}?location=all&limit=3")
    network(clinic, 30, 5, prefix="More")
    many, body = queries(frontdesk, f"{BOARD}?location=all&limit=3")
    assert few == many and len(body["rooms"]) == 3 and body["total"] == 154


def test_a_page_larger_than_allowed_is_refused(api, frontdesk, clinic):
    assert api.get(BOARD, user=frontdesk, location="all", limit=500).status_code == 422


def test_the_desk_gets_the_location_it_last_chose_on_the_board_page(signed_in, frontdesk, clinic):
    sites = network(clinic, 3, 1)
    client = signed_in(frontdesk)
    assert client.get(BOARD).json()["location"] == str(sites[0].public_id)  # none chosen: the first
    assert client.get(f"/board/{sites[2].public_id}/").status_code == 200
    assert client.session[BOARD_LOCATION_KEY] == str(sites[2].public_id)
    assert client.get(BOARD).json()["location"] == str(sites[2].public_id)
    assert client.get("/board/").context["location"] == sites[2]


def test_another_clinics_location_is_not_found(api, frontdesk, clinic):
    network(clinic, 1, 1)
    elsewhere = LocationFactory(clinic=ClinicFactory(name="Other Clinic"))
    assert api.get(BOARD, user=frontdesk, location=str(elsewhere.public_id)).status_code == 404
    assert api.get(BOARD, user=frontdesk, location="not-a-location").status_code == 404


def test_a_patient_cannot_read_any_board(api, patient_user, clinic):
    network(clinic, 1, 1)
    assert api.get(BOARD, user=patient_user).status_code == 403
    assert api.get(BOARD, user=patient_user, location="all").status_code == 403
