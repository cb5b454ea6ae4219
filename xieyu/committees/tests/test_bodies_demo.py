"""The demo committees tell the story: 张伟 chairs 城厢小学's, 孙丽 全南二中's, 赵秀英 sits on 三年级1班's; 城厢小学's
charter v1 in force with published minutes (one action done, one open), v2 drafted, and a meeting held yesterday at
which the chair can adopt it; seeded quickly."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django.urls import reverse

from xieyu.committees.bodies import access
from xieyu.committees.models import CharterVersion, Committee, Meeting, Member
from xieyu.demo.county import seed_county

pytestmark = pytest.mark.once


def test_the_demo_committees_tell_the_story(db):
    started = time.monotonic()
    cast, _stats = seed_county(schools=3, students=400)
    assert time.monotonic() - started < 90
    a = Committee.objects.get(school=cast.school_a, level="school")
    b = Committee.objects.get(school=cast.school_b, level="school")
    a1 = Committee.objects.get(school_class=cast.class_a1)
    assert a.members.get(role="chair").guardian.user == cast.parent_zhang
    assert b.members.get(role="chair").guardian.user == cast.parent_sun
    assert a1.members.filter(guardian__user=cast.grandma_zhao, role=Member.Role.MEMBER).exists()
    assert a.members.count() >= 3 and b.members.count() >= 2
    assert all(access.belongs_to_unit(m.guardian, m.committee) for m in Member.objects.select_related("guardian"))
    v1, v2 = CharterVersion.objects.filter(charter__committee=a).order_by("number")
    assert (v1.status, v2.status) == ("adopted", "draft")
    past = v1.resolution.meeting
    assert past.status == Meeting.Status.PUBLISHED and past.event is not None
    assert past.action_items.filter(done_at__isnull=False).count() == 1
    assert past.action_items.filter(done_at__isnull=True).count() == 1
    held = a.meetings.get(status=Meeting.Status.HELD)
    assert held.event.attendances.exists()
    assert a.meetings.filter(status=Meeting.Status.PLANNED, event__isnull=False).exists()

    zhang = Client()
    zhang.force_login(cast.parent_zhang, backend="django.contrib.auth.backends.ModelBackend")
    page = zhang.get(reverse("committees:meeting_detail", args=[held.pk]))
    assert page.status_code == 200 and "记录决议" in page.content.decode()
    assert "期中家校沟通会" in zhang.get("/").content.decode()  # his home: the committee's next meeting
