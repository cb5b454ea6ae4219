"""The guardian's home is the day's page: what needs them, what is coming, what happened lately, each item one tap
from its page; the neighbour sees none of it; the page runs a fixed number of queries however long the history."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from xieyu.directory.home import LIMIT
from xieyu.events.models import Event
from xieyu.events.services import event_create, registration_create
from xieyu.notices.audience import Audience
from xieyu.notices.models import Delivery
from xieyu.notices.services import notice_create
from xieyu.questions.asking import services as asking
from xieyu.questions.clinics import access as clinics_access
from xieyu.questions.clinics import services as clinics
from xieyu.questions.topics import access as topics_access
from xieyu.questions.topics import services as topics


def _notice(cast, run_tasks, *, title="春游回执", receipt_mode="confirm", run=True):
    notice = notice_create(
        actor=cast.head_teacher_li,
        title=title,
        body="下周三春游,请确认孩子参加。",
        receipt_mode=receipt_mode,
        audience=Audience(classes=[cast.class_a1.pk]),
    )
    if run:
        run_tasks()
    return notice


def _lecture(cast, *, title="家庭教育讲座:陪孩子写作业", days=1):
    start = timezone.now() + datetime.timedelta(days=days)
    return event_create(
        actor=cast.school_admin_liu, kind=Event.Kind.LECTURE, title=title, school=cast.school_a,
        audience=Event.Audience.SCHOOL, starts_at=start, ends_at=start + datetime.timedelta(hours=2),
        place="城厢小学报告厅", publish=True,
    )  # fmt: skip


def _answered(cast, *, title="孙子写作业太磨蹭了"):
    q = asking.question_ask(
        actor=cast.grandma_zhao, student=cast.students["liu_xiaoyu"], level="county", category="study_habits",
        title=title, body="孙子每天写作业都要拖到晚上十点,我们老人也不会辅导,该怎么办?",
    )  # fmt: skip
    asking.question_claim(actor=cast.expert_huang, question=q)
    asking.question_answer(actor=cast.expert_huang, question=q, body="每天固定时间写作业,先易后难,写完再玩。")
    return q


def _home(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def _section(html: str, name: str) -> str:
    match = re.search(rf'<section class="home-section" data-section="{re.escape(name)}">(.*?)</section>', html, re.S)
    return match.group(1) if match else ""


def test_grandma_sees_the_notice_to_confirm_tomorrows_lecture_and_the_experts_answer(cast, client_for, run_tasks):
    notice = _notice(cast, run_tasks)
    lecture = _lecture(cast)
    registration_create(actor=cast.grandma_zhao, event=lecture, student=cast.students["liu_xiaoyu"])
    question = _answered(cast)

    html = _home(client_for("grandma_zhao"))

    to_answer = _section(html, "notices.to_answer")
    assert "春游回执" in to_answer and "待确认" in to_answer and "刘小宇" in to_answer
    assert f'href="{reverse("notices:detail", args=[notice.pk])}"' in to_answer
    coming = _section(html, "events.registered")
    assert lecture.title in coming and "城厢小学报告厅" in coming and "刘小宇" in coming
    assert timezone.localtime(lecture.starts_at).strftime("%H:%M") in coming
    assert f'href="{reverse("events:detail", args=[lecture.pk])}"' in coming
    to_rate = _section(html, "questions.to_rate")
    assert question.title in to_rate
    assert f'href="{reverse("questions:detail", args=[question.pk])}#rate-form"' in to_rate
    # The order of the day: first what needs her, then what is coming.
    assert html.index('data-group="action"') < html.index('data-group="coming"') < html.index('data-group="recent"')

    # Once confirmed and rated, they move on: nothing needs her, the answer is among the recent ones.
    delivery = Delivery.objects.get(notice=notice, guardian__user=cast.grandma_zhao)
    client_for("grandma_zhao").post(reverse("notices:respond", args=[notice.pk]))
    asking.question_rate(actor=cast.grandma_zhao, question=question, rating=5)
    delivery.refresh_from_db()
    assert delivery.responded_at is not None
    html = _home(client_for("grandma_zhao"))
    assert 'data-empty="action"' in html and "今天没有需要您处理的事" in html
    assert question.title in _section(html, "questions.recent_answers")
    assert "春游回执" in _section(html, "notices.recent")


def test_the_neighbour_sees_none_of_grandmas_items(cast, client_for, run_tasks):
    _notice(cast, run_tasks)  # reaches the whole class: 张伟 has his own copy of it, not hers
    lecture = _lecture(cast)
    registration_create(actor=cast.grandma_zhao, event=lecture, student=cast.students["liu_xiaoyu"])
    question = _answered(cast)

    html = _home(client_for("parent_zhang"))
    assert "刘小宇" not in html
    assert lecture.title not in html and question.title not in html
    assert "张小明" in _section(html, "notices.to_answer")  # his own copy, for his own child
    # Another school's family sees nothing of class a1's notice either.
    html = _home(client_for("parent_sun"))
    assert "春游回执" not in html and lecture.title not in html


def test_an_empty_home_says_what_to_do(cast, client_for):
    html = _home(client_for("grandma_zhao"))
    assert 'data-empty="action"' in html and 'data-empty="coming"' in html and 'data-empty="recent"' in html
    assert f'href="{reverse("events:list")}"' in html and f'href="{reverse("questions:ask")}"' in html
    assert f'href="{reverse("questions:clinic_list")}"' in html


def _grow(cast, run_tasks, n: int) -> None:
    for i in range(n):
        _notice(cast, run_tasks, title=f"回执{i}", run=False)
        _notice(cast, run_tasks, title=f"通知{i}", receipt_mode="read", run=False)
        lecture = _lecture(cast, title=f"讲座第{i}期", days=i + 1)
        registration_create(actor=cast.grandma_zhao, event=lecture, student=cast.students["liu_xiaoyu"])
        _answered(cast, title=f"问题{i}号:作业")
    run_tasks()
    start = timezone.now() + datetime.timedelta(days=3)
    clinic = clinics.clinic_publish(
        actor=cast.expert_huang, county_id=cast.county.pk, title="教育义诊:学习习惯", starts_at=start,
        slot_minutes=20, slots=3, place="县家庭教育指导中心",
    )  # fmt: skip
    slot = clinics_access.slots_of(clinic).first()
    clinics.clinic_book(actor=cast.grandma_zhao, slot=slot, student=cast.students["liu_xiaoyu"], topic="孩子不爱写作业")
    child = topics_access.proposing_child(cast.grandma_zhao, cast.school_a)
    topic = topics.topic_propose(actor=cast.grandma_zhao, student=child, title=f"如何陪孩子阅读{n}")
    topics.topic_schedule(actor=cast.school_admin_liu, topic=topic, title="", starts_at=start,
                          ends_at=start + datetime.timedelta(hours=1), place="报告厅")  # fmt: skip


def test_the_home_runs_a_fixed_number_of_queries_as_the_history_grows(
    cast, client_for, run_tasks, django_assert_max_num_queries
):
    _grow(cast, run_tasks, 1)
    client = client_for("grandma_zhao")
    with CaptureQueriesContext(connection) as small:
        small_html = _home(client)
    _grow(cast, run_tasks, LIMIT + 3)
    with django_assert_max_num_queries(len(small)):
        html = _home(client)
    for name in ("notices.to_answer", "notices.recent", "events.registered", "questions.to_rate"):
        section = _section(html, name)
        assert section.count('class="home-item"') == LIMIT, name
        assert 'class="home-more"' in section, name
    assert _section(html, "questions.clinic_bookings") and _section(html, "questions.scheduled_topics")
    assert _section(small_html, "events.registered").count('class="home-item"') == 1


@pytest.mark.parametrize("care", [False, True])
def test_care_mode_shows_the_same_items_as_tiles_with_read_aloud(cast, client_for, run_tasks, care):
    _notice(cast, run_tasks)
    client = client_for("grandma_zhao")
    if care:
        client.cookies["care_mode"] = "1"
        cast.grandma_zhao.care_mode = True
        cast.grandma_zhao.save()
    html = _home(client)
    assert "春游回执" in _section(html, "notices.to_answer")
    assert ("data-read-aloud" in html) is care
    if care:
        assert re.search(r'<body[^>]*class="[^"]*\bcare\b', html)
        assert html.count("data-read") >= 4  # the greeting and the three groups


# --- the subject teacher's home: their inbox and their school's coming events -------------------------------


def test_the_teacher_sees_the_notices_for_them_and_the_schools_coming_events(cast, client_for, run_tasks):
    lecture = _lecture(cast)
    other = event_create(
        actor=cast.school_admin_wang, kind=Event.Kind.LECTURE, title="另一所学校的讲座", school=cast.school_b,
        audience=Event.Audience.SCHOOL, starts_at=lecture.starts_at, ends_at=lecture.ends_at, place="礼堂", publish=True,
    )  # fmt: skip
    notice = notice_create(
        actor=cast.school_admin_liu, title="教师例会通知", body="周五下午教师例会。",
        audience=Audience(roles=[f"school:{cast.school_a.pk}:teacher"]),
    )  # fmt: skip
    run_tasks()
    response = client_for("teacher_he").get("/")
    html = response.content.decode()
    assert "directory/home_teacher.html" in [t.name for t in response.templates]
    assert re.search(r"<dd data-unit>([^<]*)</dd>", html).group(1) == "全南县城厢小学"
    assert f'href="{reverse("notices:detail", args=[notice.pk])}"' in _section(html, "notices.inbox")
    events = _section(html, "events.school")
    assert f'href="{reverse("events:detail", args=[lecture.pk])}"' in events and other.title not in events
    # The neighbour: another school's head teacher has neither.
    html = _home(client_for("head_teacher_wang"))
    assert "教师例会通知" not in html and lecture.title not in html
    # No guardian section on a teacher's home.
    assert "notices.to_answer" not in client_for("teacher_he").get("/").content.decode()


def test_the_teachers_home_runs_a_fixed_number_of_queries(cast, client_for, run_tasks, django_assert_max_num_queries):
    client = client_for("teacher_he")
    with CaptureQueriesContext(connection) as small:
        _home(client)
    for i in range(LIMIT + 2):
        _lecture(cast, title=f"讲座第{i}期", days=i + 1)
        notice_create(
            actor=cast.school_admin_liu, title=f"例会{i}", body="周五下午教师例会。",
            audience=Audience(roles=[f"school:{cast.school_a.pk}:teacher"]),
        )  # fmt: skip
    run_tasks()
    with django_assert_max_num_queries(len(small)):
        html = _home(client)
    assert _section(html, "events.school").count('class="home-item"') == LIMIT
    assert _section(html, "notices.inbox").count('class="home-item"') == LIMIT
