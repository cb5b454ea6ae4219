"""The day's sample: a few families per class, never one asked in the last fortnight, never one that opted out,
no kindergarten, and a day sampled once whatever happens."""

from __future__ import annotations

import datetime

import pytest

from xieyu.burden.diary.models import Diary, DiaryRequest, DiarySamplingDay
from xieyu.burden.diary.services import diary_opt_out, diary_sample_day
from xieyu.directory.models import Grade, School, SchoolClass
from xieyu.notices.models import Delivery

from .diary_helpers import pupils

MONDAY = datetime.date(2025, 3, 3)  # a school day (no holiday near)


def next_days(n):
    return [MONDAY + datetime.timedelta(days=i) for i in range(n)]


@pytest.fixture
def county_classes(cast, settings):
    settings.BURDEN_DIARY_PER_CLASS = 3
    pupils(cast.class_a2, 8)
    return cast


def test_each_class_gets_a_few_requests_each_delivered_to_a_guardian(county_classes):
    cast = county_classes
    made = diary_sample_day(county=cast.county, day=MONDAY)
    per_class = {c: DiaryRequest.objects.filter(school_class=c).count() for c in (cast.class_a1, cast.class_a2,
                                                                                   cast.class_b1)}  # fmt: skip
    assert per_class[cast.class_a2] == 3
    assert per_class[cast.class_a1] == 3  # 4 children in the cast's class: 3 asked
    assert made == sum(per_class.values())
    req = DiaryRequest.objects.filter(school_class=cast.class_a2).first()
    assert req.day == MONDAY - datetime.timedelta(days=1)
    assert Delivery.objects.filter(guardian=req.guardian, notice__link__contains=req.token).exists()


def test_a_day_is_sampled_once_and_nobody_is_asked_twice_in_a_fortnight(county_classes):
    cast = county_classes
    diary_sample_day(county=cast.county, day=MONDAY)
    assert diary_sample_day(county=cast.county, day=MONDAY) == 0  # the same day again: nothing
    assert DiarySamplingDay.objects.get(county=cast.county, date=MONDAY).done_at is not None
    for day in next_days(10)[1:]:
        diary_sample_day(county=cast.county, day=day)
    by_student: dict[int, list] = {}
    for sid, day in DiaryRequest.objects.values_list("student_id", "day"):
        by_student.setdefault(sid, []).append(day)
    for days in by_student.values():
        days.sort()
        assert all((b - a).days >= 14 for a, b in zip(days, days[1:], strict=False))
    # the 8 families of class_a2 are all asked within three school days, then nobody is left until a fortnight
    assert DiaryRequest.objects.filter(school_class=cast.class_a2).count() == 8


def test_a_family_with_a_diary_in_the_fortnight_is_not_asked_even_without_a_request(county_classes):
    cast = county_classes
    answered = list(cast.class_a2.students.order_by("pk")[:5])
    for student in answered:  # diaries that came without a request (imported, or the demo's history)
        day = MONDAY - datetime.timedelta(days=5)
        Diary.objects.create(student=student, school_class=cast.class_a2, school=cast.school_a, county=cast.county,
                             day=day, week=day - datetime.timedelta(days=day.weekday()))  # fmt: skip
    diary_sample_day(county=cast.county, day=MONDAY)
    asked = set(DiaryRequest.objects.filter(school_class=cast.class_a2).values_list("student_id", flat=True))
    assert len(asked) == 3 and not asked & {s.pk for s in answered}


def test_a_crash_mid_way_sends_nothing_and_the_rerun_sends_once(county_classes, monkeypatch):
    cast = county_classes
    from xieyu.burden.diary import services

    real = services.message_send
    calls = {"n": 0}

    def failing(**kw):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("worker died")
        return real(**kw)

    monkeypatch.setattr(services, "message_send", failing)
    with pytest.raises(RuntimeError):
        diary_sample_day(county=cast.county, day=MONDAY)
    assert DiaryRequest.objects.count() == 0 and not DiarySamplingDay.objects.filter(done_at__isnull=False).exists()
    monkeypatch.setattr(services, "message_send", real)
    made = diary_sample_day(county=cast.county, day=MONDAY)
    assert made == DiaryRequest.objects.count() > 0
    assert Delivery.objects.filter(notice__topic="burden.diary").count() == made


def test_opted_out_families_and_kindergartens_are_never_asked(county_classes):
    cast = county_classes
    kids = list(cast.class_a2.students.all())
    for kid in kids[:6]:
        diary_opt_out(actor=cast.parent_zhang, student=kid, opted_out=True)
    kg = School.objects.create(county=cast.county, name="幼儿园", kind=School.Kind.KINDERGARTEN, code="KG1")
    grade = Grade.objects.filter(school=kg).first() or Grade.objects.create(school=kg, name="大班", level=0,
                                                                            stage="kindergarten")  # fmt: skip
    kg_class = SchoolClass.objects.create(school=kg, grade=grade, name="1班")
    pupils(kg_class, 5)
    diary_sample_day(county=cast.county, day=MONDAY)
    asked = set(DiaryRequest.objects.values_list("student_id", flat=True))
    assert not asked & {k.pk for k in kids[:6]}
    assert DiaryRequest.objects.filter(school_class=cast.class_a2).count() == 2
    assert not DiaryRequest.objects.filter(school_class=kg_class).exists()


def test_no_request_on_a_day_off(county_classes):
    assert diary_sample_day(county=county_classes.county, day=datetime.date(2025, 3, 8)) == 0  # a Saturday
