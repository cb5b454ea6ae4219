"""Helpers of the registry tests: a neighbouring county with its own 妇联 partner, and 刘小宇 proposed or
registered."""

from __future__ import annotations

import datetime

from xieyu.accounts.models import Role
from xieyu.accounts.services import membership_grant, user_create
from xieyu.care.registry import services
from xieyu.directory.models import PartnerAgency, Region

AWAY = {"category": "left_behind_both", "source": "school_survey", "detail": "父母在广东省东莞市务工"}


def other_county_partner():
    """吴小红, a 妇联 partner of the neighbouring 龙南市 (not the cast's county)."""
    county = Region.objects.create(name="龙南市", level=Region.Level.COUNTY, code="360727")
    agency = PartnerAgency.objects.create(county=county, name="龙南市妇联", kind=PartnerAgency.Kind.WOMEN_FEDERATION)
    user = user_create(actor=None, phone="13800009061", name="吴小红", password="Demo2026xy")
    membership_grant(actor=None, user=user, role=Role.PARTNER, unit=agency)
    return user


def propose_liu(cast, **kw):
    student = cast.students["liu_xiaoyu"]
    return services.entry_propose(
        actor=cast.head_teacher_li, student=student, categories=kw.pop("categories", [AWAY]),
        carer=kw.pop("carer", {"carer_name": "赵秀英", "carer_relationship": "奶奶", "carer_type": "grandparent",
                                "carer_phone": "13800000032", "carer_source": "school_survey",
                                "carer_noted_on": datetime.date(2025, 9, 1)}),
        village="龙下乡雅溪村", **kw,
    )  # fmt: skip


def register_liu(cast, **kw):
    entry = propose_liu(cast, **kw)
    return services.entry_confirm(actor=cast.school_admin_liu, entry=entry)
