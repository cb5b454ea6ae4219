"""Helpers of the visits tests: a visit recorded through the service, a class's open flag, a past meeting."""

from __future__ import annotations

import datetime

from django.utils import timezone

from xieyu.burden.limits import Metric
from xieyu.burden.visits import access, services
from xieyu.burden.watch.models import BurdenFlag
from xieyu.directory.models import Guardian


def record_visit(cast, student_key="qian_duoduo", *, persona="head_teacher_li", days_ago=1, follow_ups=None, **kw):
    student = cast.students[student_key]
    actor = getattr(cast, persona)
    met = list(Guardian.objects.filter(guardianships__student=student)[:1])
    return services.visit_record(
        actor=actor, student=student, visited_on=timezone.localdate() - datetime.timedelta(days=days_ago),
        place=kw.pop("place", "home"), visitors=[actor], met=met, discussed=kw.pop("discussed", "学习习惯与作息"),
        concerns=kw.pop("concerns", ""), follow_ups=follow_ups, allowed_staff=access.staff_of_class(student.school_class),
        **kw,
    )  # fmt: skip


def open_flag(cast, school_class=None, metric=Metric.HOMEWORK) -> BurdenFlag:
    sc = school_class or cast.class_a1
    monday = timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday() + 7)
    return BurdenFlag.objects.create(
        county=cast.county, school=sc.school, school_class=sc, metric=metric,
        first_week=monday - datetime.timedelta(days=7), last_week=monday,
        figures={"median": 75, "over_share": 0.6, "limit": 60, "n": 18},
    )  # fmt: skip


def past_meeting(cast, *, school_class=None, persona="head_teacher_li", kind="double_reduction_meeting"):
    """A meeting that started an hour ago (created as if two days ago: the service refuses a past start)."""
    import time_machine

    start = timezone.now() - datetime.timedelta(hours=1)
    with time_machine.travel(start - datetime.timedelta(days=2)):
        return services.meeting_create(
            actor=getattr(cast, persona), kind=kind, title="双减家长会", starts_at=start,
            ends_at=start + datetime.timedelta(minutes=50), place="三年级1班教室",
            school_class=school_class if school_class is not None else cast.class_a1,
        )  # fmt: skip
