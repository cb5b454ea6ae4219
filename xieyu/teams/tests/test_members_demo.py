"""The demo guidance center tells the story: the four teams with 黄志华, 周敏 and 曾德福 approved and checked; experts'
certificates; two applications waiting (李娜 to the teacher team, 孙丽 to the parent team); 城厢小学's own teacher team
with 何静 and two colleagues; two members who left, with reasons; two checks lapsing within 30 days, every sixth bulk
check lapsed; each person's latest check with its reminder clock; and 陈建国's page shows it."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from xieyu.deadlines.models import Deadline
from xieyu.demo.county import seed_county
from xieyu.teams.members.services import CHECK_TARGET
from xieyu.teams.models import BackgroundCheck, Certificate, Member, Team
from xieyu.teams.vetting import cleared

pytestmark = pytest.mark.once


def test_the_demo_guidance_center_tells_the_story(db):
    cast, _stats = seed_county(schools=3, students=300)
    today = timezone.localdate()
    for key, kind in (("expert_huang", "expert"), ("counsellor_zhou", "expert"), ("volunteer_zeng", "elders")):
        m = Member.objects.get(user=cast.users[key], team__kind=kind, team__school__isnull=True)
        assert m.status == "approved" and cleared(m.user, today)
    names = set(Certificate.objects.filter(member__user=cast.expert_huang).values_list("name", flat=True))
    assert {"家庭教育指导师", "心理咨询师(二级)"} <= names
    pending = Member.objects.filter(status="applied").select_related("team", "user")
    assert {(m.user.name, m.team.kind) for m in pending} >= {("李娜", "teacher"), ("孙丽", "parent")}
    school_team = Team.objects.get(school=cast.school_a)
    assert set(school_team.members.values_list("user__name", flat=True)) >= {"何静"}
    assert school_team.members.filter(status="approved").count() == 3
    left = Member.objects.filter(status="left")
    assert left.count() == 2 and all(m.left_reason for m in left)
    soon = today + datetime.timedelta(days=30)
    latest = {}
    for c in BackgroundCheck.objects.order_by("user", "-valid_until"):
        latest.setdefault(c.user_id, c)
    assert sum(1 for c in latest.values() if today <= c.valid_until <= soon) == 2
    assert sum(1 for c in latest.values() if c.valid_until < today) >= 4
    clocks = Deadline.objects.filter(target_type=CHECK_TARGET, state="running")
    assert clocks.count() == len(latest)

    chen = Client()
    chen.force_login(cast.county_admin_chen, backend="django.contrib.auth.backends.ModelBackend")
    page = chen.get(reverse("teams:team_list")).content.decode()
    assert "全南县“五老”关爱团" in page and "城厢小学教师支援服务队" in page
    lapsing = page[page.index('id="lapsing"') :]
    assert 'data-check="lapsing"' in lapsing and 'data-check="lapsed"' in lapsing
    zeng = Client()
    zeng.force_login(cast.volunteer_zeng, backend="django.contrib.auth.backends.ModelBackend")
    assert "全南县“五老”关爱团" in zeng.get(reverse("teams:my_teams")).content.decode()
