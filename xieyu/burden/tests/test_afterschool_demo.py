"""The demo county's after-school schedules and 双减 reports."""

import pytest
from django.test import Client
from django.urls import reverse

from xieyu.burden.afterschool.models import AfterschoolSchedule
from xieyu.burden.reports.models import BurdenReport
from xieyu.demo.burden_afterschool import seed_afterschool
from xieyu.demo.county import seed_county

pytestmark = pytest.mark.once


def test_demo_schedules_and_reports_tell_the_story(db):
    cast, _stats = seed_county(schools=8, students=400)
    seed_afterschool(cast)  # idempotent
    assert AfterschoolSchedule.objects.get(school=cast.school_a).meets_rule
    b = AfterschoolSchedule.objects.get(school=cast.school_b)
    assert b.is_short and b.not_every_day
    assert BurdenReport.objects.count() == 4 and BurdenReport.objects.filter(state="handled").count() == 1
    client = Client()
    client.force_login(cast.users["county_admin_chen"], backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(reverse("burden:afterschool_county")).content.decode()
    assert "全南县第二中学" in page and "全南县城厢小学" not in page
    assert client.get(reverse("burden:report_inbox")).status_code == 200
