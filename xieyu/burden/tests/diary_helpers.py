"""Small builders for the diary and watch tests: pupils with a reachable guardian, requests and answers."""

from __future__ import annotations

import datetime
import secrets

from django.utils import timezone

from xieyu.burden.diary.models import DiaryRequest
from xieyu.burden.diary.services import diary_submit
from xieyu.directory.models import Guardian, Guardianship, Student

GOOD = {
    "homework_minutes": 40, "other_homework_minutes": 10, "bedtime": datetime.time(21, 0),
    "wake_time": datetime.time(7, 10), "screen_minutes": 30, "phone_to_school": False, "reading_minutes": 20,
    "outdoor_minutes": 70, "afterschool": True,
}  # fmt: skip


def pupils(school_class, n: int, *, prefix: str = "学生") -> list[Student]:
    made = []
    for i in range(n):
        s = Student.objects.create(name=f"{prefix}{school_class.pk}-{i}", gender="M",
                                   birth_date=datetime.date(2016, 1, 1), school=school_class.school,
                                   school_class=school_class)  # fmt: skip
        g = Guardian.objects.create(name=f"家长{s.pk}", phone=f"139{s.pk:08d}")
        Guardianship.objects.create(student=s, guardian=g, relationship="mother", is_primary_carer=True)
        made.append(s)
    return made


def ask(student, day: datetime.date) -> DiaryRequest:
    gs = Guardianship.objects.filter(student=student).order_by("-is_primary_carer", "pk").first()
    g = gs.guardian if gs else Guardian.objects.create(name=f"家长{student.pk}")
    now = timezone.now()
    return DiaryRequest.objects.create(
        student=student, guardian=g, school_class=student.school_class, county=student.school.county, day=day,
        token=secrets.token_urlsafe(16), sent_at=now, expires_at=now + datetime.timedelta(hours=48),
    )  # fmt: skip


def answer(student, day: datetime.date, **values):
    return diary_submit(actor=None, request=ask(student, day), values={**GOOD, **values})
