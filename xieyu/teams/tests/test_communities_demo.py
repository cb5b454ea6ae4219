"""The demo's communities: 张伟's family sees 城南社区's coming activities and facilities (not 大吉山社区's), 叶春梅's
home shows her community, and 城厢小学 and 全南二中 have this year's 进社区 / 进学校 visits."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from xieyu.demo.county import seed_county
from xieyu.events.models import Event
from xieyu.teams.communities import access
from xieyu.teams.models import Facility

pytestmark = pytest.mark.once


def _client(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_the_demo_communities(db):
    started = time.monotonic()
    cast, _stats = seed_county(schools=3, students=400)
    assert time.monotonic() - started < 120
    assert Facility.objects.filter(community=cast.communities["south"]).count() == 3
    coming = Event.objects.filter(kind="community_activity", starts_at__gte=timezone.now())
    assert coming.count() == 6
    past = Event.objects.filter(kind="community_activity", ends_at__lt=timezone.now())
    assert past.count() == 3 and sum(e.attendances.count() for e in past) > 0
    near = list(access.activities_near(cast.parent_zhang))
    assert {e.community for e in near} == {cast.communities["south"]}
    home = _client(cast.parent_zhang).get("/").content.decode()
    assert "城南社区 周末亲子阅读会" in home
    ye_home = _client(cast.community_ye).get("/").content.decode()
    assert "城厢镇城南社区" in ye_home and "客家剪纸体验课" in ye_home
    period = access.period_of("year")
    schools = {s.pk: s for s in access.schools_counted_for(cast.county_admin_chen, period)}
    assert schools[cast.school_a.pk].into_community == 2 and schools[cast.school_a.pk].into_school == 1
    assert schools[cast.school_b.pk].into_community == 1 and schools[cast.school_b.pk].into_school == 1
    page = _client(cast.county_admin_chen).get(reverse("teams:exchange_list"))
    assert page.status_code == 200
