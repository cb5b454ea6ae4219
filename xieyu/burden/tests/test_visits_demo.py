"""The demo county's home visits and 双减 meeting, seeded on the cast (no generated schools)."""

from __future__ import annotations

import pytest

from xieyu.burden.models import HomeVisit, MeetingMinutes, VisitCoverage, VisitFollowUp
from xieyu.demo.burden_visits import seed_visits
from xieyu.notices import receipts
from xieyu.notices.audience import Audience
from xieyu.notices.services import notice_create

pytestmark = pytest.mark.once


def test_the_demo_seeds_li_s_visits_the_coverage_and_a_meeting_with_minutes(cast, client_for, run_tasks, settings):
    settings.SMS_SENDER = "xieyu.accounts.sms.LoggingSender"
    seed_visits(cast)
    seed_visits(cast)  # a second run changes nothing
    assert HomeVisit.objects.filter(school_class=cast.class_a1).count() == 3
    assert VisitFollowUp.objects.filter(done_at__isnull=True, visit__student=cast.students["liu_xiaoyu"]).count() == 1
    cov = VisitCoverage.objects.get(school_class=cast.class_a1)
    assert (cov.families, cov.visited) == (4, 3)
    minutes = MeetingMinutes.objects.get()
    assert minutes.published_at is not None and len(minutes.raised) == 3
    # 钱多多's grandmother has no phone and no account, but was visited last week: reached
    notice = notice_create(actor=cast.head_teacher_li, title="通知", body="周五家长会",
                           audience=Audience(classes=[cast.class_a1.pk]))  # fmt: skip
    run_tasks()
    assert receipts.counts(notice).unreached == 0
    html = client_for("head_teacher_li").get("/burden/visits/").content.decode()
    assert "本学年已家访 3 / 4 户" in html
