"""Lecture tours: 陈建国 creates 家风家训·客家文化巡讲 and adds stops at 城厢小学 and 雅溪村; each stop is an event of kind
tour_stop for that school's (or that town's) families with a dispatch need for its staff; the tour's page shows each
stop's staff and the reach summed, in a fixed number of queries; the county's staff see tours, guardians see the
stops on the events pages, anonymous visitors are sent to log in."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xieyu.deadlines.workcalendar import TZ
from xieyu.events import access as events_access
from xieyu.events.services import staff_add
from xieyu.teams.dispatch.models import Need
from xieyu.venues.models import Tour, TourStop
from xieyu.venues.tours import services

from .venues_fixtures import next_weekday

pytestmark = pytest.mark.django_db


@pytest.fixture
def tour(cast):
    return services.tour_create(actor=cast.county_admin_chen, county=cast.county, title="家风家训·客家文化巡讲",
                                theme="家风家训·客家文化", description="讲客家家训,传优良家风。")  # fmt: skip


def _stop_form(day, **over):
    return {"date": day.isoformat(), "start": "15:00", "end": "16:30", "people": 2, "capacity": 0, **over}


def test_the_county_admin_creates_a_tour_and_adds_stops(cast, client_for, tour):
    chen = client_for("county_admin_chen")
    day = next_weekday(2)
    chen.post(reverse("venues:stop_add", args=[tour.pk]), _stop_form(day, school=cast.school_a.pk))
    chen.post(reverse("venues:stop_add", args=[tour.pk]),
              _stop_form(day + datetime.timedelta(days=7), community=cast.communities["village"].pk))  # fmt: skip
    school_stop, village_stop = TourStop.objects.filter(tour=tour).order_by("order")
    assert (school_stop.event.kind, school_stop.event.audience, school_stop.event.school) == (
        "tour_stop",
        "school",
        cast.school_a,
    )
    assert (village_stop.event.audience, village_stop.event.audience_town) == ("town", cast.towns["龙下乡"])
    need = Need.objects.get(event=school_stop.event)
    assert (need.kind, need.people, need.school) == ("tour_stop", 2, cast.school_a)
    assert events_access.events_visible_to(cast.parent_zhang).filter(pk=school_stop.event_id).exists()
    assert not events_access.events_visible_to(cast.parent_zhang).filter(pk=village_stop.event_id).exists()
    both = chen.post(reverse("venues:stop_add", args=[tour.pk]),
                     _stop_form(day, school=cast.school_a.pk, community=cast.communities["village"].pk), follow=True)  # fmt: skip
    assert "二者只选其一" in both.content.decode() and TourStop.objects.count() == 2


def test_the_tour_page_shows_staff_and_reach(cast, client_for, tour):
    day = next_weekday(2)
    start = datetime.datetime.combine(day, datetime.time(15), tzinfo=TZ)
    stop = services.stop_add(actor=cast.county_admin_chen, tour=tour, starts_at=start,
                             ends_at=start + datetime.timedelta(hours=1), place="城厢小学报告厅", school=cast.school_a)  # fmt: skip
    staff_add(actor=cast.county_admin_chen, event=stop.event, user=cast.volunteer_zeng, role="instructor")
    text = client_for("school_admin_liu").get(reverse("venues:tour_detail", args=[tour.pk])).content.decode()
    assert "曾德福" in text and 'id="reach-registered">0<' in text


@pytest.mark.parametrize(
    "persona, status",
    [("county_admin_chen", 200), ("school_admin_wang", 200), ("volunteer_zeng", 200), ("parent_zhang", 404),
     (None, 302)],
)  # fmt: skip
def test_tours_are_for_the_countys_staff(cast, client_for, tour, persona, status):
    client = client_for(persona)
    assert client.get(reverse("venues:tour_detail", args=[tour.pk])).status_code == status
    expected_list = 302 if persona is None else (404 if persona == "parent_zhang" else 200)
    assert client.get(reverse("venues:tour_list")).status_code == expected_list


def test_only_the_county_admin_runs_a_tour(cast, client_for, tour):
    for persona in ("school_admin_liu", "venue_gu"):
        client = client_for(persona)
        assert client.get(reverse("venues:tour_edit", args=[tour.pk])).status_code == 404
        assert client.post(reverse("venues:stop_add", args=[tour.pk]), _stop_form(next_weekday(2))).status_code == 404
        assert client.post(reverse("venues:tour_create"), {"title": "x", "theme": "y"}).status_code == 404
    assert Tour.objects.count() == 1


def test_the_tour_page_runs_a_fixed_number_of_queries(cast, client_for, tour, django_assert_max_num_queries):
    def add(n):
        for i in range(n):
            start = datetime.datetime.combine(next_weekday(2) + datetime.timedelta(days=7 * i), datetime.time(15),
                                              tzinfo=TZ)  # fmt: skip
            stop = services.stop_add(actor=cast.county_admin_chen, tour=tour, starts_at=start,
                                     ends_at=start + datetime.timedelta(hours=1), place="", school=cast.school_b)  # fmt: skip
            staff_add(actor=cast.county_admin_chen, event=stop.event, user=cast.volunteer_zeng, role="instructor")

    client = client_for("county_admin_chen")
    add(1)
    url = reverse("venues:tour_detail", args=[tour.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    add(6)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).content.decode().count("data-stop=") == 7


def test_cancelling_a_stop_cancels_its_event(cast, client_for, tour):
    start = datetime.datetime.combine(next_weekday(2), datetime.time(15), tzinfo=TZ)
    stop = services.stop_add(actor=cast.county_admin_chen, tour=tour, starts_at=start,
                             ends_at=start + datetime.timedelta(hours=1), place="", school=cast.school_a)  # fmt: skip
    client_for("county_admin_chen").post(reverse("venues:stop_cancel", args=[tour.pk, stop.pk]))
    stop.event.refresh_from_db()
    assert stop.event.status == "cancelled" and Need.objects.get(event=stop.event).status == "cancelled"
