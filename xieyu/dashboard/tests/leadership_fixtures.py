"""The leadership and resources tests' cast additions: the county's group and arrangement, one of the school's
events and notices (and the other school's), and the neighbouring county of the column tests."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from xieyu.dashboard.leadership import services
from xieyu.dashboard.leadership.models import LeadershipMember
from xieyu.dashboard.leadership.years import current_year
from xieyu.events.models import Event
from xieyu.notices.models import Notice
from xieyu.publicity.tests.articles_fixtures import client_of, neighbour  # noqa: F401  (fixture)

__all__ = ["county_plan", "neighbour", "school_plan"]  # the fixtures (star-imported by the tests)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def soon(days: int = 30) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def year_end() -> datetime.date:
    return datetime.date(current_year() + 1, 6, 30)


def due_date(days: int = 30) -> datetime.date:
    """A due date within the academic year (never past its end)."""
    return min(soon(days), datetime.date(current_year() + 1, 8, 31))


def event_of(cast, school, title="家庭教育讲座", county=None) -> Event:
    now = timezone.now()
    return Event.objects.create(kind=Event.Kind.LECTURE, title=title, organiser=Event.Organiser.SCHOOL,
                                county=county or cast.county, school=school, audience=Event.Audience.SCHOOL,
                                starts_at=now - datetime.timedelta(days=3), ends_at=now - datetime.timedelta(days=3, hours=-2),
                                status=Event.Status.PUBLISHED)  # fmt: skip


def notice_of(cast, school, sender, title="关于开展家访的通知") -> Notice:
    return Notice.objects.create(sender=sender, county=cast.county, school=school, title=title, body="请各位家长配合。",
                                 kind=Notice.Kind.BROADCAST, status=Notice.Status.SENT)  # fmt: skip


@pytest.fixture
def county_plan(cast):
    """The county's group (陈建国 组长, a 股室 member) and its arrangement for this academic year."""
    chen = cast.county_admin_chen
    group = services.group_create(actor=chen, county_id=cast.county.pk, name="全南县家校社协同育人工作领导小组")
    leader = services.member_add(actor=chen, group=group, name="", phone=chen.phone, title="局长",
                                 post=LeadershipMember.Post.LEADER, term_start=soon(-100), term_end=year_end())  # fmt: skip
    member = services.member_add(actor=chen, group=group, name="钟德育", department="德育股", phone="0797-2632001",
                                 post=LeadershipMember.Post.MEMBER, term_start=soon(-100), term_end=year_end())  # fmt: skip
    plan = services.plan_create(actor=chen, county_id=cast.county.pk, year=current_year())
    return {"group": group, "leader": leader, "member": member, "plan": plan}


@pytest.fixture
def school_plan(cast):
    liu = cast.school_admin_liu
    group = services.group_create(
        actor=liu, county_id=cast.county.pk, school=cast.school_a, name="城厢小学家校共育领导小组"
    )
    services.member_add(actor=liu, group=group, name="", phone=liu.phone, title="校长",
                        post=LeadershipMember.Post.LEADER, term_start=soon(-100), term_end=year_end())  # fmt: skip
    plan = services.plan_create(actor=liu, county_id=cast.county.pk, school=cast.school_a, year=current_year())
    return {"group": group, "plan": plan}
