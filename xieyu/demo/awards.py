"""The demo county's selection campaigns:

- 2026年全南县教育模范家庭评选, finished: families nominated by both schools (the cast's among them) and one by 张伟
  himself, recommended by their schools, scored by 黄志华, five shortlisted for three awards; in the 公示 孙丽's
  objection to 周杰家庭 was upheld and removed it, so 李果果家庭 got in, and an objection to 张小明家庭 was dismissed;
  the result stands with numbered certificates.
- 2026年全南县优秀家长评选, open (expert score 70%, public vote 30%), in its vote phase with five shortlisted parents
  (张伟 not among them), so 张伟's family can vote.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from xieyu.awards.campaigns import services
from xieyu.awards.campaigns.models import Campaign, Nomination
from xieyu.directory.models import Guardian

from .personas import Cast

FAMILY_TITLE = "2026年全南县教育模范家庭评选"
PARENT_TITLE = "2026年全南县优秀家长评选"
STATEMENT = ("{name}坚持每天亲子共读,积极参加家长学校和家长委员会活动,家风和睦,孝老爱亲,"
             "在班级和社区里热心帮助其他家庭,带动身边的家长重视家庭教育。")  # fmt: skip
OBJECTION_UPHELD = ("我是同班家长。2026年5月该家庭的家长多次在班级群里辱骂其他家长和老师,班主任和多名家长可以作证,"
                    "与模范家庭的标准不符。")  # fmt: skip
OBJECTION_DISMISSED = "听说这个家庭的事迹材料是别人帮忙写的,不一定真实,希望县里核实一下。"

# key: (nominated by, points on 家风建设 40 / 家校共育 30 / 示范作用 30)
FAMILIES = {
    "zhang_xiaoming": ("self", (37, 28, 27)),  # 92
    "sun_hao": ("school", (35, 27, 26)),  # 88
    "zhou_jie": ("school", (34, 26, 25)),  # 85: removed after the upheld objection
    "li_guoguo": ("school", (33, 25, 24)),  # 82: got in
    "liu_xiaoyu": ("school", (31, 24, 23)),  # 78
    "qian_duoduo": ("school", (28, 21, 20)),  # 69: not shortlisted
}
# guardian phone or name: points on 家庭教育理念 40 / 家校共育参与 30 / 示范带动 30
PARENTS = {
    "13800000032": (36, 27, 26),  # 赵秀英
    "13800000041": (35, 26, 26),  # 孙丽
    "13800000012": (34, 27, 24),  # 李娜
    "13800001034": (32, 25, 24),  # 周强
    "钱桂花": (31, 24, 23),
    "13800001032": (25, 18, 18),  # 刘军: not shortlisted
}


def seed_awards(cast: Cast) -> None:
    with transaction.atomic():
        if Campaign.objects.filter(county=cast.county).exists():
            return
        _model_families(cast)
        _excellent_parents(cast)


def _admin_of(cast: Cast, student):
    return cast.users["school_admin_liu"] if student.school_id == cast.school_a.pk else cast.users["school_admin_wang"]


def _to_county_review(cast: Cast, campaign: Campaign) -> Campaign:
    chen = cast.users["county_admin_chen"]
    campaign = services.campaign_advance(actor=chen, campaign=campaign)  # school review
    for n in Nomination.objects.filter(campaign=campaign, status="submitted").select_related("school").order_by("pk"):
        admin = cast.users["school_admin_liu"] if n.school_id == cast.school_a.pk else cast.users["school_admin_wang"]
        services.school_review(actor=admin, nomination=n, recommend=True, note="事迹属实,同意推荐。")
    return services.campaign_advance(actor=chen, campaign=campaign)  # county review


def _model_families(cast: Cast) -> None:
    chen, huang = cast.users["county_admin_chen"], cast.users["expert_huang"]
    fields = services.CampaignFields(
        kind="model_family", nominee="family", title=FAMILY_TITLE, quota=3, school_kinds=("primary", "junior"),
        description="评选家风好、重视家庭教育、积极参与家校社协同育人的家庭,发挥示范带动作用。",
        rubric=(("家风建设", 40), ("家校共育", 30), ("示范作用", 30)), publicity_days=5,
    )  # fmt: skip
    campaign = services.campaign_create(actor=chen, county=cast.county, fields=fields)
    campaign = services.campaign_open(actor=chen, campaign=campaign)
    noms = {}
    for key, (by, _points) in FAMILIES.items():
        student = cast.students[key]
        actor = cast.users["parent_zhang"] if by == "self" else _admin_of(cast, student)
        noms[key] = services.nomination_submit(actor=actor, campaign=campaign, by=by, nominee=student,
                                               statement=STATEMENT.format(name=f"{student.name}的家长"))  # fmt: skip
    campaign = _to_county_review(cast, campaign)
    for key, (_by, (a, b, c)) in FAMILIES.items():
        services.score_submit(actor=huang, nomination=noms[key], points={"家风建设": a, "家校共育": b, "示范作用": c},
                              note="材料翔实。")  # fmt: skip
    services.campaign_shortlist_by_score(actor=chen, campaign=campaign, count=5)
    campaign = services.campaign_advance(actor=chen, campaign=campaign)  # 公示
    sun = cast.users["parent_sun"]
    upheld = services.objection_submit(actor=sun, nomination=noms["zhou_jie"], real_name="孙丽", phone="13800000041",
                                       facts=OBJECTION_UPHELD)  # fmt: skip
    dismissed = services.objection_submit(actor=cast.users["grandma_zhao"], nomination=noms["zhang_xiaoming"],
                                          real_name="赵秀英", phone="13800000032", facts=OBJECTION_DISMISSED)  # fmt: skip
    services.objection_decide(actor=chen, objection=upheld, upheld=True, action="remove",
                              reason="经向班主任和家长核实,反映情况属实,取消该家庭的入选资格。")  # fmt: skip
    services.objection_decide(actor=chen, objection=dismissed, upheld=False,
                              reason="经核实,事迹材料由家长本人撰写,学校已逐项核对,反映情况不属实。")  # fmt: skip
    # The 公示 ran its five working days three weeks ago; the result stands.
    now = timezone.now()
    Campaign.objects.filter(pk=campaign.pk).update(
        phase_ends_at=now - datetime.timedelta(days=21), publicity_ends_at=now - datetime.timedelta(days=21),
        publicity_starts_at=now - datetime.timedelta(days=28),
    )  # fmt: skip
    campaign.refresh_from_db()
    services.campaign_advance(actor=chen, campaign=campaign)
    Campaign.objects.filter(pk=campaign.pk).update(result_at=now - datetime.timedelta(days=20))


def _guardian(key: str) -> Guardian:
    if key.isdigit():
        return Guardian.objects.get(phone=key)
    return Guardian.objects.get(name=key, phone__isnull=True)


def _excellent_parents(cast: Cast) -> None:
    chen, huang = cast.users["county_admin_chen"], cast.users["expert_huang"]
    fields = services.CampaignFields(
        kind="excellent_parent", nominee="guardian", title=PARENT_TITLE, quota=3, school_kinds=("primary", "junior"),
        description="评选重视家庭教育、积极参与家校共育、在家长中起示范带动作用的优秀家长。专家评分占70%,公众投票占30%,"
                    "每个家庭一票。",
        rubric=(("家庭教育理念", 40), ("家校共育参与", 30), ("示范带动", 30)), has_vote=True, expert_weight=70,
        vote_weight=30, publicity_days=5, vote_days=5,
    )  # fmt: skip
    campaign = services.campaign_create(actor=chen, county=cast.county, fields=fields)
    campaign = services.campaign_open(actor=chen, campaign=campaign)
    noms = []
    for key, points in PARENTS.items():
        guardian = _guardian(key)
        school = services.access.school_of_guardian(guardian, campaign)
        admin = cast.users["school_admin_liu"] if school and school.pk == cast.school_a.pk else cast.users["school_admin_wang"]
        n = services.nomination_submit(actor=admin, campaign=campaign, by="school", nominee=guardian,
                                       statement=STATEMENT.format(name=guardian.name))  # fmt: skip
        noms.append((n, points))
    campaign = _to_county_review(cast, campaign)
    for n, (a, b, c) in noms:
        services.score_submit(actor=huang, nomination=n, points={"家庭教育理念": a, "家校共育参与": b, "示范带动": c})
    services.campaign_shortlist_by_score(actor=chen, campaign=campaign, count=5)
    services.campaign_advance(actor=chen, campaign=campaign)  # the vote
