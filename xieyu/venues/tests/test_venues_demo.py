"""The demo venues tell the story: thirty venues over the towns, 古志强 the contact of several (a red culture site
among them) with 全南二中's request waiting on his home; 三年级1班's confirmed visit is an event 张伟 sees; two family
days; the six-stop tour with 曾德福 on the staff of past stops whose families came; seeded quickly."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django.urls import reverse

from xieyu.demo.county import seed_county
from xieyu.demo.venues import seed_venues
from xieyu.events.models import Staff
from xieyu.teams.dispatch.models import Assignment
from xieyu.venues.models import Booking, FamilyDay, Tour, Venue

pytestmark = pytest.mark.once


def _client(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_the_demo_venues_tell_the_story(db):
    cast, _stats = seed_county(schools=3, students=300)
    started = time.monotonic()
    seed_venues(cast)  # idempotent
    assert time.monotonic() - started < 5
    venues = Venue.objects.filter(county=cast.county)
    assert venues.count() == 30 and venues.values("town").distinct().count() >= 8
    gu_venues = venues.filter(contacts=cast.venue_gu)
    assert gu_venues.filter(themes__theme="red").exists() and gu_venues.count() >= 3
    visit = Booking.objects.get(school_class=cast.class_a1, status="confirmed", venue__name="全南县革命烈士纪念馆")
    pending = Booking.objects.get(school=cast.school_b, status="pending")
    home = _client(cast.venue_gu).get("/").content.decode()
    assert f'data-booking="{pending.pk}"' in home and "全南县第二中学" in home
    zhang = _client(cast.parent_zhang)
    assert zhang.get(reverse("events:detail", args=[visit.event_id])).status_code == 200
    assert FamilyDay.objects.count() == 2
    assert "客家围屋亲子开放日" in zhang.get("/").content.decode()
    tour = Tour.objects.get(title="家风家训·客家文化巡讲")
    assert tour.stops.count() == 6 and tour.stops.filter(community=cast.communities["village"]).exists()
    assert Staff.objects.filter(user=cast.volunteer_zeng, event__kind="tour_stop").count() == 4
    assert Assignment.objects.filter(member__user=cast.volunteer_zeng, status="accepted").count() >= 4
    page = _client(cast.county_admin_chen).get(reverse("venues:tour_detail", args=[tour.pk])).content.decode()
    attended = int(page.split('id="reach-attended">')[1].split("<")[0])
    assert attended > 0 and "曾德福" in page
