"""The demo county's parent talent pool: six 城厢小学 parents who offer 书法, 体育, 科技, 非遗 … with consent, one more
without consent (the school never sees her), and two invitations to an after-school service session: one accepted
by a parent whose background check the school recorded first (placed as helper), one waiting for the check."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from xieyu.directory.models import Guardian, Guardianship, Student
from xieyu.events.models import Event
from xieyu.events.services import event_create
from xieyu.teams.members.services import background_check_record
from xieyu.teams.models import Skill
from xieyu.teams.talent.services import talent_invitation_answer, talent_invite_session, talent_profile_save

from .personas import Cast

# (skills, other skill, what she offers, times)
OFFERS = [
    (["书法"], "", "退休前在文化馆工作,可以教孩子们写毛笔字。", [(2, "afternoon"), (4, "afternoon")]),
    (["体育"], "跳绳", "县跳绳协会会员,可以带课后跳绳和踢毽子。", [(1, "afternoon"), (3, "afternoon")]),
    (["科技"], "无人机", "在电子厂做技术员,可以带孩子做简单的电路和航模。", [(3, "afternoon"), (5, "morning")]),
    (["非遗", "客家文化"], "", "会唱客家山歌,做过香火龙,可以讲客家民俗。", [(4, "afternoon"), (6, "morning")]),
    (["阅读推广"], "绘本讲读", "书店店员,喜欢给低年级孩子讲绘本。", [(0, "afternoon"), (2, "afternoon")]),
    (["艺术", "书法"], "剪纸", "会客家剪纸,可以带手工课。", [(1, "afternoon"), (5, "afternoon")]),
    (["体育"], "", "可以带篮球课(暂不愿公开)。", [(2, "evening")]),  # no consent: must never show to the school
]


def seed_teams_talent(cast: Cast) -> None:
    with transaction.atomic():
        _seed(cast)


def _parents(cast: Cast, n: int) -> list[Guardian]:
    """Guardians of 城厢小学 with an account (the bulk's joined parents), in a stable order, not the cast's."""
    cast_users = [u.pk for u in cast.users.values()]
    ids = (
        Guardianship.objects.filter(status=Guardianship.Status.CONFIRMED, student__school=cast.school_a,
                                    student__status=Student.Status.ENROLLED, guardian__user__isnull=False)
        .exclude(guardian__user__in=cast_users)
        .order_by("guardian_id")
        .values_list("guardian_id", flat=True)
        .distinct()[:n]
    )  # fmt: skip
    return list(Guardian.objects.filter(pk__in=list(ids)).select_related("user").order_by("pk"))


def _at(days: int, hour: int, minute: int = 0) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=timezone.get_current_timezone())


def _seed(cast: Cast) -> None:
    skills = {s.name: s for s in Skill.objects.filter(county=cast.county)}
    if not skills:
        return
    parents = _parents(cast, len(OFFERS))
    profiles = []
    for i, (guardian, (names, other, text, slots)) in enumerate(zip(parents, OFFERS, strict=False)):
        profiles.append(talent_profile_save(
            actor=guardian.user, guardian=guardian, school=cast.school_a, skills=[skills[n] for n in names if n in skills],
            other_skill=other, description=text, slots=slots, consent=i < 6,
        ))  # fmt: skip
    if len(profiles) < 2:
        return
    liu = cast.users["school_admin_liu"]
    calligraphy = event_create(
        actor=liu, kind=Event.Kind.AFTER_SCHOOL_SESSION, title="课后服务·书法兴趣课", starts_at=_at(9, 16, 30),
        ends_at=_at(9, 17, 30), audience=Event.Audience.SCHOOL, school=cast.school_a, place="城厢小学 书法教室",
        capacity=40, publish=True,
    )  # fmt: skip
    rope = event_create(
        actor=liu, kind=Event.Kind.AFTER_SCHOOL_SESSION, title="课后服务·花样跳绳", starts_at=_at(12, 16, 30),
        ends_at=_at(12, 17, 30), audience=Event.Audience.SCHOOL, school=cast.school_a, place="城厢小学 操场",
        capacity=60, publish=True,
    )  # fmt: skip
    today = timezone.localdate()
    first = profiles[0]
    background_check_record(actor=liu, user=first.guardian.user, checked_on=today - datetime.timedelta(days=20),
                            checking_unit="全南县公安局", reference="QN-2026-0318",
                            valid_until=today + datetime.timedelta(days=345))  # fmt: skip
    accepted = talent_invite_session(actor=liu, profile=first, event=calligraphy, note="请提前十分钟到书法教室。")
    talent_invitation_answer(actor=first.guardian.user, invitation=accepted, accept=True)  # placed as helper
    waiting = talent_invite_session(actor=liu, profile=profiles[1], event=rope, note="周二下午,带跳绳队。")
    talent_invitation_answer(actor=profiles[1].guardian.user, invitation=waiting, accept=True)  # awaiting check
