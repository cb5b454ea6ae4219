"""Demo data: the county's off-work time (17:30), after-school schedules for most schools (most meet the "5+2" rule;
some are short, some end early, one skips Friday; a few schools have entered none), and a handful of 双减 reports
from the cast's families (one handled, one being looked into)."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from xieyu.burden.afterschool.models import DEFAULT_OFF_WORK, AfterschoolSchedule, AfterschoolSetting
from xieyu.burden.afterschool.services import _derive
from xieyu.burden.reports import services as reports
from xieyu.burden.reports.models import BurdenReport
from xieyu.directory.models import School

from .personas import Cast


def _days(start: str, end: str, skip: tuple[int, ...] = ()) -> list[dict]:
    return [{"day": n, "held": n not in skip, "start": "" if n in skip else start, "end": "" if n in skip else end}
            for n in range(1, 6)]  # fmt: skip


def seed_afterschool(cast: Cast) -> None:
    _seed_schedules(cast)
    _seed_reports(cast)


def _seed_schedules(cast: Cast) -> None:
    if AfterschoolSetting.objects.filter(county=cast.county).exists():
        return
    AfterschoolSetting.objects.create(county=cast.county, off_work_time=DEFAULT_OFF_WORK)
    rng = random.Random(5)
    rows = []
    for school in School.objects.filter(county=cast.county).order_by("code"):
        if school == cast.school_a:
            days = _days("16:00", "18:00")
        elif school == cast.school_b:
            days = _days("16:30", "17:50", skip=(5,))  # short of 2 hours, and no service on Friday
        else:
            roll = rng.random()
            if roll < 0.12:
                continue  # no schedule entered
            days = (_days("16:00", "18:10") if roll < 0.7 else _days("16:20", "17:50") if roll < 0.82
                    else _days("15:30", "17:15") if roll < 0.94 else _days("16:00", "18:00", skip=(3,)))  # fmt: skip
        s = AfterschoolSchedule(school=school, county=cast.county, days=days, updated_at=timezone.now())
        _derive(s, DEFAULT_OFF_WORK)
        rows.append(s)
    AfterschoolSchedule.objects.bulk_create(rows, batch_size=500)


def _seed_reports(cast: Cast) -> None:
    if BurdenReport.objects.filter(county=cast.county).exists():
        return
    today = timezone.localdate()
    s, u = cast.students, cast.users
    handled = reports.report_file(
        actor=u["parent_zhang"], student=s["zhang_xiaoming"], kind="grading", school_class=cast.class_a1,
        what_happened="数学老师要求家长每天批改口算作业并签字拍照发到班级群。", happened_on=today - datetime.timedelta(days=20),
    )  # fmt: skip
    reports.report_handle(actor=u["county_admin_chen"], report=handled,
                          outcome="已约谈学校，要求教师本人批改作业，不再要求家长批改；一周后回访。")  # fmt: skip
    looked = reports.report_file(
        actor=u["parent_sun"], student=s["sun_hao"], kind="tutoring", school_class=cast.class_b1,
        what_happened="有老师在家长群里推荐校外收费补习班。", happened_on=today - datetime.timedelta(days=6),
    )  # fmt: skip
    reports.report_acknowledge(actor=u["county_admin_chen"], report=looked)
    reports.report_file(
        actor=u["grandma_zhao"], student=s["liu_xiaoyu"], kind="phone_homework",
        what_happened="老师要求每天用手机打卡上传朗读视频，我不会用。", happened_on=today - datetime.timedelta(days=2),
    )  # fmt: skip
    reports.report_file(
        actor=u["head_teacher_li"], student=s["li_guoguo"], kind="phone_homework",
        what_happened="晚上九点以后还在群里布置作业。", happened_on=today - datetime.timedelta(days=1),
    )  # fmt: skip
