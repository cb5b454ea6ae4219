"""The committee page as one page: each subdomain's panel shows up on it — the unit's inquiries with their clocks and
the school's latest appraisal results — for the unit's families and staff, and for nobody else."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xieyu.committees.bodies import services as bodies
from xieyu.committees.inquiries import services as inquiries
from xieyu.demo.committees_inquiries import class_guardian_users

FACTS = "三年级1班每天书面作业超过九十分钟,孩子常常写到晚上十点以后,睡眠不足。"


@pytest.fixture
def class_committee(cast):
    return bodies.committee_create(
        actor=cast.school_admin_liu, school=cast.school_a, level="class", school_class=cast.class_a1,
        name="三年级1班家长委员会",
    )  # fmt: skip


def test_the_class_committee_page_shows_the_class_s_filed_inquiry_and_its_clock(cast, client_for, class_committee):
    signers = class_guardian_users(cast.class_a1, 9, exclude={u.pk for u in cast.users.values()})
    inquiry = inquiries.inquiry_draft_create(
        actor=cast.parent_zhang, level="class", unit_id=cast.class_a1.pk, subject="homework", title="三年级作业太多",
        facts=FACTS, asked="请控制作业时间。",
    )  # fmt: skip
    for user in signers:
        inquiries.inquiry_sign(actor=user, inquiry=inquiry)
    url = reverse("committees:detail", args=[class_committee.pk])
    for persona in ("grandma_zhao", "school_admin_liu", "head_teacher_li", "county_admin_chen"):
        page = client_for(persona).get(url)
        assert page.status_code == 200 and "三年级作业太多" in page.content.decode(), persona
    for persona in ("parent_sun", "school_admin_wang", "head_teacher_wang"):
        assert client_for(persona).get(url).status_code == 404, persona
