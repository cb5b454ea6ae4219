"""The demo county's dispatch: a year of needs and assignments — county lectures, school lectures, clinics,
after-school sessions — spread over the approved, cleared members seeded by teams_members.py, most in the past
(accepted, their events in the past), some coming; 城厢小学's open need for a 家风 lecture two weeks ahead (曾德福 is
proposed for it), and one invitation awaiting 黄志华's answer.

The past year's rows are bulk-created (hundreds); the handful the story needs go through the services."""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from xieyu.directory.models import School
from xieyu.events.models import Event, Staff
from xieyu.teams.dispatch import services
from xieyu.teams.dispatch.services import EVENT_KIND, STAFF_ROLE
from xieyu.teams.models import Assignment, BackgroundCheck, Member, Need, Skill

from .personas import Cast

SEED = 13
PAST_NEEDS = 160
COMING_NEEDS = 12
# (kind, topics, the skills drawn from)
KINDS = [
    (Need.Kind.LECTURE, ["家风家训讲座", "红色故事进校园", "亲子沟通讲座", "青春期家庭教育讲座", "客家文化里的家教"],
     ["家庭教育指导师", "红色文化讲解", "客家文化", "心理"]),
    (Need.Kind.CLINIC, ["家庭教育义诊", "心理健康义诊", "升学规划咨询"], ["心理", "生涯规划", "家庭教育指导师"]),
    (Need.Kind.AFTER_SCHOOL, ["课后服务·书法", "课后服务·体育", "课后服务·阅读", "课后服务·科技"],
     ["书法", "体育", "阅读推广", "科技"]),
]  # fmt: skip


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def seed_teams_dispatch(cast: Cast) -> None:
    with transaction.atomic():
        _seed(cast)


def _seed(cast: Cast) -> None:
    rng = random.Random(SEED)
    today = timezone.localdate()
    county = cast.county
    chen, liu = cast.users["county_admin_chen"], cast.users["school_admin_liu"]
    skills = {s.name: s for s in Skill.objects.filter(county=county)}
    if not skills:
        return
    cleared = BackgroundCheck.objects.filter(valid_until__gte=today).values("user")
    members = list(
        Member.objects.filter(team__county=county, status=Member.Status.APPROVED, user__in=cleared)
        .prefetch_related("skills")
        .order_by("pk")
    )
    schools = list(School.objects.filter(county=county).order_by("pk")[:20])
    _bulk_history(rng, cast, members, schools, skills, today)

    # The story: 城厢小学's open 家风 lecture two weeks ahead (曾德福 is proposed), and an invitation to 黄志华.
    day = today + datetime.timedelta(days=14)
    services.need_create(
        actor=liu, kind=Need.Kind.LECTURE, topic="家风家训讲座:客家围屋里的好家风", starts_at=_at(day, 15),
        ends_at=_at(day, 16) + datetime.timedelta(minutes=30), place="城厢小学报告厅", county=county,
        school=cast.school_a, skills=[skills["红色文化讲解"], skills["客家文化"]], people=1,
        description="面向全校家长,结合客家围屋家训讲好家风故事。",
    )  # fmt: skip
    clinic_day = today + datetime.timedelta(days=10)
    clinic = services.need_create(
        actor=chen, kind=Need.Kind.CLINIC, topic="城厢镇家庭教育义诊", starts_at=_at(clinic_day, 9),
        ends_at=_at(clinic_day, 11) + datetime.timedelta(minutes=30), place="县家庭教育指导中心", county=county,
        skills=[skills["心理"], skills["家庭教育指导师"]], people=2, town=cast.towns.get("城厢镇"),
    )  # fmt: skip
    huang = Member.objects.filter(user=cast.users["expert_huang"], status=Member.Status.APPROVED).first()
    if huang is not None:
        services.assignment_invite(actor=chen, need=clinic, members=[huang])


def _bulk_history(rng, cast, members, schools, skills, today) -> None:
    """A year of needs (most past, accepted; some coming), with their events and staff, in a few bulk inserts."""
    if not members or not schools:
        return
    county = cast.county
    chen = cast.users["county_admin_chen"]
    admins = {cast.school_a.pk: cast.users["school_admin_liu"], cast.school_b.pk: cast.users["school_admin_wang"]}
    # 曾德福's and 黄志华's coming weeks stay free for the story's lecture and clinic.
    story = {cast.users["volunteer_zeng"].pk, cast.users["expert_huang"].pk}
    busy: set[tuple[int, datetime.date, int]] = set()
    checks = {c.user_id: c for c in BackgroundCheck.objects.filter(user__in=[m.user_id for m in members])
              .order_by("user", "valid_until")}  # fmt: skip

    def eligible(m: Member, day: datetime.date) -> bool:
        c = checks.get(m.user_id)
        return (c is not None and c.checked_on <= day <= c.valid_until and (m.term_start is None or m.term_start <= day)
                and (m.term_end is None or day <= m.term_end))  # fmt: skip

    # History starts when the first member could work: no one is dispatched before their term and check.
    starts = [max(m.term_start or today, checks[m.user_id].checked_on) for m in members if m.user_id in checks]
    history_days = max(7, min(360, (today - min(starts, default=today)).days))
    by_skill: dict[int, list[Member]] = {}
    for m in members:
        for s in m.skills.all():
            by_skill.setdefault(s.pk, []).append(m)
    plans = []
    for i in range(PAST_NEEDS + COMING_NEEDS):
        kind, topics, pool = rng.choice(KINDS)
        offset = -rng.randint(2, history_days) if i < PAST_NEEDS else rng.randint(3, 40)
        day = today + datetime.timedelta(days=offset)
        hour = rng.choice([9, 14, 15, 16, 19])
        school = None if kind == Need.Kind.CLINIC or rng.random() < 0.2 else rng.choice(schools)
        wanted = [skills[n] for n in rng.sample(pool, rng.randint(1, 2)) if n in skills]
        candidates = sorted(
            (m for m in {m.pk: m for s in wanted for m in by_skill.get(s.pk, [])}.values()
             if (m.user_id, day, hour) not in busy and (offset < 0 or m.user_id not in story) and eligible(m, day)),
            key=lambda m: m.pk,
        )  # fmt: skip
        if not candidates:
            continue
        people = rng.choice([1, 1, 1, 2])
        chosen = rng.sample(candidates, min(people, len(candidates)))
        busy.update((m.user_id, day, hour) for m in chosen)
        plans.append((kind, rng.choice(topics), day, hour, school, wanted, people, chosen, offset < 0))
    events = Event.objects.bulk_create([
        Event(kind=EVENT_KIND[kind], title=topic, organiser="school" if school else "county", county=county,
              school=school, audience="school" if school else "county", place=(school.name if school else "县家庭教育指导中心"),
              starts_at=_at(day, hour), ends_at=_at(day, hour + 1) + datetime.timedelta(minutes=30),
              status=Event.Status.PUBLISHED, created_by=admins.get(school.pk, chen) if school else chen)
        for kind, topic, day, hour, school, *_rest in plans
    ])  # fmt: skip
    needs = Need.objects.bulk_create([
        Need(county=county, school=school, kind=kind, topic=topic, starts_at=e.starts_at, ends_at=e.ends_at,
             place=e.place, town=school.town if school else None, people=people, event=e,
             status=Need.Status.FILLED if (past or len(chosen) >= people) else Need.Status.OPEN,
             posted_by=e.created_by, created_at=e.starts_at - datetime.timedelta(days=14))
        for (kind, topic, day, hour, school, wanted, people, chosen, past), e in zip(plans, events, strict=True)
    ])  # fmt: skip
    Need.skills.through.objects.bulk_create([
        Need.skills.through(need_id=n.pk, skill_id=s.pk) for n, plan in zip(needs, plans, strict=True) for s in plan[5]
    ])  # fmt: skip
    assignments, staff = [], []
    for n, plan in zip(needs, plans, strict=True):
        kind, chosen, past = plan[0], plan[7], plan[8]
        for m in chosen:
            accepted = past or rng.random() < 0.6
            assignments.append(Assignment(
                need=n, member=m, status=Assignment.Status.ACCEPTED if accepted else Assignment.Status.INVITED,
                starts_at=n.starts_at, ends_at=n.ends_at, invited_by=n.posted_by,
                invited_at=n.created_at, answered_at=n.created_at + datetime.timedelta(days=1) if accepted else None,
            ))  # fmt: skip
    Assignment.objects.bulk_create(assignments)
    for a in assignments:
        if a.status == Assignment.Status.ACCEPTED:
            staff.append(Staff(event=a.need.event, user_id=a.member.user_id, role=STAFF_ROLE[Need.Kind(a.need.kind)],
                               source=f"teams.assignment:{a.pk}", added_by=a.need.posted_by))  # fmt: skip
    Staff.objects.bulk_create(staff, ignore_conflicts=True)
    # Filled coming needs whose invitations are still open stay open.
    open_ids = [a.need_id for a in assignments if a.status == Assignment.Status.INVITED]
    Need.objects.filter(pk__in=open_ids).update(status=Need.Status.OPEN)
