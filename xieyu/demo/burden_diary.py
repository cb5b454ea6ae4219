"""Demo data: eight weeks of one-minute diaries across the county (bulk-inserted, rollups computed in bulk), a few
classes over a line, 李娜's 三年级1班 over the 60-minute homework line for the last two weeks and flagged, and an
open request today for 赵秀英 about 刘小宇 so she can answer it in the browser."""

from __future__ import annotations

import datetime
import random
import secrets

from django.urls import reverse
from django.utils import timezone

from xieyu.burden.diary.models import Diary, DiaryRequest
from xieyu.burden.watch import figures as fig
from xieyu.burden.watch.display import shown_week, weeks_ending
from xieyu.burden.watch.services import rollups_rebuild
from xieyu.directory.models import Guardian, School, Student
from xieyu.notices.messages import message_send

from .personas import Cast

PER_CLASS_WEEK = 10  # answered diaries per class and week (3 families asked each school day, most answer)
WEEKS = 8


def _time(minutes_after_noon: float) -> datetime.time:
    m = int(minutes_after_noon + 720) % 1440
    return datetime.time(m // 60, m % 60)


def _diary(rng: random.Random, level: int, homework_mean: float) -> dict:
    junior = level >= 7
    if level <= 2:
        homework = 0 if rng.random() < 0.8 else rng.choice([10, 15, 20])
    else:
        homework = max(0, int(rng.gauss(homework_mean, 15)))
    bed = rng.gauss(580 if junior else 545, 18)
    sleep = rng.gauss(560 if junior else 615, 25)
    values: dict = {
        "homework_minutes": homework,
        "other_homework_minutes": max(0, int(rng.gauss(15, 10))),
        "bedtime": _time(bed),
        "wake_time": _time(bed + sleep),
        "screen_minutes": max(0, int(rng.gauss(45, 25))),
        "phone_to_school": rng.random() < 0.05,
        "reading_minutes": max(0, int(rng.gauss(25, 12))),
        "outdoor_minutes": max(0, int(rng.gauss(80, 25))),
        "afterschool": rng.random() < 0.7,
    }
    unknown = [name for name in values if rng.random() < 0.04]
    for name in unknown:
        values[name] = None
    if values["bedtime"] is not None and values["wake_time"] is not None:
        values["sleep_minutes"] = fig.after_noon(values["wake_time"]) - fig.after_noon(values["bedtime"])
    else:
        values["sleep_minutes"] = None
    values["unknown"] = unknown
    return values


def seed_diary(cast: Cast) -> None:
    rng = random.Random(20211)
    county = cast.county
    last = shown_week()
    weeks = weeks_ending(last, WEEKS)
    rows = (
        Student.objects.filter(school__county=county, status=Student.Status.ENROLLED, school_class__isnull=False,
                               school_class__grade__level__gte=1)
        .exclude(school__kind=School.Kind.KINDERGARTEN)
        .order_by("school_class_id", "pk")
        .values_list("pk", "school_class_id", "school_id", "school_class__grade__level")
    )  # fmt: skip
    classes: dict[int, list] = {}
    for pk, class_id, school_id, level in rows:
        classes.setdefault(class_id, []).append((pk, school_id, level))
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    liu = cast.students["liu_xiaoyu"]
    now = timezone.now()
    diaries = []
    for n, (class_id, students) in enumerate(sorted(classes.items())):
        level = students[0][2]
        base = 45 if level <= 6 else 75
        over_always = level >= 3 and n % 41 == 7  # a few classes over the line all along
        for k, week in enumerate(weeks):
            mean = base
            if over_always:
                mean = base + 30
            if class_id == cast.class_a1.pk:
                mean = 78 if k >= WEEKS - 2 else 45
            for i in range(min(PER_CLASS_WEEK, len(students))):
                pk, school_id, _lvl = students[(k * PER_CLASS_WEEK + i) % len(students)]
                day = week + datetime.timedelta(days=i % 5)
                if pk == liu.pk and day == yesterday:
                    continue
                diaries.append(Diary(
                    student_id=pk, school_class_id=class_id, school_id=school_id, county=county, day=day, week=week,
                    created_at=now, **_diary(rng, level, mean),
                ))  # fmt: skip
    Diary.objects.bulk_create(diaries, batch_size=2000)
    rollups_rebuild(county=county, weeks=weeks)
    _open_request_for_zhao(cast, yesterday, now)


def _open_request_for_zhao(cast: Cast, day: datetime.date, now: datetime.datetime) -> None:
    liu = cast.students["liu_xiaoyu"]
    zhao = Guardian.objects.get(user=cast.grandma_zhao)
    req = DiaryRequest.objects.create(
        student=liu, guardian=zhao, school_class=cast.class_a1, county=cast.county, day=day,
        token=secrets.token_urlsafe(16), sent_at=now, expires_at=now + datetime.timedelta(hours=48),
    )  # fmt: skip
    message_send(
        actor=cast.head_teacher_li, county_id=cast.county.pk, to_guardian=zhao,
        title="一分钟日记：刘小宇昨天过得怎么样？",
        body="请告诉我们刘小宇昨天的作业、睡眠、手机、阅读和户外活动情况，约一分钟，不用登录，不知道的可以选“不清楚”。",
        link=reverse("burden:diary_answer", args=[req.token]), topic="burden.diary", sender_unit=cast.school_a.name,
    )  # fmt: skip
