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
    Theme,
)
from xieyu.parentschool.semester import semester_of
from xieyu.parentschool.services import AFTER, BEFORE, HOOK, WAVE_NUMBER, wave_hook, wave_times
from xieyu.surveys.models import Answer, Question, Questionnaire, Respondent, Response, Version, Wave

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


def _survey(session: Session, statements: list[str], actor) -> dict[str, Wave]:
    """The session's before/after questionnaire on the engine, published, with its waves 课前 and 课后."""
    event, school = session.event, session.parent_school.school
    questionnaire = Questionnaire.objects.create(
        title=event.title, respondent_kind=Questionnaire.RespondentKind.GUARDIAN, county_id=school.county_id,
        school=school, created_by=actor, key=HOOK, created_at=event.created_at,
    )  # fmt: skip
    version = Version.objects.create(questionnaire=questionnaire, number=1, status=Version.Status.PUBLISHED,
                                     published_at=event.created_at)  # fmt: skip
    Question.objects.bulk_create(
        Question(version=version, position=n, code=f"q{n}", kind=Question.Kind.SCALE, text=text, scale_min=1,
                 scale_max=5)
        for n, text in enumerate(statements, start=1)
    )  # fmt: skip
    session.questionnaire = questionnaire
    session.save(update_fields=["questionnaire"])
    times = wave_times(event)
    return {
        phase: Wave.objects.create(
            questionnaire=questionnaire, version=version, number=WAVE_NUMBER[phase], title=title,
            opens_at=times[phase][0], closes_at=times[phase][1], audience=Wave.Audience.HOOK,
            hook=wave_hook(session.pk, phase), county_id=school.county_id, school=school, created_by=actor,
        )
        for phase, title in ((BEFORE, "课前"), (AFTER, "课后"))
    }  # fmt: skip


def _answer(waves: dict[str, Wave], student, guardian: Guardian, scores: list[tuple[int, int]]) -> None:
    questions = list(waves[BEFORE].version.questions.order_by("position"))
    respondent = Respondent.objects.create(questionnaire=waves[BEFORE].questionnaire, guardian=guardian)
    answers = []
    for i, phase in enumerate((BEFORE, AFTER)):
        wave = waves[phase]
        response = Response.objects.create(
            wave=wave, respondent=respondent, status=Response.Status.SUBMITTED, school_id=student.school_id,
            school_class_id=student.school_class_id, answered_by_id=guardian.user_id, consent=True,
            submitted_at=wave.opens_at + datetime.timedelta(minutes=30),
        )  # fmt: skip
        answers += [
            Answer(response=response, question=q, number=pair[i]) for q, pair in zip(questions, scores, strict=True)
        ]
    Answer.objects.bulk_create(answers)


def _came(session: Session, student, guardian: Guardian, *, rating=None, comment="", scores=None, waves=None) -> None:
    event = session.event
    Registration.objects.create(event=event, student=student, guardian=guardian,
                                created_at=event.starts_at - datetime.timedelta(days=2))  # fmt: skip
    Attendance.objects.create(event=event, student=student, guardian=guardian, method=Attendance.Method.QR,
                              checked_in_at=event.starts_at - datetime.timedelta(minutes=5))  # fmt: skip
    if rating:
        Feedback.objects.create(event=event, guardian=guardian, rating=rating, comment=comment,
                                created_at=event.ends_at)  # fmt: skip
    if waves and scores:
        _answer(waves, student, guardian, scores)


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
    waves = _survey(lecture, STATEMENTS, cast.school_admin_liu)
    guardians = {g.user_id: g for g in Guardian.objects.filter(user__in=[cast.parent_zhang, cast.grandma_zhao])}
    _came(lecture, cast.students["zhang_xiaoming"], guardians[cast.parent_zhang.pk], rating=5,
          comment="很实用,学到了和孩子沟通的方法", scores=[(2, 4), (3, 4)], waves=waves)  # fmt: skip
    _came(lecture, cast.students["liu_xiaoyu"], guardians[cast.grandma_zhao.pk], rating=4,
          comment="老师讲得清楚,希望多讲讲隔代教育", scores=[(2, 3), (2, 4)], waves=waves)  # fmt: skip
    _session(a, title="假期安全与作息习惯", kind=Event.Kind.LECTURE, place="城厢小学报告厅",
             starts_at=_at(now + datetime.timedelta(days=7), 19), actor=cast.school_admin_liu, course=safety,
             instructor=teacher)  # fmt: skip

    sun = Guardian.objects.get(user=cast.parent_sun)
    talk = _session(b, title="青春期孩子的心理健康", kind=Event.Kind.LECTURE, place="全南二中阶梯教室",
                    starts_at=past, actor=cast.school_admin_wang)  # fmt: skip
    _came(talk, cast.students["sun_hao"], sun, rating=4)
    return True
