"""The demo's service hours tell the story: 曾德福 has about forty signed hours this year (and some last year), mostly
from check-in, some entered from the paper sheet; 刘芳 has records of 城厢小学 to sign, his disputed one to answer and
黄志华's ended service with no record; 陈建国's county totals and the certificate work on it; seeded quickly."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from xieyu.demo.county import seed_county
from xieyu.teams.hours import access
from xieyu.teams.hours.services import service_times
from xieyu.teams.models import ServiceRecord, ServiceYear

pytestmark = pytest.mark.once


def _client(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_the_demo_hours_tell_the_story(db):
    started = time.monotonic()
    cast, _stats = seed_county(schools=3, students=400)
    assert time.monotonic() - started < 120
    year = timezone.localdate().year
    zeng, liu = cast.volunteer_zeng, cast.school_admin_liu

    hours = access.own_total(zeng, year) / 60
    assert 36 <= hours <= 46
    assert access.own_total(zeng, year - 1) > 0
    his = ServiceRecord.objects.filter(member__user=zeng)
    assert his.filter(source="checkin").count() > his.filter(source="organiser").count() > 0
    assert his.filter(status="disputed").count() == 1
    assert his.filter(status="pending", assignment__need__school=cast.school_a).exists()
    # every record lies within its service, as the rules require
    for r in ServiceRecord.objects.select_related("assignment__need__event"):
        start, end = service_times(r.assignment)
        assert start <= r.started_at < r.ended_at <= end and r.minutes == (r.ended_at - r.started_at).seconds // 60
    assert ServiceYear.objects.filter(year=year, records__gt=0).count() >= 10

    to_sign = access.records_to_sign(liu)
    assert to_sign.count() >= 2 and not to_sign.exclude(assignment__need__school=cast.school_a).exists()
    assert access.records_disputed(liu).filter(member__user=zeng).count() == 1
    assert any(a.member.user == cast.expert_huang for a in access.assignments_without_record(liu))

    page = _client(zeng).get(reverse("teams:my_hours")).content.decode()
    assert f'data-figure="this-year">{hours:.1f}<' in page
    pdf = _client(zeng).get(reverse("teams:hours_certificate", args=[year]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    county = _client(cast.county_admin_chen).get(reverse("teams:hours_county")).content.decode()
    assert "曾德福" in county
    sign = _client(liu).get(reverse("teams:hours_sign_list")).content.decode()
    assert "签到表" in sign or "待确认" in sign
