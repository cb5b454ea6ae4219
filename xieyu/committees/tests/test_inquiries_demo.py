"""The demo's inquiries: one answered on time at 城厢小学, one overdue at 全南二中 that reached 陈建国, one draft
gathering signatures, and a concern awaiting the school."""

from __future__ import annotations

import pytest

from xieyu.committees.inquiries import access
from xieyu.committees.inquiries.models import Concern, Inquiry
from xieyu.deadlines.models import Escalation
from xieyu.demo.committees_inquiries import seed_inquiries
from xieyu.notices.models import Delivery

pytestmark = pytest.mark.once


def test_the_demo_seeds_an_answered_an_overdue_and_a_draft_inquiry(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        seed_inquiries(cast)
    accepted = Inquiry.objects.get(school=cast.school_a, state=Inquiry.State.ACCEPTED)
    assert accepted.subject == "homework" and accepted.answers.count() == 1
    draft = Inquiry.objects.get(school=cast.school_a, state=Inquiry.State.DRAFT)
    assert 1 < draft.signature_count < draft.threshold == 10
    overdue = Inquiry.objects.get(school=cast.school_b)
    assert overdue.state == Inquiry.State.FILED
    import django.utils.timezone as tz

    clocks = [d for d in access.overdue_inquiries(cast.county_admin_chen, tz.now())]
    assert len(clocks) == 1 and clocks[0].school == cast.school_b
    assert Escalation.objects.filter(deadline=clocks[0], user=cast.county_admin_chen).exists()
    assert Delivery.objects.filter(user=cast.county_admin_chen, notice__link__endswith=f"/{overdue.pk}/").exists()
    assert [i.pk for i in access.drafts_to_sign(cast.parent_zhang)] == [draft.pk]
    assert Concern.objects.filter(guardian__user=cast.parent_zhang, state=Concern.State.OPEN).count() == 1
