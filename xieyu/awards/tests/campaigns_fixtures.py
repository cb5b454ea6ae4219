"""The campaigns tests' fixtures: a 2026 模范家庭 campaign of 全南县 (primary and junior schools, 3 awards, a rubric of
家风建设 40 / 家校共育 30 / 示范作用 30) and helpers that walk it through its phases; a neighbouring county with its own
county admin (龙南市's 谢玲) to prove a county admin reaches only her own campaigns.

Test modules import these names (`from .campaigns_fixtures import *`), so the app's conftest stays free.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from xieyu.accounts.models import Role
from xieyu.accounts.services import membership_grant, user_create
from xieyu.awards.campaigns import services
from xieyu.awards.campaigns.models import Campaign, Nomination
from xieyu.directory.models import Region

STATEMENT = "这个家庭坚持亲子共读五年,积极参加家长学校活动,热心帮助班里的留守儿童。"
RUBRIC = (("家风建设", 40), ("家校共育", 30), ("示范作用", 30))


def campaign_fields(**over) -> services.CampaignFields:
    base = {"kind": "model_family", "nominee": "family", "title": "2026年全南县教育模范家庭评选",
            "description": "评选家风好、家校共育积极的家庭。", "school_kinds": ("primary", "junior"), "quota": 3,
            "rubric": RUBRIC, "publicity_days": 5}  # fmt: skip
    base.update(over)
    return services.CampaignFields(**base)


@pytest.fixture
def campaign(cast) -> Campaign:
    c = services.campaign_create(actor=cast.county_admin_chen, county=cast.county, fields=campaign_fields())
    return services.campaign_open(actor=cast.county_admin_chen, campaign=c)


@pytest.fixture
def other_county(cast):
    county = Region.objects.create(name="龙南市", level=Region.Level.COUNTY, code="360727", parent=cast.county.parent)
    admin = user_create(actor=None, phone="13800000091", name="谢玲")
    membership_grant(actor=None, user=admin, role=Role.COUNTY_ADMIN, unit=county)
    return county, admin


def nominate(cast, campaign, key: str, *, by="school", actor=None) -> Nomination:
    student = cast.students[key]
    if actor is None:
        actor = cast.school_admin_liu if student.school_id == cast.school_a.pk else cast.school_admin_wang
    return services.nomination_submit(actor=actor, campaign=campaign, by=by, nominee=student, statement=STATEMENT)


def advance(cast, campaign) -> Campaign:
    return services.campaign_advance(actor=cast.county_admin_chen, campaign=campaign)


def recommend_all(cast, campaign) -> None:
    for n in Nomination.objects.filter(campaign=campaign, status="submitted").select_related("school"):
        admin = cast.school_admin_liu if n.school_id == cast.school_a.pk else cast.school_admin_wang
        services.school_review(actor=admin, nomination=n, recommend=True, note="")


def score(cast, nomination, a, b, c, expert=None) -> None:
    services.score_submit(actor=expert or cast.expert_huang, nomination=nomination,
                          points={"家风建设": a, "家校共育": b, "示范作用": c})  # fmt: skip


def end_publicity(campaign) -> None:
    """The 公示's working days have passed."""
    Campaign.objects.filter(pk=campaign.pk).update(publicity_ends_at=timezone.now() - datetime.timedelta(minutes=1),
                                                   phase_ends_at=timezone.now() - datetime.timedelta(minutes=1))  # fmt: skip
    campaign.refresh_from_db()


@pytest.fixture
def in_publicity(cast, campaign):
    """Four families nominated (张小明, 刘小宇, 周杰 at 城厢小学; 孙浩 at 全南二中), all recommended, scored by 黄志华
    (张小明 90, 孙浩 85, 刘小宇 80, 周杰 70), all four shortlisted, and the 公示 begun: the top three are 张小明, 孙浩
    and 刘小宇."""
    noms = {k: nominate(cast, campaign, k) for k in ("zhang_xiaoming", "liu_xiaoyu", "zhou_jie", "sun_hao")}
    advance(cast, campaign)  # school review
    recommend_all(cast, campaign)
    advance(cast, campaign)  # county review
    for key, pts in {"zhang_xiaoming": (36, 27, 27), "sun_hao": (34, 26, 25), "liu_xiaoyu": (32, 24, 24),
                     "zhou_jie": (28, 21, 21)}.items():  # fmt: skip
        score(cast, noms[key], *pts)
    services.campaign_shortlist_by_score(actor=cast.county_admin_chen, campaign=campaign, count=4)
    advance(cast, campaign)  # 公示
    campaign.refresh_from_db()
    return campaign, {k: Nomination.objects.get(pk=n.pk) for k, n in noms.items()}
