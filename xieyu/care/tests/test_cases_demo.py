"""The demo county's cases: 刘小宇's case as the story needs it, the urgent question left without a case, dozens of
generated cases with plans waiting for 钟慧 and a break-the-glass open to review; seeded in a few seconds, once."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django.urls import reverse

from xieyu.care.models import Approval, BreakGlass, Case, CaseSection, Section
from xieyu.demo.care_cases import seed_cases
from xieyu.demo.county import seed_county
from xieyu.questions.models import Question

pytestmark = pytest.mark.once


def test_the_demo_cases_tell_the_story(db):
    started = time.monotonic()
    cast, _stats = seed_county(schools=4, students=800)
    assert time.monotonic() - started < 60
    liu = Case.objects.get(student=cast.students["liu_xiaoyu"])
    assert liu.owner == cast.counsellor_zhou and liu.supervisor == cast.supervisor_zhong
    assert liu.state == Case.State.SERVICES
    assert liu.approvals.get(kind="plan").state == Approval.State.APPROVED
    sections = set(CaseSection.objects.filter(case=liu).values_list("section", flat=True))
    assert {Section.FAMILY_SUPPORT, Section.ASSESSMENT, Section.FAMILY_CONFLICT} <= sections
    # the counsellor's own service, and the one the referral to 妇联 (the referrals seed) planned
    assert liu.services.count() == 2 and liu.services.filter(referral__isnull=False).count() == 1
    assert liu.follow_ups.count() == 2
    urgent = Question.objects.get(flagged_at__isnull=False)
    assert not Case.objects.filter(student=urgent.student).exists()
    assert Case.objects.count() > 24 and Case.objects.values("school").distinct().count() > 2
    assert Approval.objects.filter(state="requested", case__supervisor=cast.supervisor_zhong).exists()
    assert BreakGlass.objects.filter(user=cast.counsellor_zhou, reviewed_at__isnull=True).count() == 1

    def client_for(persona):
        client = Client()
        client.force_login(getattr(cast, persona), backend="django.contrib.auth.backends.ModelBackend")
        return client

    home = client_for("counsellor_zhou").get("/").content.decode()
    assert "刘小宇 留守儿童关爱" in home and "开案" in home
    review = client_for("supervisor_zhong").get(reverse("care:case_review_list")).content.decode()
    assert "孔燕外出培训" in review
    count = Case.objects.count()
    seed_cases(cast)
    assert Case.objects.count() == count
