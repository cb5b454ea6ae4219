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
from xieyu.deadlines.models import Deadline, DeadlinePolicy
from xieyu.deadlines.services import deadline_prepare
from xieyu.deadlines.workcalendar import calendar_for, working_days_until
from xieyu.teams.members import services
from xieyu.teams.models import Availability, BackgroundCheck, Certificate, Member, Skill, Team

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
        _seed_more(cast)


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

    def member(
        team, user, skill_names, reach, *, languages="普通话、客家话", lapsed=False, leader=False, veteran=False
    ):
        start = (
            today.replace(month=9, day=1) if today.month >= 9 else today.replace(year=today.year - 1, month=9, day=1)
        )
        if veteran:  # the cast's members have served since two school years back
            start = start.replace(year=start.year - 2)
        m = Member.objects.create(
            team=team, user=user, status=Member.Status.APPROVED, is_leader=leader, languages=languages,
            introduction=f"{user.name},{team.get_kind_display()}成员。", term_start=start,
            term_end=start.replace(year=start.year + (4 if veteran else 2)) - datetime.timedelta(days=1), decided_by=chen,
            decided_at=timezone.now() - datetime.timedelta(days=90), identity_checked_at=timezone.now(),
            identity_checked_by=chen,
        )  # fmt: skip
        m.skills.set([skills[s] for s in skill_names])
        m.towns.set(reach)
        Availability.objects.bulk_create(
            [Availability(member=m, weekday=d, part=p) for d, p in _slots(rng)], ignore_conflicts=True
        )
        if veteran:  # checked every year, each time ten days before the last check lapsed
            for k in range(3):
                on = today - datetime.timedelta(days=720 - 355 * k)
                BackgroundCheck.objects.create(user=user, checked_on=on, checking_unit="全南县公安局",
                                               valid_until=on.replace(year=on.year + 1), attested_by=chen,
                                               reference=f"QNGA{on:%Y%m%d}{user.pk:04d}")  # fmt: skip
            return m
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
           towns, leader=True, veteran=True)  # fmt: skip
    member(teams[Team.Kind.ELDERS], cast.users["volunteer_zeng"], ["红色文化讲解", "客家文化", "书法"],
           [seat, cast.towns["龙下乡"], cast.towns["大吉山镇"]], leader=True, veteran=True)  # fmt: skip
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


# (given to whom, certificate, issuer, number prefix)
CERTIFICATES = [
    ("expert_huang", "家庭教育指导师", "江西省家庭教育研究会", "JXJJ"),
    ("expert_huang", "心理咨询师(二级)", "人力资源和社会保障部", "XL2"),
    ("counsellor_zhou", "心理咨询师(三级)", "人力资源和社会保障部", "XL3"),
]
LEFT_REASONS = ["随子女迁居外地,不再参与服务。", "工作调动到赣州市区,时间无法保证。"]


def _seed_more(cast: Cast) -> None:
    """What the coordinator's pages show beyond the base: experts' certificates, two applications waiting to be
    vetted, 城厢小学's own teacher team, two members who left, and two checks lapsing within 30 days."""
    rng = random.Random(SEED + 1)
    today = timezone.localdate()
    county, chen, liu = cast.county, cast.users["county_admin_chen"], cast.users["school_admin_liu"]
    teams = {t.kind: t for t in Team.objects.filter(county=county, school__isnull=True)}
    skills = {s.name: s for s in Skill.objects.filter(county=county)}
    seat = cast.towns[TOWNS[0]]

    experts = Member.objects.filter(team=teams[Team.Kind.EXPERT], status=Member.Status.APPROVED).select_related("user")
    by_user = {m.user_id: m for m in experts}
    certs = [
        Certificate(member=by_user[cast.users[key].pk], name=name, issuer=issuer,
                    number=f"{prefix}{2019 + i}{cast.users[key].pk:05d}", issued_on=today.replace(year=today.year - 4 + i),
                    expires_on=today.replace(year=today.year + 1 + i) if "心理" in name else None, added_by=chen)
        for i, (key, name, issuer, prefix) in enumerate(CERTIFICATES)
    ]  # fmt: skip
    bulk_experts = [
        m for m in experts if m.user_id not in {cast.users["expert_huang"].pk, cast.users["counsellor_zhou"].pk}
    ]
    for i, m in enumerate(bulk_experts[:6]):
        name = "家庭教育指导师" if i % 2 == 0 else "心理咨询师(三级)"
        certs.append(Certificate(member=m, name=name, issuer="江西省家庭教育研究会" if i % 2 == 0 else "人力资源和社会保障部",
                                 number=f"QN{today.year - 2}{m.pk:05d}", issued_on=today.replace(year=today.year - 2),
                                 added_by=chen))  # fmt: skip
    Certificate.objects.bulk_create(certs)

    # Two applications waiting: 李娜 (a head teacher of 城厢小学) to the county's teacher team, 孙丽 (a mother at
    # 全南二中) to the parent team.
    li, sun = cast.users["head_teacher_li"], cast.users["parent_sun"]
    services.member_apply(
        actor=li, team=teams[Team.Kind.TEACHER], skills=[skills["家庭教育指导师"], skills["阅读推广"]], towns=[seat],
        languages="普通话、客家话", availability=[(2, "afternoon"), (5, "morning")],
        introduction="城厢小学三年级1班班主任,从教十二年,做过多次家长会专题分享。",
        motivation="希望把班级家校沟通的经验带到更多学校。", references="城厢小学 刘芳 校长",
    )  # fmt: skip
    services.member_apply(
        actor=sun, team=teams[Team.Kind.PARENT], skills=[skills["阅读推广"]], towns=[seat],
        availability=[(5, "morning"), (6, "afternoon")], introduction="全南二中七年级家长,社区图书室志愿者。",
        motivation="想和其他家长一起组织亲子阅读。",
    )  # fmt: skip

    # 城厢小学's own teacher team: 何静 and two teachers of the school.
    school_team = services.team_create(
        actor=liu, county=county, school=cast.school_a, kind=Team.Kind.TEACHER, name="城厢小学教师支援服务队",
        description="本校教师进社区、进家庭开展家庭教育指导,参与课后服务。",
    )  # fmt: skip
    password = cast.users["teacher_he"].password
    teachers = [cast.users["teacher_he"]]
    for i, name in enumerate(["赖秋萍", "廖文军"]):
        user = User.objects.filter(phone=f"1360000{9001 + i}").first()
        if user is None:
            user = User.objects.create(phone=f"1360000{9001 + i}", name=name, password=password)
            Membership.objects.create(user=user, role=Role.TEACHER, school=cast.school_a)
        teachers.append(user)
    start = today - datetime.timedelta(days=60)
    for i, user in enumerate(teachers):
        m = Member.objects.create(
            team=school_team, user=user, status=Member.Status.APPROVED, is_leader=(i == 0), languages="普通话、客家话",
            introduction=f"{user.name},城厢小学教师。", term_start=start, term_end=start.replace(year=start.year + 2),
            decided_by=liu, decided_at=timezone.now() - datetime.timedelta(days=60), identity_checked_at=timezone.now(),
            identity_checked_by=liu,
        )  # fmt: skip
        m.skills.set([skills[n] for n in rng.sample(["书法", "体育", "阅读推广", "艺术", "科技"], 2)])
        m.towns.set([seat])
        Availability.objects.bulk_create([Availability(member=m, weekday=d, part="afternoon") for d in (1, 3)])
        if not BackgroundCheck.objects.filter(user=user).exists():
            checked = today - datetime.timedelta(days=50 + 10 * i)
            BackgroundCheck.objects.create(user=user, checked_on=checked, checking_unit="全南县公安局",
                                           valid_until=checked.replace(year=checked.year + 1), attested_by=liu)  # fmt: skip

    # Two members who left, and two whose check lapses within 30 days (neither of the cast, nor a lapsed one).
    cast_ids = {u.pk for u in cast.users.values()}
    bulk = list(
        Member.objects.filter(team__in=teams.values(), status=Member.Status.APPROVED, user__phone__startswith="1360000")
        .exclude(user__in=cast_ids)
        .filter(user__background_checks__valid_until__gte=today + datetime.timedelta(days=60))
        .order_by("pk")
    )
    for m, reason in zip([bulk[3], bulk[20]], LEFT_REASONS, strict=True):
        m.status, m.left_reason, m.left_at = Member.Status.LEFT, reason, timezone.now() - datetime.timedelta(days=40)
        m.save(update_fields=["status", "left_reason", "left_at"])
    for m, days in zip([bulk[8], bulk[15]], (12, 26), strict=True):
        valid = today + datetime.timedelta(days=days)
        BackgroundCheck.objects.filter(user=m.user_id).update(
            valid_until=valid, checked_on=valid - datetime.timedelta(days=365)
        )
    _seed_check_clocks(county)


def _seed_check_clocks(county) -> None:
    """Each person's latest check gets its clock on the deadline engine (teams.check_expiry), as recording it through
    the service would: inserted at once, without the STARTED events."""
    policy = DeadlinePolicy.objects.filter(name=services.CHECK_POLICY, is_active=True).first()
    if policy is None:
        return
    cal, now = calendar_for(county.pk), timezone.now()
    latest: dict[int, BackgroundCheck] = {}
    for check in BackgroundCheck.objects.select_related("user").order_by("user", "-valid_until", "-pk"):
        latest.setdefault(check.user_id, check)
    rows = []
    for check in latest.values():
        d = Deadline(
            target_type=services.CHECK_TARGET, target_id=str(check.pk), county_id=county.pk, owner_id=check.user_id,
            policy=policy, started_at=now,
            title=f"{check.user.name} 的入职查询 {check.valid_until.isoformat()} 到期",
            targets=policy.targets((working_days_until(county.pk, services.renew_by(check)), "days")),
        )  # fmt: skip
        rows.append(deadline_prepare(d, cal, now))
    Deadline.objects.bulk_create(rows, ignore_conflicts=True)
