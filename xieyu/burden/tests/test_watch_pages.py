"""The burden pages and the diary API: who sees what (the neighbour matrix), small cells suppressed, no child or
family named, and a fixed number of queries whatever the data."""

from __future__ import annotations

import datetime
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xieyu.burden.watch.display import shown_week

from .diary_helpers import answer, ask, pupils


def fill(school_class, minutes, kids=None, week=None):
    week = week or shown_week()
    kids = kids or pupils(school_class, len(minutes))
    for i, m in enumerate(minutes):
        answer(kids[i], week + datetime.timedelta(days=i % 5), homework_minutes=m)
    return kids


@pytest.fixture
def data(cast):
    a1 = fill(cast.class_a1, [70, 80, 90, 75, 65, 50])
    fill(cast.class_a1, [70, 80, 90, 75, 65, 50], a1, shown_week() - datetime.timedelta(days=7))
    fill(cast.class_b1, [100, 120, 30])  # three answers: too few to show
    return cast


PAGES = {
    "class": ("burden:class", "class_a1", {"head_teacher_li": 200, "school_admin_liu": 200, "county_admin_chen": 200,
                                            "head_teacher_wang": 404, "school_admin_wang": 404, "teacher_he": 404,
                                            "parent_zhang": 404, "grandma_zhao": 404, None: 302}),
    "school": ("burden:school", "school_a", {"school_admin_liu": 200, "county_admin_chen": 200,
                                             "school_admin_wang": 404, "head_teacher_li": 404, "parent_zhang": 404,
                                             None: 302}),
    "county": ("burden:county", "county", {"county_admin_chen": 200, "school_admin_liu": 404,
                                           "head_teacher_li": 404, "parent_zhang": 404, None: 302}),
}  # fmt: skip
MATRIX = [(page, persona, status) for page, (_u, _a, m) in PAGES.items() for persona, status in m.items()]


@pytest.mark.parametrize("page, persona, status", MATRIX)
def test_each_burden_page_is_seen_only_by_those_responsible(data, client_for, page, persona, status):
    url_name, attr, _m = PAGES[page]
    response = client_for(persona).get(reverse(url_name, args=[getattr(data, attr).pk]))
    assert response.status_code == status


def test_the_head_teacher_sees_her_class_flagged_with_the_distribution_and_no_name(data, client_for):
    from xieyu.burden.watch.models import BurdenFlag

    assert BurdenFlag.objects.filter(school_class=data.class_a1, metric="homework", state="open").exists()
    text = client_for("head_teacher_li").get(reverse("burden:class", args=[data.class_a1.pk])).content.decode()
    assert "书面作业" in text and "超过标准" in text and "72分钟" in text and "60分钟" in text
    from xieyu.directory.models import Student

    for name in Student.objects.filter(school_class=data.class_a1).values_list("name", flat=True):
        assert name not in text


def test_a_class_with_fewer_than_five_answers_shows_too_few(data, client_for):
    text = client_for("head_teacher_wang").get(reverse("burden:class", args=[data.class_b1.pk])).content.decode()
    main = text[text.index("<main") : text.index("</main>")]  # not the random tokens and static hashes around it
    assert "样本不足" in main and not re.search(r"(?<![\w.-])120(?![\w.-])", main)


def test_the_school_and_county_pages_show_grades_classes_and_flag_counts(data, client_for):
    school = client_for("school_admin_liu").get(reverse("burden:school", args=[data.school_a.pk])).content.decode()
    assert "三年级" in school and "1班" in school
    county = client_for("county_admin_chen").get(reverse("burden:county", args=[data.county.pk])).content.decode()
    assert data.school_a.name in county and "1 个班级被提醒" in county


@pytest.mark.parametrize("page", ["class", "school", "county"])
def test_page_queries_do_not_grow_with_the_data(cast, client_for, page):
    url_name, attr, matrix = PAGES[page]
    persona = next(p for p, s in matrix.items() if s == 200)
    client = client_for(persona)
    url = reverse(url_name, args=[getattr(cast, attr).pk])
    fill(cast.class_a1, [70, 80, 90, 75, 65])
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    fill(cast.class_a2, [70, 80, 90, 75, 65, 10, 20])
    fill(cast.class_b1, [70, 80, 90, 75, 65, 10, 20])
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(small) == len(large) <= 14


# --- the diary pages and API ---------------------------------------------------------------------------------------


def test_the_guardian_answers_on_the_diary_page_and_can_opt_out(cast, client_for):
    liu = cast.students["liu_xiaoyu"]
    req = ask(liu, shown_week())
    zhao = client_for("grandma_zhao")
    page = zhao.get(reverse("burden:diary_today"))
    assert page.status_code == 200 and "刘小宇" in page.content.decode() and "不清楚" in page.content.decode()
    assert client_for("parent_sun").get(reverse("burden:diary_today") + f"?request={req.pk}").status_code == 404
    assert client_for(None).get(reverse("burden:diary_today")).status_code == 302
    zhao.post(reverse("burden:diary_optout"), {"student": liu.pk, "out": "1"})
    req.refresh_from_db()
    assert liu.diary_opt_out is not None and "重新参加" in zhao.get(reverse("burden:diary_today")).content.decode()
    assert (
        client_for("parent_sun").post(reverse("burden:diary_optout"), {"student": liu.pk, "out": "0"}).status_code
        == 404
    )


def test_the_diary_api_lists_answers_and_opts_out_for_the_family_only(cast, client_for):
    liu = cast.students["liu_xiaoyu"]
    req = ask(liu, shown_week())
    base = "/api/v1/burden/diary"
    zhao, sun = client_for("grandma_zhao"), client_for("parent_sun")
    assert [r["id"] for r in zhao.get(f"{base}/requests").json()] == [req.pk]
    assert sun.get(f"{base}/requests").json() == []
    assert client_for(None).get(f"{base}/requests").status_code == 401
    body = {"homework_minutes": 30, "other_homework_minutes": 0, "bedtime": "21:00", "wake_time": "07:00",
            "phone_to_school": False, "reading_minutes": 20, "outdoor_minutes": 60, "afterschool": True,
            "unknown": ["screen_minutes"]}  # fmt: skip
    answer_url = f"{base}/requests/{req.pk}/answer"
    assert sun.post(answer_url, json.dumps(body), content_type="application/json").status_code == 404
    bad = zhao.post(answer_url, json.dumps({**body, "homework_minutes": 5000}), content_type="application/json")
    assert bad.status_code == 422 and "书面作业" in bad.json()["error"]["message"]
    ok = zhao.post(answer_url, json.dumps(body), content_type="application/json")
    assert ok.status_code == 201 and ok.json()["sleep_minutes"] == 600 and ok.json()["unknown"] == ["screen_minutes"]
    again = zhao.post(answer_url, json.dumps(body), content_type="application/json")
    assert again.status_code == 404  # no longer open
    opt = f"{base}/children/{liu.pk}/opt-out"
    assert sun.post(opt, json.dumps({"opted_out": True}), content_type="application/json").status_code == 404
    assert zhao.post(opt, json.dumps({"opted_out": True}), content_type="application/json").json()["opted_out"]
    assert [c["opted_out"] for c in zhao.get(f"{base}/children").json()] == [True]
