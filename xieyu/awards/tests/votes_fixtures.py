"""Campaigns with a public vote for the votes tests, written with the ORM (the campaigns' own services are another
subdomain's): the county's 优秀家长 campaign in its vote phase with four shortlisted nominees, and helpers."""

from __future__ import annotations

import datetime

from django.utils import timezone

from xieyu.awards.models import Campaign, Nomination

NOMINEES = [
    ("孙丽", "坚持每天陪孩子阅读半小时,带动班级家长成立读书会。"),
    ("赵秀英", "独自照料留守孙子,每周与在外务工的儿子视频沟通孩子的学习。"),
    ("周强", "组织家长志愿者护学岗,风雨无阻三年。"),
    ("钱桂花", "不识字也坚持送孩子上学,积极参加家长学校。"),
]


def vote_campaign(cast, *, county=None, title="2026年度全南县优秀家长评选", kinds=None, phase=Campaign.Phase.VOTE,
                  starts=None, ends=None, nominees=NOMINEES) -> Campaign:  # fmt: skip
    now = timezone.now()
    campaign = Campaign.objects.create(
        county=county or cast.county, kind=Campaign.Kind.EXCELLENT_PARENT, nominee=Campaign.Nominee.GUARDIAN,
        title=title, description="表彰在家庭教育中做出表率的家长。", school_kinds=kinds or [], quota=2,
        has_vote=True, expert_weight=70, vote_weight=30, phase=phase, phase_started_at=now - datetime.timedelta(days=1),
        vote_starts_at=starts or now - datetime.timedelta(days=1), vote_ends_at=ends or now + datetime.timedelta(days=6),
        created_by=cast.county_admin_chen,
    )  # fmt: skip
    for name, deeds in nominees:
        Nomination.objects.create(
            campaign=campaign, by=Nomination.By.SCHOOL, nominated_by=cast.school_admin_liu, display_name=name,
            school=cast.school_a, statement=deeds, status=Nomination.Status.SHORTLISTED,
        )  # fmt: skip
    Nomination.objects.create(
        campaign=campaign, by=Nomination.By.SELF, nominated_by=cast.parent_sun, display_name="未入围的家长",
        school=cast.school_b, statement="……", status=Nomination.Status.COUNTY_REJECTED,
    )  # fmt: skip
    return campaign


def shortlist(campaign) -> list[Nomination]:
    return list(campaign.nominations.filter(status=Nomination.Status.SHORTLISTED).order_by("pk"))


def end_vote(campaign) -> None:
    """The vote's window passed (the campaign moves on to 公示)."""
    Campaign.objects.filter(pk=campaign.pk).update(
        vote_ends_at=timezone.now() - datetime.timedelta(minutes=1), phase=Campaign.Phase.PUBLICITY
    )
    campaign.refresh_from_db()


def huang_li(cast):
    """张伟's wife 黄丽, on the roster as 张小明's mother, given an account (bound to her guardian record)."""
    from xieyu.accounts.services import user_create
    from xieyu.demo.personas import DEMO_PASSWORD
    from xieyu.directory.models import Guardian

    user = user_create(actor=None, phone="13800001031", name="黄丽", password=DEMO_PASSWORD)
    Guardian.objects.filter(phone="13800001031").update(user=user)
    return user


def far_guardian(cast):
    """A guardian of a child at a primary school of the neighbouring county 龙南市 (a neighbour of 张伟's)."""
    import datetime

    from xieyu.accounts.services import user_create
    from xieyu.directory.models import Region, School
    from xieyu.directory.services import (
        class_create,
        guardian_for_phone,
        guardianship_add,
        school_create,
        student_create,
    )

    far = Region.objects.create(name="龙南市", level=Region.Level.COUNTY, code="360727", parent=cast.county.parent)
    school = school_create(actor=None, county=far, name="龙南小学", kind=School.Kind.PRIMARY, code="3607270101")
    klass = class_create(actor=None, grade=school.grades.get(level=3), name="1班")
    kid = student_create(actor=None, school_class=klass, name="外县孩子", gender="F",
                         birth_date=datetime.date(2017, 1, 1), student_number="")  # fmt: skip
    g = guardian_for_phone(name="外县家长", phone="13900009999")
    guardianship_add(actor=None, student=kid, guardian=g, relationship="mother", status="confirmed")
    g.user = user_create(actor=None, phone="13900009999", name="外县家长")
    g.save(update_fields=["user"])
    return g.user
