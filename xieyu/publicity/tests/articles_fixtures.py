"""The column tests' cast additions: a neighbouring county (龙南市) with its admin, a school and a family, so every
page and API path is tried by the neighbour who must not see it; and helpers to put an article through 三审."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from xieyu.accounts.models import Role
from xieyu.accounts.services import membership_grant, user_create
from xieyu.demo.personas import DEMO_PASSWORD
from xieyu.directory.models import Guardianship, Region, School
from xieyu.directory.roster.format import national_student_number
from xieyu.directory.services import class_create, guardian_for_phone, guardianship_add, school_create, student_create
from xieyu.publicity.articles.access import Desk
from xieyu.publicity.articles.models import Article
from xieyu.publicity.articles.services import (
    ArticleFields,
    article_create,
    article_publish,
    article_review,
    article_submit,
)

HOSTILE = (
    '<p onclick="steal()">双减<script>alert(1)</script></p><iframe src="https://evil.example"></iframe>'
    '<a href="javascript:alert(2)">点我</a><img src="data:image/png;base64,iVBORw0KGgo=" onerror="x()">'
    '<p style="color:red" class="MsoNormal">正文</p><svg onload="y()"><text>z</text></svg>'
)


def assert_clean(html: str) -> None:
    lowered = html.lower()
    for bad in ("<script", "alert(", "<iframe", "onclick", "onerror", "onload", "javascript:", "data:", "style=",
                "<svg", "class="):  # fmt: skip
        assert bad not in lowered, (bad, html)


def fields(title="双减专家访谈:减什么", category="interview", body="<p>减的是过重的作业负担和校外培训负担。</p>", **more):
    return ArticleFields(title=title, category=category, body=body, **more)


@pytest.fixture
def neighbour(db, cast):
    """龙南市: its admin 邓局长, its school 龙南小学 and its admin 赖校长, a father there (罗先生) with a confirmed child."""
    county = Region.objects.create(name="龙南市", level=Region.Level.COUNTY, code="360727", parent=cast.county.parent)
    school = school_create(actor=None, county=county, name="龙南小学", kind=School.Kind.PRIMARY, code="3607270101")
    school_class = class_create(actor=None, grade=school.grades.get(level=3), name="1班")
    people = {}
    for key, phone, name, role, unit in [
        ("admin", "13900000001", "邓局长", Role.COUNTY_ADMIN, county),
        ("school_admin", "13900000002", "赖校长", Role.SCHOOL_ADMIN, school),
        ("father", "13900000003", "罗先生", None, None),
    ]:
        people[key] = user_create(actor=None, phone=phone, name=name, password=DEMO_PASSWORD)
        if role is not None:
            membership_grant(actor=None, user=people[key], role=role, unit=unit)
    child = student_create(actor=None, school_class=school_class, name="罗小龙", gender="M",
                           birth_date=datetime.date(2017, 5, 1), student_number=national_student_number("36072720170501001"))  # fmt: skip
    guardian = guardian_for_phone(name="罗先生", phone="13900000003")
    guardian.user = people["father"]
    guardian.save(update_fields=["user"])
    guardianship_add(actor=None, student=child, guardian=guardian, relationship="father",
                     status=Guardianship.Status.CONFIRMED)  # fmt: skip
    return {"county": county, "school": school, **people}


def client_of(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def school_desk(cast, school=None) -> Desk:
    return Desk(county=cast.county, school=school or cast.school_a)


def county_desk(cast) -> Desk:
    return Desk(county=cast.county, school=None)


def published_school_article(cast, **more) -> Article:
    """何静's article for 城厢小学's column, reviewed and published by 刘芳."""
    article = article_create(actor=cast.teacher_he, desk=school_desk(cast), fields=fields(**more))
    article_submit(actor=cast.teacher_he, article=article)
    return article_review(actor=cast.school_admin_liu, article=article, approve=True)


def published_county_article(cast, **more) -> Article:
    """何静's article put forward for the county column: 刘芳 reviews, 陈建国 publishes (三审)."""
    article = article_create(actor=cast.teacher_he, desk=school_desk(cast), fields=fields(county_wide=True, **more))
    article_submit(actor=cast.teacher_he, article=article)
    article_review(actor=cast.school_admin_liu, article=article, approve=True)
    return article_publish(actor=cast.county_admin_chen, article=article)
