"""The demo's dispatch tells the story: a year of needs and accepted assignments, 城厢小学's open 家风 lecture two
weeks ahead for which 曾德福 is proposed, and 黄志华's invitation awaiting his answer on his home; seeded quickly."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from xieyu.demo.county import seed_county
from xieyu.events.models import Staff
from xieyu.teams.dispatch.matching import propose
from xieyu.teams.models import Assignment, Need
from xieyu.teams.vetting import cleared

pytestmark = pytest.mark.once


def test_the_demo_dispatch_tells_the_story(db):
    started = time.monotonic()
    cast, _stats = seed_county(schools=3, students=400)
    assert time.monotonic() - started < 120
    now = timezone.now()
    past = Assignment.objects.filter(status="accepted", ends_at__lt=now)
    assert past.count() >= 100
    assert Assignment.objects.filter(status="accepted", starts_at__gt=now).exists()
    # accepted members are approved and were cleared on the day; each is staff of the need's event
    for a in past.select_related("member__user", "need")[:40]:
        assert a.member.status == "approved" and cleared(a.member.user, timezone.localdate(a.starts_at))
        assert Staff.objects.filter(event=a.need.event_id, user=a.member.user_id).exists()

    lecture = Need.objects.get(school=cast.school_a, topic__contains="家风", status="open")
    assert 13 <= (timezone.localdate(lecture.starts_at) - timezone.localdate()).days <= 14
    assert "曾德福" in [p.member.user.name for p in propose(lecture)]

    huang = Client()
    huang.force_login(cast.users["expert_huang"], backend="django.contrib.auth.backends.ModelBackend")
    home = huang.get("/").content.decode()
    invitation = Assignment.objects.get(member__user=cast.users["expert_huang"], status="invited")
    assert f'data-accept="{invitation.pk}"' in home and "城厢镇家庭教育义诊" in home

    liu = Client()
    liu.force_login(cast.users["school_admin_liu"], backend="django.contrib.auth.backends.ModelBackend")
    page = liu.get(reverse("teams:need_detail", args=[lecture.pk])).content.decode()
    assert "曾德福" in page
