"""Helpers of the cases tests: 刘小宇's case as the demo tells it, and the neighbours who must not see it."""

from __future__ import annotations

import pytest
from django.db import transaction

from xieyu.accounts.models import Role
from xieyu.accounts.services import membership_grant, user_create
from xieyu.care.cases import services
from xieyu.care.models import Case, Section
from xieyu.directory.models import PartnerAgency, Region

FAMILY_SUPPORT = "奶奶赵秀英腿脚不便,希望每月有人上门指导辅导作业的方法。"
ASSESSMENT = "孩子情绪低落,与外出务工的父母联系少。"
CONFLICT = "父母电话里争吵离婚,孩子听到后哭了一晚。"


@pytest.fixture
def neighbours(cast):
    """Another county with its counsellor and its 妇联 partner (each must get 404 on 全南县's cases)."""
    other = Region.objects.create(name="龙南县", level=Region.Level.COUNTY, code="360727", parent=cast.county.parent)
    agency = PartnerAgency.objects.create(county=other, name="龙南县妇联", kind=PartnerAgency.Kind.WOMEN_FEDERATION)
    counsellor = user_create(actor=None, phone="13800009001", name="邓丽", password="x")
    partner = user_create(actor=None, phone="13800009002", name="许萍", password="x")
    membership_grant(actor=None, user=counsellor, role=Role.COUNSELLOR, unit=other)
    membership_grant(actor=None, user=partner, role=Role.PARTNER, unit=agency)
    cast.users["counsellor_other_county"] = counsellor
    cast.users["partner_other_county"] = partner
    return cast


@pytest.fixture
def third_counsellor(cast):
    """A counsellor of 全南县 who is on no case (she breaks the glass)."""
    user = user_create(actor=None, phone="13800009003", name="孔燕", password="x")
    membership_grant(actor=None, user=user, role=Role.COUNSELLOR, unit=cast.county)
    cast.users["counsellor_kong"] = user
    return user


def open_case(cast, **kw) -> Case:
    defaults = dict(
        actor=cast.counsellor_zhou, student=cast.students["liu_xiaoyu"], origin=Case.Origin.HEAD_TEACHER,
        title="刘小宇的关爱个案", owner=cast.counsellor_zhou, supervisor=cast.supervisor_zhong, risk=Case.Risk.MEDIUM,
    )  # fmt: skip
    defaults.update(kw)
    with transaction.atomic():
        return services.case_open(**defaults)


@pytest.fixture
def liu_case(cast):
    """刘小宇's case with a family-support, an assessment and a sensitive family-conflict section, and an action asked
    of his head teacher 李娜."""
    case = open_case(cast)
    zhou = cast.counsellor_zhou
    services.case_section_write(actor=zhou, case=case, section=Section.FAMILY_SUPPORT, body=FAMILY_SUPPORT)
    services.case_section_write(actor=zhou, case=case, section=Section.ASSESSMENT, body=ASSESSMENT)
    services.case_section_write(actor=zhou, case=case, section=Section.FAMILY_CONFLICT, body=CONFLICT)
    services.action_ask(actor=zhou, case=case, assignee=cast.head_teacher_li, text="请留意他课间是否一个人待着")
    return case
