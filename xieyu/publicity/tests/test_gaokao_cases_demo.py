"""The demo county's 新高考 table and case library: more than 60 majors across the disciplines, eight published
cases over both schools and themes, and one waiting for 陈建国; seeding twice adds nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from xieyu.demo.gaokao_cases import seed_gaokao_cases
from xieyu.publicity.cases.models import Case
from xieyu.publicity.gaokao.models import MajorRequirement

pytestmark = pytest.mark.once


def test_the_demo_table_and_cases(cast):
    seed_gaokao_cases(cast)
    seed_gaokao_cases(cast)
    rows = MajorRequirement.objects.filter(county=cast.county)
    assert rows.count() >= 60 and rows.values("discipline").distinct().count() >= 10
    assert {r.mode for r in rows} == {"none", "all", "any"} and {r.first for r in rows} == {"physics", "history",
                                                                                            "either"}  # fmt: skip
    published = Case.objects.filter(county=cast.county, status="published")
    assert published.count() == 8 and published.values("theme").distinct().count() >= 6
    assert {c.school_id for c in published} == {cast.school_a.pk, cast.school_b.pk}
    waiting = Case.objects.get(county=cast.county, status="submitted")
    chen = Client()
    chen.force_login(cast.county_admin_chen, backend="django.contrib.auth.backends.ModelBackend")
    assert f'data-case="{waiting.pk}"' in chen.get(reverse("publicity:case_worklist")).content.decode()
    page = chen.get(reverse("publicity:case_list"))
    assert len(page.context["page"].object_list) == 8
    guide = Client().get(reverse("publicity:gaokao_guide"), {"first": "physics", "subjects": ["chemistry", "biology"]})
    assert guide.context["result"].total == rows.count()
