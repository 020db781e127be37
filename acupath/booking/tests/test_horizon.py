"""The booking horizon: the public picker offers times as far ahead as the clinic allows, and no further."""

import datetime as dt

import pytest
from django.utils import timezone

from acupath.booking import conf
from acupath.booking.selectors import week_count, week_slots

pytestmark = pytest.mark.django_db


def test_the_default_horizon_is_eight_weeks_and_the_picker_pages_through_all_of_it():
    assert conf.horizon() == dt.timedelta(weeks=8)
    assert week_count() == 8


def test_times_stop_at_the_horizon(doc, initial, settings):
    settings.BOOKING_HORIZON_DAYS = 10
    now = timezone.now()
    assert week_count() == 2
    offered = [
        s.start for day in week_slots(appointment_type=initial, practitioners=[doc], week=1, now=now) for s in day.slots
    ]
    assert offered, "the second week offers times up to the horizon"
    assert max(offered) <= now + dt.timedelta(days=10)
    assert max(offered) > now + dt.timedelta(days=9)


def test_the_picker_page_offers_the_last_week_of_the_horizon(client, doc, initial):
    page = client.get("/book/", {"type": str(initial.public_id), "week": "7"}, HTTP_HX_REQUEST="true")
    assert page.status_code == 200
    assert 'name="slot" value="' in page.content.decode()
    beyond = client.get("/book/", {"type": str(initial.public_id), "week": "8"}, HTTP_HX_REQUEST="true")
    assert beyond.content.decode() == page.content.decode()  # asked past the horizon: the last week is shown
