"""The county's overdue page, a deadline's history and the calendar page: who sees what, and what they see."""

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xieyu.deadlines.models import CalendarDay, ScheduleYear
from xieyu.deadlines.services import deadline_start, deadline_sweep

from .helpers import at

OVERDUE = "/deadlines/overdue/"
CALENDAR = "/deadlines/calendar/"
NOW = "2026-11-25 10:00"  # a Wednesday; the 2027 schedule is already warned about in November


def make(cast, n, school_class, *, when="2026-11-16 09:00", policy="question.default"):
    with time_machine.travel(at(when), tick=False):
        return deadline_start(
            actor=None, target=("questions.question", str(n)), policy=policy, school_class=school_class,
            owner=cast.head_teacher_li, title=f"问题{n}",
        )  # fmt: skip


@pytest.fixture
def items(cast):
    """At NOW: school A has two overdue questions and one due soon, school B one overdue; one not yet flagged."""
    return {
        "a_overdue_1": make(cast, 1, cast.class_a1),
        "a_overdue_2": make(cast, 2, cast.class_a2),
        "a_soon": make(cast, 3, cast.class_a1, when="2026-11-24 16:30", policy="question.urgent"),  # due 11:00
        "b_overdue": make(cast, 4, cast.class_b1),
        "a_later": make(cast, 5, cast.class_a1, when="2026-11-25 09:00"),
    }


def get(client, url):
    with time_machine.travel(at(NOW), tick=False):
        return client.get(url)


@pytest.mark.parametrize(
    "persona, status",
    [
        ("county_admin_chen", 200),
        ("school_admin_liu", 200),
        ("school_admin_wang", 200),
        ("head_teacher_li", 404),
        ("teacher_he", 404),
        ("parent_zhang", 404),
        ("expert_huang", 404),
        (None, 302),
    ],
)
def test_the_overdue_page_is_for_county_and_school_admins(client_for, items, persona, status):
    assert get(client_for(persona), OVERDUE).status_code == status


def titles(response) -> set[str]:
    return {d.title for g in response.context["groups"] for d in g["items"]}


def test_the_county_admin_sees_every_school_grouped_with_counts(client_for, items, cast):
    r = get(client_for("county_admin_chen"), OVERDUE)
    assert titles(r) == {"问题1", "问题2", "问题3", "问题4"}
    counts = {row["school__name"]: (row["overdue"], row["due_soon"]) for row in r.context["counts"]}
    assert counts == {cast.school_a.name: (2, 1), cast.school_b.name: (1, 0)}
    assert [g["school"] for g in r.context["groups"]] == sorted([cast.school_a, cast.school_b], key=lambda s: s.name)
    only_overdue = get(client_for("county_admin_chen"), OVERDUE + "?show=overdue")
    assert titles(only_overdue) == {"问题1", "问题2", "问题4"}
    soon = get(client_for("county_admin_chen"), OVERDUE + "?show=due_soon")
    assert titles(soon) == {"问题3"}


def test_a_school_admin_sees_only_their_school(client_for, items, cast):
    assert titles(get(client_for("school_admin_liu"), OVERDUE)) == {"问题1", "问题2", "问题3"}
    assert titles(get(client_for("school_admin_wang"), OVERDUE)) == {"问题4"}


def test_the_overdue_page_costs_the_same_queries_for_3_or_60_items(client_for, cast, django_assert_max_num_queries):
    for n in range(3):
        make(cast, n, cast.class_a1)
    client = client_for("county_admin_chen")
    get(client, OVERDUE)  # warm the calendar cache
    with CaptureQueriesContext(connection) as few:
        assert get(client, OVERDUE).status_code == 200
    for n in range(3, 60):
        make(cast, n, [cast.class_a1, cast.class_a2, cast.class_b1][n % 3])
    with django_assert_max_num_queries(len(few)):
        r = get(client, OVERDUE)
    assert r.context["page"].paginator.count == 60 and len(titles(r)) == 20
    page3 = get(client, OVERDUE + "?page=3")
    assert len(titles(page3)) == 20


def test_htmx_pagination_answers_the_list_only(client_for, cast):
    for n in range(25):
        make(cast, n, cast.class_a1)
    with time_machine.travel(at(NOW), tick=False):
        r = client_for("county_admin_chen").get(OVERDUE + "?page=2", HTTP_HX_REQUEST="true")
    html = r.content.decode()
    assert 'id="deadline-list"' in html and "<html" not in html


def test_the_missing_schedule_is_warned_on_the_overdue_page(client_for, items, cast, zh):
    r = get(client_for("county_admin_chen"), OVERDUE)
    assert "2027" in r.content.decode() and "调休" in r.content.decode()
    assert r.context["schedule_warnings"][0]["years"] == [2027]
    # The school admin sees it too, with whom to ask.
    r = get(client_for("school_admin_liu"), OVERDUE)
    assert "请县级管理员录入" in r.content.decode()
    ScheduleYear.objects.create(county=cast.county, year=2027)
    from xieyu.deadlines.services import _touch_calendar

    _touch_calendar(cast.county.pk)
    assert get(client_for("county_admin_chen"), OVERDUE).context["schedule_warnings"] == []


def test_the_history_page(client_for, items, cast, django_capture_on_commit_callbacks):
    d = items["a_overdue_1"]
    with time_machine.travel(at(NOW), tick=False):
        deadline_sweep(actor=None)
    url = f"/deadlines/{d.pk}/"
    r = get(client_for("county_admin_chen"), url)
    assert r.status_code == 200
    assert [e.kind for e in r.context["events"]][:3] == ["started", "overdue", "escalated"]
    assert get(client_for("school_admin_liu"), url).status_code == 200
    assert get(client_for("school_admin_wang"), url).status_code == 404
    assert get(client_for("head_teacher_li"), url).status_code == 404
    assert get(client_for("county_admin_chen"), "/deadlines/999999/").status_code == 404


# --- the calendar page ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona, status",
    [
        ("county_admin_chen", 200),
        ("school_admin_liu", 404),
        ("head_teacher_li", 404),
        ("parent_zhang", 404),
        (None, 302),
    ],
)
def test_only_the_county_admin_manages_the_calendar(client_for, persona, status):
    assert get(client_for(persona), CALENDAR).status_code == status


def post(client, data):
    with time_machine.travel(at(NOW), tick=False):
        return client.post(CALENDAR + "?year=2026", data)


def test_adding_and_removing_county_days(client_for, cast, zh):
    chen = client_for("county_admin_chen")
    r = post(chen, {"action": "add_day", "date": "2026-12-02", "kind": "day_off", "note": "县运动会"})
    assert r.status_code == 302
    entry = CalendarDay.objects.get(county=cast.county)
    assert (entry.date.isoformat(), entry.kind, entry.created_by) == ("2026-12-02", "day_off", cast.county_admin_chen)
    page = get(chen, CALENDAR + "?year=2026").content.decode()
    assert "县运动会" in page and "2026-12-02" in page
    r = post(chen, {"action": "remove_day", "day": entry.pk})
    assert r.status_code == 302 and not CalendarDay.objects.exists()
    # Another county's day (or a missing one) cannot be removed.
    assert post(client_for("school_admin_liu"), {"action": "remove_day", "day": 1}).status_code == 404


@pytest.mark.parametrize(
    "data, message",
    [
        ({"date": "2026-13-40", "kind": "day_off"}, "请输入有效的日期,例如 2026-10-10。"),
        ({"date": "", "kind": "day_off"}, "请填写日期。"),
        ({"date": "2026-10-10", "kind": "workday"}, "2026-10-10 本来就是工作日"),  # the 调休 Saturday
        ({"date": "2026-11-17", "kind": "workday"}, "2026-11-17 本来就是工作日"),  # an ordinary Tuesday
        ({"date": "2026-10-01", "kind": "day_off"}, "2026-10-01 本来就是休息日"),
        ({"date": "1999-12-31", "kind": "day_off"}, "请输入 2000 年至 2099 年之间的日期。"),
        ({"date": "2026-12-02", "kind": "holiday"}, "请选择“休息日”或“调休上班日”。"),
    ],
)
def test_calendar_validation_speaks_chinese(client_for, cast, zh, data, message):
    r = post(client_for("county_admin_chen"), {"action": "add_day", **data})
    assert r.status_code == 400
    assert message in r.content.decode()
    assert not CalendarDay.objects.exists()


def test_a_date_entered_twice_is_refused(client_for, cast, zh):
    chen = client_for("county_admin_chen")
    post(chen, {"action": "add_day", "date": "2026-12-02", "kind": "day_off"})
    r = post(chen, {"action": "add_day", "date": "2026-12-02", "kind": "day_off"})
    assert r.status_code == 400
    assert "2026-12-02 已录入为休息日" in r.content.decode()
    assert CalendarDay.objects.count() == 1


def test_working_hours_and_the_years_with_an_official_schedule(client_for, cast, zh):
    chen = client_for("county_admin_chen")
    r = post(chen, {"action": "hours", "day_start": "17:00", "day_end": "08:00"})
    assert r.status_code == 400 and "下班时间必须晚于上班时间" in r.content.decode()
    assert post(chen, {"action": "hours", "day_start": "08:30", "day_end": "17:00"}).status_code == 302
    page = get(chen, CALENDAR)
    years = {y["year"]: (y["official"], y["missing"]) for y in page.context["years"]}
    assert years[2026] == (True, False) and years[2027] == (False, True)
    assert "国庆节" in page.content.decode()  # the official days of the year shown
    assert post(chen, {"action": "confirm_year", "year": "2027"}).status_code == 302
    years = {y["year"]: y["missing"] for y in get(chen, CALENDAR).context["years"]}
    assert years[2027] is False
    assert get(chen, CALENDAR).context["schedule_warnings"] == []
