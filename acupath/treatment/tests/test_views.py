"""The session pages, the room board and the adverse-event report, through the real pages."""

import datetime as dt

import pytest
from django.utils import timezone

from acupath.clinic.selectors import clinic_zone
from acupath.treatment.enums import SessionStatus
from acupath.treatment.models import AdverseEvent, TreatmentSession
from acupath.treatment.selectors import board_for_location, patient_treatment_summary
from acupath.treatment.services import session_start
from tests.consents import sign_consent
from tests.consultations import consult
from tests.factories import PatientFactory, RoomFactory

pytestmark = pytest.mark.django_db


def needles_post(**extra):
    data = {
        "r0_code": "BL23", "r0_use": "1", "r0_side": "both", "r0_count": "2", "r0_plan": "1",
        "r1_code": "BL40", "r1_use": "1", "r1_side": "both", "r1_count": "2", "r1_plan": "1",
        "r2_code": "GV4", "r2_side": "midline", "r2_count": "1", "r2_plan": "1",  # not ticked: skipped today
        "r9_code": "BL25", "r9_use": "1", "r9_side": "left", "r9_count": "1",  # added today
        "gauge": "0.25", "length_mm": "40", "lot": "HW-77",
    }  # fmt: skip
    return data | extra


# --- check in --------------------------------------------------------------------------------------


def test_check_in_from_the_patient_page_starts_the_session(signed_in, practitioner, plan, room):
    client = signed_in(practitioner.user)
    page = client.get(f"/sessions/start/?patient={plan.patient.public_id}")
    assert page.status_code == 200 and b"Plan version 1" in page.content
    r = client.post(
        "/sessions/start/",
        {
            "patient": str(plan.patient.public_id),
            "room": str(room.public_id),
            "pain_before": "6",
            "planned_minutes": "25",
        },
    )
    session = TreatmentSession.objects.get(patient=plan.patient)
    assert r.status_code == 302 and r["Location"] == f"/sessions/{session.public_id}/"
    assert (session.room, session.pain_before, session.plan) == (room, 6, plan)


def test_check_in_without_pain_keeps_what_was_chosen_and_says_what_to_fix(signed_in, practitioner, plan, room):
    r = signed_in(practitioner.user).post(
        "/sessions/start/",
        {"patient": str(plan.patient.public_id), "room": str(room.public_id), "planned_minutes": "30"},
    )
    assert r.status_code == 422
    assert b"Ask the patient for their pain now" in r.content
    assert f'value="{room.public_id}" checked'.encode() in r.content and b'value="30"' in r.content


def test_check_in_offers_the_practitioners_own_rooms_with_busy_ones_disabled(
    signed_in, practitioner, plan, room, clinic
):
    from tests.factories import LocationFactory

    practitioner.location = room.location
    practitioner.save()
    busy = RoomFactory(location=room.location, name="Room Busy", position=1)
    RoomFactory(location=LocationFactory(clinic=clinic, name="Whitefield"), name="Room Far")
    other = sign_consent(PatientFactory(clinic=clinic)).patient
    session_start(actor=practitioner.user, patient=other, practitioner=practitioner, room=busy, pain_before=5)

    client = signed_in(practitioner.user)
    page = client.get(f"/sessions/start/?patient={plan.patient.public_id}").content.decode()
    assert str(room.public_id) in page and "Room Far" not in page
    busy_choice = page[page.index(f'value="{busy.public_id}"') :].split(">", 1)[0]
    assert "disabled" in busy_choice and "in use" in page
    r = client.post(
        "/sessions/start/",
        {
            "patient": str(plan.patient.public_id),
            "room": str(busy.public_id),
            "pain_before": "6",
            "planned_minutes": "25",
        },
    )
    assert r.status_code == 422 and not TreatmentSession.objects.filter(patient=plan.patient).exists()


def test_board_room_links_to_check_in_with_the_room_chosen(signed_in, practitioner, room, consulted):
    client = signed_in(practitioner.user)
    board = client.get("/board/")
    assert f"/sessions/start/?room={room.public_id}".encode() in board.content
    page = client.get(f"/sessions/start/?room={room.public_id}")
    assert f'value="{room.public_id}" checked'.encode() in page.content
    found = client.get("/sessions/start/patients/?q=Ra", HTTP_HX_REQUEST="true")
    assert b"Rao, Asha" in found.content


# --- the live session ----------------------------------------------------------------------------


def test_session_page_lists_the_plan_points_ticked_with_their_safety(signed_in, practitioner, started):
    page = signed_in(practitioner.user).get(f"/sessions/{started.public_id}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="r0_code" value="BL23"' in html and 'name="r0_use" value="1"' in html
    assert "Needles in — start the timer" in html
    assert "EA</label>" in html  # the plan allows electroacupuncture


def test_needles_in_from_the_page_records_deviations_and_starts_the_timer(signed_in, practitioner, started):
    client = signed_in(practitioner.user)
    r = client.post(f"/sessions/{started.public_id}/needles/", needles_post())
    assert r.status_code == 302
    started.refresh_from_db()
    assert (started.needles_inserted, started.needle_lot) == (5, "HW-77")
    assert started.needles_in_at is not None
    page = client.get(f"/sessions/{started.public_id}/").content.decode()
    assert "Added to the plan today</span> BL25 (left)" in page
    assert "Plan points not needled</span> GV4 (midline)" in page
    assert "data-timer" in page and "Needles out" in page


def test_a_contraindicated_point_is_refused_on_the_page_and_nothing_typed_is_lost(signed_in, practitioner, started):
    consult(practitioner, started.patient, kind="reassessment", pregnant=True, pregnancy_weeks=8)
    client = signed_in(practitioner.user)
    page = client.get(f"/sessions/{started.public_id}/").content.decode()
    assert (
        "Do not needle." in page and "Lumbosacral point in the first trimester" in page
    )  # shown before anyone needles
    r = client.post(f"/sessions/{started.public_id}/needles/", needles_post())
    assert r.status_code == 422
    html = r.content.decode()
    assert "Nothing was counted yet" in html and "Lumbosacral point in the first trimester (contraindication)" in html
    assert 'value="HW-77"' in html and 'name="r9_code" value="BL25"' in html
    started.refresh_from_db()
    assert started.needles_inserted == 0


def test_unknown_code_added_on_the_page_says_why_in_place(signed_in, practitioner, started):
    r = signed_in(practitioner.user).get(f"/sessions/{started.public_id}/point-row/?code=XY99&side=both")
    assert r["HX-Retarget"] == "#add-error" and b"XY99" in r.content
    ok = signed_in(practitioner.user).get(f"/sessions/{started.public_id}/point-row/?code=ub25&side=left&key=123")
    assert b'name="r123_code" value="BL25"' in ok.content


def test_a_short_needle_count_keeps_the_session_open_with_an_alert_on_page_and_board(signed_in, practitioner, started):
    client = signed_in(practitioner.user)
    client.post(f"/sessions/{started.public_id}/needles/", needles_post())
    client.post(f"/sessions/{started.public_id}/removal/", {"count": "4"})
    page = client.get(f"/sessions/{started.public_id}/").content.decode()
    assert "NEEDLE COUNT DOES NOT MATCH: 1 needle not accounted for." in page
    refused = client.post(f"/sessions/{started.public_id}/close/", {"pain_after": "3", "contact_minutes": "15"})
    assert refused.status_code == 422 and b"1 needle unaccounted for" in refused.content
    board = client.get("/board/").content.decode()
    assert "NEEDLE COUNT: 1 not accounted for" in board and "state-needle_alert" in board


def test_a_lost_needle_recorded_on_the_page_lets_the_session_close(signed_in, practitioner, started):
    client = signed_in(practitioner.user)
    client.post(f"/sessions/{started.public_id}/needles/", needles_post())
    client.post(f"/sessions/{started.public_id}/removal/", {"count": "4"})
    # The page reads times in the clinic's zone, as the tablet shows them.
    now = timezone.localtime(timezone.now(), clinic_zone()).strftime("%Y-%m-%dT%H:%M")
    r = client.post(
        f"/sessions/{started.public_id}/adverse-events/",
        {
            "form": "lost", "lost-kind": "forgotten_needle", "lost-severity": "mild", "lost-occurred_at": now,
            "lost-needles": "1", "lost-action_taken": "searched couch and floor", "lost-description": "",
            "lost-causality": "certain", "lost-outcome": "unknown",
        },
    )  # fmt: skip
    assert r.status_code == 302, r.content.decode()[:2000]
    closed = client.post(
        f"/sessions/{started.public_id}/close/",
        {"pain_after": "2", "contact_minutes": "15", "subjective": "easier", "plan_note": "again Friday"},
    )
    assert closed.status_code == 302
    started.refresh_from_db()
    assert (started.status, started.needles_unrecovered, started.plan_note) == (SessionStatus.CLOSED, 1, "again Friday")


def test_front_desk_and_patients_cannot_open_session_pages(signed_in, frontdesk, patient_user, started):
    for user in (frontdesk, patient_user):
        client = signed_in(user)
        assert client.get(f"/sessions/{started.public_id}/").status_code == 404
        assert client.post(f"/sessions/{started.public_id}/needles/", needles_post()).status_code == 404
        assert client.post(f"/sessions/{started.public_id}/removal/", {"count": "1"}).status_code == 404
        assert client.get(f"/sessions/start/?patient={started.patient.public_id}").status_code == 404


# --- the board -------------------------------------------------------------------------------------


@pytest.fixture
def six_rooms(practitioner, clinic, room, reference):
    now = timezone.now()
    for i in range(6):
        p = PatientFactory(clinic=clinic)
        consult(practitioner, p)
        sign_consent(p)
        s = session_start(
            actor=practitioner.user,
            patient=p,
            practitioner=practitioner,
            room=RoomFactory(location=room.location, name=f"Bed {i + 1}", position=i + 1),
            pain_before=5,
        )
        TreatmentSession.objects.filter(pk=s.pk).update(
            needles_in_at=now - dt.timedelta(minutes=4 * i + 1), needles_inserted=6 + i
        )
    return room.location


def test_board_for_location_reads_six_running_rooms_in_four_queries(six_rooms, django_assert_num_queries):
    # rooms, open sessions, their patients, their practitioners
    with django_assert_num_queries(4):
        board = board_for_location(six_rooms)
    assert len(board) == 7 and sum(1 for b in board if b.timer) == 6


def test_board_poll_is_a_partial_with_a_constant_query_count(
    signed_in, practitioner, six_rooms, django_assert_num_queries
):
    client = signed_in(practitioner.user)
    client.get(f"/board/{six_rooms.public_id}/")  # warm the session (it keeps the chosen location) and caches
    # session, user, the user's clinic, the location, rooms, open sessions, their patients and
    # practitioners (polls are not audited)
    with django_assert_num_queries(8):
        r = client.get(f"/board/{six_rooms.public_id}/", HTTP_HX_REQUEST="true")
    html = r.content.decode()
    assert "<html" not in html and 'id="board"' in html and 'hx-trigger="every 5s"' in html
    assert html.count("data-timer ") == 6 and "TIME UP — remove needles" in html


def test_a_room_past_its_time_is_marked_time_up(signed_in, practitioner, six_rooms):
    html = signed_in(practitioner.user).get("/board/").content.decode()
    # Bed 6 went in 21 minutes ago, Bed 1 one minute ago: none over 25 minutes yet.
    assert "is-time-up" not in html
    TreatmentSession.objects.filter(room__name="Bed 6").update(needles_in_at=timezone.now() - dt.timedelta(minutes=31))
    html = signed_in(practitioner.user).get("/board/").content.decode()
    assert html.count("is-time-up") == 1 and "+6:0" in html


def test_front_desk_sees_the_board_without_needle_counts_and_patients_do_not(
    signed_in, frontdesk, patient_user, six_rooms
):
    html = signed_in(frontdesk).get("/board/").content.decode()
    assert "Bed 6" in html and "needles in" not in html and "Open session" not in html
    assert signed_in(patient_user).get("/board/").status_code == 403


# --- the patient page partial and the report ----------------------------------------------------------


def test_patient_summary_shows_the_open_session_and_adverse_events(practitioner, started, django_assert_num_queries):
    AdverseEvent.objects.create(
        patient=started.patient, session=started, kind="syncope", severity="moderate",
        occurred_at=timezone.now(), action_taken="laid flat", recorded_by=practitioner.user,
    )  # fmt: skip
    with django_assert_num_queries(2):
        tx = patient_treatment_summary(started.patient)
    assert tx.open_session == started and [e.kind for e in tx.adverse_events] == ["syncope"]


def test_patient_partial_renders(rf, practitioner, started):
    from django.template.loader import render_to_string

    html = render_to_string(
        "treatment/_patient_sessions.html",
        {"tx": patient_treatment_summary(started.patient), "patient": started.patient, "caps": {"edit_clinical"}},
    )
    assert "Session in progress" in html and f"/sessions/{started.public_id}/" in html


def test_adverse_report_counts_per_type_and_filters(signed_in, practitioner, frontdesk, started):
    for kind, severity in (("syncope", "moderate"), ("bleeding_haematoma", "mild"), ("bleeding_haematoma", "mild")):
        AdverseEvent.objects.create(
            patient=started.patient, session=started, kind=kind, severity=severity,
            occurred_at=timezone.now(), action_taken="handled", recorded_by=practitioner.user,
        )  # fmt: skip
    client = signed_in(practitioner.user)
    html = client.get("/adverse-events/").content.decode()
    assert "3 in all" in html and '>Bleeding or haematoma (bruise)</a></td><td class="num"><strong>2<' in html
    only = client.get("/adverse-events/?kind=syncope").content.decode()
    assert "1 in all" in only
    bad = client.get("/adverse-events/?date_from=2026-02-02&date_to=2026-01-01").content.decode()
    assert "The end date is before the start date" in bad
    assert signed_in(frontdesk).get("/adverse-events/").status_code == 404


def test_removal_beyond_the_needles_in_is_refused_on_the_page(signed_in, practitioner, running):
    r = signed_in(practitioner.user).post(f"/sessions/{running.public_id}/removal/", {"count": "9"})
    assert r.status_code == 422 and b"between 1 and the 3 still in" in r.content


def test_session_page_query_count_does_not_grow_with_the_plan(signed_in, practitioner, consulted, room):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from acupath.treatment.tests.conftest import make_plan

    counts = []
    client = signed_in(practitioner.user)
    for points in ([("BL23", "both")], [(c, "both") for c in ("BL23", "BL25", "BL40", "BL57", "GB30", "GB34", "KI3")]):
        make_plan(consulted, points, version=len(counts) + 1)
        session = session_start(
            actor=practitioner.user, patient=consulted, practitioner=practitioner, room=room, pain_before=5
        )
        client.get(f"/sessions/{session.public_id}/")  # warm caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/sessions/{session.public_id}/").status_code == 200
        counts.append(len(queries))
        TreatmentSession.objects.filter(pk=session.pk).update(status=SessionStatus.CLOSED)
    # session, user, the session (joined), plan rows, points needled, events, practitioner's last
    # needles, the rules' facts (consultation, ODI, sessions so far), the treatment gate (consultations,
    # their decisions, referrals), audit: 15 either way
    assert counts == [15, 15]
