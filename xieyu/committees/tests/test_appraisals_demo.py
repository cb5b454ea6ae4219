"""The demo county's appraisals: last term's closed at both cast schools with results, one small class suppressed,
comments waiting for the county; this term's open for 城厢小学's families."""

import pytest
from django.urls import reverse

from xieyu.committees.appraisals.models import Appraisal, AppraisalComment
from xieyu.demo.committees_appraisals import LAST_TERM, seed_appraisals
from xieyu.demo.county import seed_county

pytestmark = pytest.mark.once


def test_demo_appraisals_tell_the_story(db):
    cast, _stats = seed_county(schools=3, students=300)
    seed_appraisals(cast)  # idempotent
    closed = Appraisal.objects.filter(term=LAST_TERM, status="closed")
    assert {a.school_id for a in closed} == {cast.school_a.pk, cast.school_b.pk} and closed.count() == 2
    a = closed.get(school=cast.school_a)
    rows = {r["class_id"]: r for r in a.results["classes"]}
    assert rows[cast.class_a1.pk]["shown"] and rows[cast.class_a2.pk]["count"] == "<5"
    pending = AppraisalComment.objects.filter(state="pending")
    assert pending.count() >= 3 and any("***" in c.text for c in pending)
    assert not any("13812345678" in c.text for c in AppraisalComment.objects.all())
    from django.test import Client

    client = Client()
    client.force_login(cast.users["grandma_zhao"], backend="django.contrib.auth.backends.ModelBackend")
    assert "本学期评议" in client.get("/").content.decode()
    client.force_login(cast.users["county_admin_chen"], backend="django.contrib.auth.backends.ModelBackend")
    assert "&lt;5" in client.get(reverse("committees:appraisal_results", args=[a.pk])).content.decode()
