"""Demo data: home visits (家访) and a 双减 meeting.

李娜's class (城厢小学 三年级1班): 刘小宇's grandmother visited at home with a follow-up still open (a call to his
parents in 东莞), 钱多多's grandmother (no phone) visited last week, so her family counts as reached in notices'
figures, 张小明's father met at school; 周杰's family is planned. 王敏 visited 孙浩's mother. Through the services.

Then about a third of the generated county's families get a visit this school year by their head teacher, as bulk
demo rows (no audit rows, no follow-ups), and every class's coverage is counted. One 双减家长会 at 城厢小学 last week
with its minutes, sent to the school's families.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from xieyu.accounts.models import Membership, Role
from xieyu.burden.models import HomeVisit
from xieyu.burden.visits import access, services
from xieyu.directory.models import Guardian, Student
from xieyu.events.models import Event
from xieyu.events.services import event_create

from .personas import Cast

SEED = 20261011
SHARE = 1 / 3
CHUNK = 2000
TOPICS = ["学习习惯与作业", "作息与睡眠", "手机使用", "亲子沟通", "安全教育", "课后服务需求"]


def _guardian(student: Student, name: str) -> list[Guardian]:
    return list(Guardian.objects.filter(guardianships__student=student, name=name))


@transaction.atomic
def seed_visits(cast: Cast) -> None:
    if HomeVisit.objects.filter(county=cast.county).exists():
        return
    today = timezone.localdate()
    year = access.school_year_of(today)
    start_of_year, _end = access.school_year_bounds(year)
    li, wang = cast.users["head_teacher_li"], cast.users["head_teacher_wang"]
    s = cast.students
    staff_a = access.staff_of_class(cast.class_a1)

    def day(n: int) -> datetime.date:
        return max(today - datetime.timedelta(days=n), start_of_year)

    services.visit_record(
        actor=li, student=s["liu_xiaoyu"], visited_on=day(12), place="home", visitors=[li],
        met=_guardian(s["liu_xiaoyu"], "赵秀英"), discussed="孩子的作业由奶奶看管,晚上九点半前睡觉;父母每周视频一次。",
        concerns="奶奶看不懂作业群里的通知,孩子最近有些想念父母。", allowed_staff=staff_a,
        follow_ups=[services.FollowUpIn(text="与孩子父母电话沟通,约定每周视频两次", owner=li, days=10)],
    )  # fmt: skip
    services.visit_record(
        actor=li, student=s["qian_duoduo"], visited_on=day(6), place="home", visitors=[li],
        met=_guardian(s["qian_duoduo"], "钱桂花"), discussed="外婆没有手机,通知由老师当面转达;孩子阅读习惯很好。",
        allowed_staff=staff_a,
    )  # fmt: skip
    services.visit_record(
        actor=li, student=s["zhang_xiaoming"], visited_on=day(20), place="school", visitors=[li],
        met=_guardian(s["zhang_xiaoming"], "张伟"), discussed="孩子周末玩手机较多,约定每天不超过半小时。",
        allowed_staff=staff_a,
    )  # fmt: skip
    if (planned := today + datetime.timedelta(days=5)) <= services.semester_of_end():
        services.visit_plan(actor=li, student=s["zhou_jie"], planned_on=planned)
    services.visit_record(
        actor=wang, student=s["sun_hao"], visited_on=day(15), place="phone_video", visitors=[wang],
        met=_guardian(s["sun_hao"], "孙丽"), discussed="初一适应情况良好,作业基本在九十分钟内完成。",
        allowed_staff=access.staff_of_class(cast.class_b1),
    )  # fmt: skip
    _seed_county(cast, today, start_of_year)
    services.coverage_refresh_county(county_id=cast.county.pk, year=year)
    _seed_meeting(cast, today)


def _seed_county(cast: Cast, today: datetime.date, start_of_year: datetime.date) -> None:
    rng = random.Random(SEED)
    cast_classes = {cast.class_a1.pk, cast.class_a2.pk, cast.class_b1.pk}
    heads = dict(
        Membership.objects.filter(role=Role.HEAD_TEACHER, is_active=True, school_class__school__county=cast.county)
        .exclude(school_class__in=cast_classes)
        .values_list("school_class_id", "user_id")
    )
    if not heads:
        return
    span = max((today - start_of_year).days, 1)
    rows = (
        Student.objects.filter(school_class__in=list(heads), status=Student.Status.ENROLLED)
        .values_list("pk", "school_id", "school_class_id")
        .order_by("pk")
    )
    visits: list[HomeVisit] = []
    users: list[int] = []
    for pk, school_id, class_id in rows.iterator(chunk_size=CHUNK):
        if rng.random() >= SHARE:
            continue
        visits.append(HomeVisit(
            county_id=cast.county.pk, school_id=school_id, school_class_id=class_id, student_id=pk,
            visited_on=start_of_year + datetime.timedelta(days=rng.randrange(span)),
            place=rng.choice(["home", "home", "school", "phone_video"]), discussed=rng.choice(TOPICS),
        ))  # fmt: skip
        users.append(heads[class_id])
    created = HomeVisit.objects.bulk_create(visits, batch_size=CHUNK)
    through = HomeVisit.visitors.through
    through.objects.bulk_create(
        [through(homevisit_id=v.pk, user_id=u) for v, u in zip(created, users, strict=True)], batch_size=CHUNK
    )


def _seed_meeting(cast: Cast, today: datetime.date) -> None:
    liu = cast.users["school_admin_liu"]
    start = timezone.make_aware(datetime.datetime.combine(today - datetime.timedelta(days=7), datetime.time(15, 0)))
    event = event_create(
        actor=liu, kind=Event.Kind.DOUBLE_REDUCTION_MEETING, title="城厢小学双减家长会", school=cast.school_a,
        audience=Event.Audience.SCHOOL, starts_at=start, ends_at=start + datetime.timedelta(hours=1, minutes=30),
        place="学校礼堂", description="通报本学期作业管理和课后服务安排,听取家长意见。", publish=True,
    )  # fmt: skip
    minutes = services.minutes_write(
        actor=liu, event=event,
        raised=["三年级周末作业偏多,有时超过一小时", "希望课后服务增加体育和阅读活动", "不希望家长批改作业"],
        changes=["各班每天公示书面作业总量,三至六年级不超过60分钟", "课后服务增设篮球、阅读两个社团",
                 "教师不再要求家长批改作业"],
    )  # fmt: skip
    services.minutes_publish(actor=liu, minutes=minutes)
