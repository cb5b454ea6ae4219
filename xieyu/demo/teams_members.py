"""The demo county's guidance center: the county skill list, the four teams, and their members — the cast's 黄志华
(expert team) and 曾德福 ("five elders" team) among forty-odd others — each with skills, the towns they reach, weekly
availability and a background check (入职查询). A few checks have lapsed or lapse soon, so the coordinator's page and
the dispatch rule have something to show."""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from xieyu.accounts.models import Membership, Role, User
from xieyu.teams.models import Availability, BackgroundCheck, Member, Skill, Team

from .personas import TOWNS, Cast

SEED = 12
SKILLS = [
    "心理", "特殊教育", "康复", "生涯规划", "法律", "家庭教育指导师", "书法", "体育", "非遗",
    "红色文化讲解", "客家文化", "阅读推广", "科技", "艺术", "安全教育", "劳动教育",
]  # fmt: skip
TEAMS = {
    Team.Kind.EXPERT: ("全南县家庭教育专家引导团", "心理、康复、生涯规划、法律等方面的专家,开展讲座、义诊和个案指导。"),
    Team.Kind.TEACHER: ("全南县教师支援服务团", "骨干教师和班主任,进社区、进家庭开展家庭教育指导和课后服务。"),
    Team.Kind.ELDERS: (
        "全南县“五老”关爱团",
        "老干部、老战士、老专家、老教师、老模范,关爱留守儿童,讲红色故事和家风家训。",
    ),
    Team.Kind.PARENT: ("全南县家长互助示范团", "热心家长互帮互助,分享家庭教育经验,参与课后服务和志愿活动。"),
}
# (team, how many, role held, the skills drawn from, given names' generation)
BULK = [
    (Team.Kind.EXPERT, 11, Role.EXPERT, ["心理", "特殊教育", "康复", "生涯规划", "法律", "家庭教育指导师"]),
    (Team.Kind.TEACHER, 10, Role.VOLUNTEER, ["家庭教育指导师", "书法", "体育", "阅读推广", "科技", "艺术"]),
    (Team.Kind.ELDERS, 14, Role.VOLUNTEER, ["红色文化讲解", "客家文化", "书法", "非遗", "安全教育", "劳动教育"]),
    (Team.Kind.PARENT, 9, Role.VOLUNTEER, ["阅读推广", "体育", "艺术", "科技", "劳动教育", "安全教育"]),
]
SURNAMES = "钟刘陈黄李曾赖廖谢罗叶朱何邱温张王吴"
GIVEN = "德福文华国明秀英建平志强春兰桂芳玉珍振兴永红金生水清海"


def seed_teams_members(cast: Cast) -> None:
    with transaction.atomic():
        _seed(cast)


def _seed(cast: Cast) -> None:
    rng = random.Random(SEED)
    today = timezone.localdate()
    county = cast.county
    chen = cast.users["county_admin_chen"]
    skills = {name: Skill.objects.create(county=county, name=name, order=i) for i, name in enumerate(SKILLS)}
    teams = {
        kind: Team.objects.create(county=county, kind=kind, name=name, description=text)
        for kind, (name, text) in TEAMS.items()
    }
    towns = list(cast.towns.values())
    seat = cast.towns[TOWNS[0]]
    password = cast.users["volunteer_zeng"].password  # the demo password's hash
    taken = set(User.objects.filter(phone__startswith="1360").values_list("phone", flat=True))

    def member(team, user, skill_names, reach, *, languages="普通话、客家话", lapsed=False, leader=False):
        start = (
            today.replace(month=9, day=1) if today.month >= 9 else today.replace(year=today.year - 1, month=9, day=1)
        )
        m = Member.objects.create(
            team=team, user=user, status=Member.Status.APPROVED, is_leader=leader, languages=languages,
            introduction=f"{user.name},{team.get_kind_display()}成员。", term_start=start,
            term_end=start.replace(year=start.year + 2) - datetime.timedelta(days=1), decided_by=chen,
            decided_at=timezone.now() - datetime.timedelta(days=90), identity_checked_at=timezone.now(),
            identity_checked_by=chen,
        )  # fmt: skip
        m.skills.set([skills[s] for s in skill_names])
        m.towns.set(reach)
        Availability.objects.bulk_create(
            [Availability(member=m, weekday=d, part=p) for d, p in _slots(rng)], ignore_conflicts=True
        )
        checked = today - datetime.timedelta(days=rng.randint(30, 300))
        valid = (
            today - datetime.timedelta(days=rng.randint(5, 40)) if lapsed else checked.replace(year=checked.year + 1)
        )
        if lapsed:
            checked = valid.replace(year=valid.year - 1)
        BackgroundCheck.objects.get_or_create(
            user=user,
            defaults={"checked_on": checked, "checking_unit": "全南县公安局", "valid_until": valid,
                      "reference": f"QNGA{checked:%Y%m%d}{user.pk:04d}", "attested_by": chen},
        )  # fmt: skip
        return m

    member(teams[Team.Kind.EXPERT], cast.users["expert_huang"], ["心理", "家庭教育指导师", "生涯规划"],
           towns, leader=True)  # fmt: skip
    member(teams[Team.Kind.ELDERS], cast.users["volunteer_zeng"], ["红色文化讲解", "客家文化", "书法"],
           [seat, cast.towns["龙下乡"], cast.towns["大吉山镇"]], leader=True)  # fmt: skip
    member(teams[Team.Kind.EXPERT], cast.users["counsellor_zhou"], ["心理", "特殊教育"], [seat])

    n = 0
    for kind, count, role, pool in BULK:
        for i in range(count):
            n += 1
            phone = f"1360000{n:04d}"
            if phone in taken:
                continue
            name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, 2))
            user = User.objects.create(phone=phone, name=name, password=password)
            Membership.objects.create(user=user, role=role, county=county)
            reach = [seat, *rng.sample(towns, rng.randint(0, 3))]
            member(teams[kind], user, rng.sample(pool, rng.randint(1, 3)), set(reach), lapsed=(i % 6 == 5))


def _slots(rng: random.Random) -> list[tuple[int, str]]:
    parts = [Availability.Part.MORNING, Availability.Part.AFTERNOON, Availability.Part.EVENING]
    return [(d, rng.choice(parts)) for d in rng.sample(range(7), rng.randint(2, 4))]
