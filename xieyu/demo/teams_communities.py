"""The demo county's communities: facilities of 城南社区, 雅溪村 and 大吉山社区; six activities for children over the
coming month (城南社区's for the families of 城厢镇's schools — 张伟's among them); a few past ones with families who
came; and this school year's 进社区 / 进学校 visits between 城厢小学, 全南二中 and 城南社区."""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from xieyu.directory.models import Guardianship, Student
from xieyu.events.models import Attendance, Event, Registration
from xieyu.teams.communities.services import community_activity_create, exchange_record, facility_save

from .personas import Cast

SEED = 612
FACILITIES = {
    "south": [
        ("activity_room", "城南社区儿童活动室", "周二至周日 9:00–12:00、14:30–17:30", 40),
        ("book_room", "城南社区农家书屋", "每天 8:30–18:00(寒暑假延长至 20:00)", 30),
        ("court", "城南灯光篮球场", "每天 6:00–22:00", 60),
    ],
    "village": [
        ("book_room", "雅溪村农家书屋", "周六、周日 9:00–17:00", 20),
        ("activity_room", "雅溪村留守儿童之家", "周一至周五 16:00–18:30,周末 9:00–17:00", 30),
    ],
    "dajishan": [
        ("activity_room", "大吉山社区“四点半课堂”", "周一至周五 16:30–18:30", 35),
        ("court", "大吉山社区篮球场", "每天 6:00–21:30", 50),
        ("other", "大吉山钨矿历史展示角", "周末 9:00–16:00", 25),
    ],
}
# (community, days from today, hour, title, place, capacity)
COMING = [
    ("south", 3, 9, "城南社区 周末亲子阅读会", "城南社区农家书屋", 30),
    ("south", 10, 15, "城南社区 客家剪纸体验课", "城南社区儿童活动室", 25),
    ("south", 24, 9, "城南社区 少儿篮球友谊赛", "城南灯光篮球场", 60),
    ("village", 6, 14, "雅溪村 留守儿童手工坊", "雅溪村留守儿童之家", 20),
    ("dajishan", 8, 16, "大吉山社区 四点半课堂·科学小实验", "大吉山社区“四点半课堂”", 30),
    ("dajishan", 20, 9, "大吉山社区 钨矿历史小讲解员", "大吉山钨矿历史展示角", 20),
]
PAST = [
    ("south", -20, 9, "城南社区 亲子共读分享会", "城南社区农家书屋", 30),
    ("south", -45, 15, "城南社区 防溺水安全课", "城南社区儿童活动室", 40),
    ("dajishan", -30, 16, "大吉山社区 暑期托管开放日", "大吉山社区“四点半课堂”", 35),
]


def seed_teams_communities(cast: Cast) -> None:
    with transaction.atomic():
        _seed(cast)


def _at(days: int, hour: int) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=timezone.get_current_timezone())


def _seed(cast: Cast) -> None:
    rng = random.Random(SEED)
    ye = cast.users["community_ye"]
    for key, rows in FACILITIES.items():
        for kind, name, times, capacity in rows:
            facility_save(actor=ye, community=cast.communities[key], kind=kind, name=name, opening_times=times,
                          capacity=capacity)  # fmt: skip
    for key, days, hour, title, place, capacity in COMING:
        community_activity_create(actor=ye, community=cast.communities[key], title=title, starts_at=_at(days, hour),
                                  ends_at=_at(days, hour + 2), place=place, capacity=capacity,
                                  description="欢迎附近学校的孩子和家长一起参加。")  # fmt: skip
    for key, days, hour, title, place, capacity in PAST:
        event = community_activity_create(actor=ye, community=cast.communities[key], title=title,
                                          starts_at=_at(days, hour), ends_at=_at(days, hour + 2), place=place,
                                          capacity=capacity)  # fmt: skip
        _attended(event, rng)
    chen_liu, wang = cast.users["school_admin_liu"], cast.users["school_admin_wang"]
    south = cast.communities["south"]
    visits = [
        (chen_liu, "into_community", cast.school_a, "城厢小学教师进社区 家庭教育讲座:陪孩子写作业", -60),
        (chen_liu, "into_community", cast.school_a, "城厢小学教师进社区 暑期安全家访", -25),
        (ye, "into_school", cast.school_a, "城南社区志愿者进校园 客家童谣传唱", -40),
        (wang, "into_community", cast.school_b, "全南二中教师进社区 青春期家庭沟通", -35),
        (ye, "into_school", cast.school_b, "城南社区志愿者进校园 禁毒宣传", -15),
    ]
    year_start = timezone.localdate().replace(month=9, day=1)
    if year_start > timezone.localdate():
        year_start = year_start.replace(year=year_start.year - 1)
    for actor, kind, school, title, days in visits:
        start = max(_at(days, 15), _at((year_start - timezone.localdate()).days + 1, 15))
        exchange_record(actor=actor, kind=kind, school=school, community=south, title=title, starts_at=start,
                        ends_at=start + datetime.timedelta(hours=2))  # fmt: skip


def _attended(event: Event, rng: random.Random) -> None:
    """Families of the town's schools registered and most of them came (bulk rows: past events)."""
    rows = list(
        Guardianship.objects.filter(
            status=Guardianship.Status.CONFIRMED, student__status=Student.Status.ENROLLED,
            student__school__town=event.audience_town_id, guardian__user__isnull=False,
        )
        .order_by("student_id", "pk")
        .values_list("student_id", "guardian_id")[:400]
    )  # fmt: skip
    seen: set[int] = set()
    picks = []
    for student_id, guardian_id in rng.sample(rows, min(len(rows), 24)):
        if student_id not in seen:
            seen.add(student_id)
            picks.append((student_id, guardian_id))
    at = event.starts_at - datetime.timedelta(days=3)
    Registration.objects.bulk_create(
        [Registration(event=event, student_id=s, guardian_id=g, created_at=at) for s, g in picks]
    )
    Attendance.objects.bulk_create(
        [Attendance(event=event, student_id=s, guardian_id=g, method=Attendance.Method.QR,
                    checked_in_at=event.starts_at + datetime.timedelta(minutes=rng.randint(0, 20)))
         for s, g in picks if rng.random() < 0.8]
    )  # fmt: skip
