"""The demo county's parent schools: both cast schools established; 城厢小学 with one past lecture (attendance,
feedback, a before/after questionnaire) and one upcoming; 全南二中 with one past session, so the county sees it
below the minimum of two.

Called at the end of the demo seeding (xieyu/demo/county.py). Quick and idempotent: rows go in directly (as in
the directory's bulk, generated demo rows write no audit events), and nothing happens if 城厢小学's parent school
already exists.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from xieyu.directory.models import Guardian, Stage
from xieyu.events.models import Attendance, Event, Feedback, Registration
from xieyu.parentschool.models import (
    Course,
    Instructor,
    ParentSchool,
    RulesDocument,
    Session,
    SurveyAnswer,
    SurveyQuestion,
    Theme,
)
from xieyu.parentschool.semester import semester_of

STATEMENTS = ["我知道如何与孩子沟通作业问题", "孩子写作业拖拉时,我能心平气和地处理"]


def _at(day: datetime.datetime, hour: int) -> datetime.datetime:
    return timezone.localtime(day).replace(hour=hour, minute=0, second=0, microsecond=0)


def _past_time(now: datetime.datetime) -> datetime.datetime:
    """A evening a week ago, or, early in a semester, a time between its start and now (same semester)."""
    start, _end = semester_of(now).bounds()
    past = _at(now - datetime.timedelta(days=7), 19)
    if past < start:
        past = start + (now - start) / 3
    return past


def _session(ps, *, title, kind, place, starts_at, actor, course=None, instructor=None) -> Session:
    event = Event.objects.create(
        kind=kind, title=title, organiser=Event.Organiser.SCHOOL, county_id=ps.school.county_id, school=ps.school,
        audience=Event.Audience.SCHOOL, place=place, starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(minutes=90), status=Event.Status.PUBLISHED, created_by=actor,
        description=course.title if course else "",
    )  # fmt: skip
    return Session.objects.create(event=event, parent_school=ps, semester=semester_of(starts_at).code,
                                  course=course, instructor=instructor)  # fmt: skip


def _came(session: Session, student, guardian: Guardian, *, rating=None, comment="", scores=None) -> None:
    event = session.event
    Registration.objects.create(event=event, student=student, guardian=guardian,
                                created_at=event.starts_at - datetime.timedelta(days=2))  # fmt: skip
    Attendance.objects.create(event=event, student=student, guardian=guardian, method=Attendance.Method.QR,
                              checked_in_at=event.starts_at - datetime.timedelta(minutes=5))  # fmt: skip
    if rating:
        Feedback.objects.create(event=event, guardian=guardian, rating=rating, comment=comment,
                                created_at=event.ends_at)  # fmt: skip
    for question, (before, after) in zip(session.questions.all(), scores or [], strict=False):
        SurveyAnswer.objects.create(question=question, guardian=guardian, phase="before", score=before)
        SurveyAnswer.objects.create(question=question, guardian=guardian, phase="after", score=after)


@transaction.atomic
def seed_parent_schools(cast, now: datetime.datetime | None = None) -> bool:
    """Create the demo parent schools and sessions; False (and nothing done) if they exist already."""
    if ParentSchool.objects.filter(school=cast.school_a).exists():
        return False
    now = now or timezone.now()
    a = ParentSchool.objects.create(school=cast.school_a, established_on=datetime.date(2019, 9, 1),
                                    person_in_charge="刘芳")  # fmt: skip
    b = ParentSchool.objects.create(school=cast.school_b, established_on=datetime.date(2020, 3, 1),
                                    person_in_charge="王强")  # fmt: skip
    RulesDocument.objects.create(parent_school=a, title="城厢小学家长学校管理制度",
                                 text="一、家长学校每学期至少开课两次。二、每次课签到、反馈、存档。")  # fmt: skip
    teacher = Instructor.objects.create(parent_school=a, name="李娜", kind=Instructor.Kind.TEACHER,
                                        user=cast.head_teacher_li)  # fmt: skip
    expert = Instructor.objects.create(parent_school=a, name="黄志华", kind=Instructor.Kind.EXPERT,
                                       user=cast.expert_huang)  # fmt: skip
    homework = Course.objects.create(parent_school=a, title="如何与孩子沟通作业问题", stage=Stage.PRIMARY_LOWER,
                                     theme=Theme.COMMUNICATION)  # fmt: skip
    safety = Course.objects.create(parent_school=a, title="假期安全与作息", stage=homework.stage, theme=Theme.SAFETY)

    past = _past_time(now)
    lecture = _session(a, title="如何与孩子沟通作业问题", kind=Event.Kind.LECTURE, place="城厢小学报告厅",
                       starts_at=past, actor=cast.school_admin_liu, course=homework, instructor=expert)  # fmt: skip
    for i, text in enumerate(STATEMENTS, start=1):
        SurveyQuestion.objects.create(session=lecture, text=text, position=i)
    guardians = {g.user_id: g for g in Guardian.objects.filter(user__in=[cast.parent_zhang, cast.grandma_zhao])}
    _came(lecture, cast.students["zhang_xiaoming"], guardians[cast.parent_zhang.pk], rating=5,
          comment="很实用,学到了和孩子沟通的方法", scores=[(2, 4), (3, 4)])  # fmt: skip
    _came(lecture, cast.students["liu_xiaoyu"], guardians[cast.grandma_zhao.pk], rating=4,
          comment="老师讲得清楚,希望多讲讲隔代教育", scores=[(2, 3), (2, 4)])  # fmt: skip
    _session(a, title="假期安全与作息习惯", kind=Event.Kind.LECTURE, place="城厢小学报告厅",
             starts_at=_at(now + datetime.timedelta(days=7), 19), actor=cast.school_admin_liu, course=safety,
             instructor=teacher)  # fmt: skip

    sun = Guardian.objects.get(user=cast.parent_sun)
    talk = _session(b, title="青春期孩子的心理健康", kind=Event.Kind.LECTURE, place="全南二中阶梯教室",
                    starts_at=past, actor=cast.school_admin_wang)  # fmt: skip
    _came(talk, cast.students["sun_hao"], sun, rating=4)
    return True
