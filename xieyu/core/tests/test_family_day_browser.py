"""Issue 9, "a family's day on one page", done when — one story on a 360 px phone:

1. 赵秀英 (grandma_zhao), in care mode, opens her home and sees the notice she must confirm, tomorrow's lecture and
   the expert's answer to her question;
2. a parent typing "不想活了" into the ask form sees the 12355 hotline before sending;
3. 周敏 (counsellor_zhou)'s home shows the urgent alert with the family's phone as a tel: link;
4. 刘芳, the organiser, checks a walk-in grandparent in, and the learning record credits the lecture only once it
   has ended;
and axe-core finds no serious or critical violation on any of those pages.
"""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from xieyu.events import services as events
from xieyu.events.models import Attendance, Event
from xieyu.notices.audience import Audience
from xieyu.notices.services import notice_create
from xieyu.questions.asking import services as questions
from xieyu.questions.models import Question

from .a11y import run_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SELF_HARM = "孙子这几天总说不想活了,昨天还看到他手腕上有划痕,我不知道该怎么办"


@pytest.fixture(autouse=True)
def _settings(db, settings, tmp_path):
    settings.SMS_SENDER = "xieyu.accounts.sms.LoggingSender"
    settings.MEDIA_ROOT = tmp_path / "media"


def _no_serious_axe_violation(page, label: str) -> None:
    found = run_axe(page)
    assert not found, f"{label}: " + "; ".join(f"[{v['impact']}] {v['id']} {v['nodes'][:2]}" for v in found)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, f"{label} scrolls sideways"


def test_a_familys_day_on_one_page(cast, phone, run_tasks):
    li, grandma, xiaoyu = cast.head_teacher_li, cast.grandma_zhao, cast.students["liu_xiaoyu"]

    # What the day holds: 李娜's notice to confirm, tomorrow's lecture at school, an expert's answer.
    notice = notice_create(actor=li, title="周五家长会", body="本周五下午三点召开家长会,请准时参加。",
                           receipt_mode="confirm", audience=Audience(classes=[cast.class_a1.pk]))  # fmt: skip
    run_tasks()
    tomorrow = timezone.localtime(timezone.now() + datetime.timedelta(days=1)).replace(hour=15, minute=0, second=0)
    talk = events.event_create(
        actor=cast.school_admin_liu, kind=Event.Kind.LECTURE, title="明日讲座:隔代沟通", school=cast.school_a,
        audience=Event.Audience.SCHOOL, place="学校报告厅", starts_at=tomorrow,
        ends_at=tomorrow + datetime.timedelta(hours=1), publish=True,
    )  # fmt: skip
    events.registration_create(actor=grandma, event=talk, student=xiaoyu)
    asked = questions.question_ask(actor=grandma, student=xiaoyu, level="county", category="homework",
                                   title="孙子作业写到很晚", body="孙子每天作业要写到晚上十点,我看不懂题目,怎么帮他?")  # fmt: skip
    questions.question_claim(actor=cast.expert_huang, question=asked)
    questions.question_answer(actor=cast.expert_huang, question=asked,
                              body="请奶奶每天七点提醒他先做作业,不会的题目第二天问老师。")  # fmt: skip

    # 1. 赵秀英's home in care mode: the notice to confirm, tomorrow's lecture, the expert's answer.
    home = phone("grandma_zhao", care=True)
    home.goto("/")
    assert "care" in (home.get_attribute("body", "class") or "").split()
    main = home.locator("main")
    assert main.locator(f"[data-item='notice-{notice.pk}']").is_visible()
    assert "周五家长会" in main.locator(f"[data-item='notice-{notice.pk}']").inner_text()
    assert "明日讲座:隔代沟通" in main.locator(f"[data-item='event-{talk.pk}']").inner_text()
    assert main.locator(f"[data-item='question-{asked.pk}']").count() >= 1
    assert "孙子作业写到很晚" in main.locator(f"[data-item='question-{asked.pk}']").first.inner_text()
    _no_serious_axe_violation(home, "grandmother's home (care mode)")

    # 2. A parent typing alarming words sees 12355 before sending anything.
    ask = phone("parent_zhang")
    ask.goto("/questions/ask/")
    ask.fill("main #id_title", "孩子的情况")
    ask.fill("main #id_body", "孩子这几天总说不想活了,我很害怕")
    ask.wait_for_selector("main #similar [data-hotline]")
    assert "12355" in ask.inner_text("main #similar")
    assert ask.locator("main #similar a[href='tel:12355']").count() == 1
    assert not Question.objects.filter(asker=cast.parent_zhang).exists()  # nothing sent yet
    _no_serious_axe_violation(ask, "ask form with the hotline")

    # 3. 赵秀英's urgent question: 周敏's home shows the alert and the family's phone to call.
    urgent = questions.question_ask(actor=grandma, student=xiaoyu, level="county", category="emotions",
                                    title="孙子说活着没意思", body=SELF_HARM)  # fmt: skip
    assert urgent.is_urgent
    counsellor = phone("counsellor_zhou")
    counsellor.goto("/")
    card = counsellor.locator("main [data-alerts-card]")
    assert "孙子说活着没意思" in card.locator("[data-alert=urgent]").inner_text()
    call = card.locator(f"[data-family-phones] a[href='tel:{grandma.phone}']")
    assert call.is_visible() and "赵秀英" in call.inner_text()
    _no_serious_axe_violation(counsellor, "counsellor's home")

    # 4. A walk-in: 刘芳 checks 赵秀英 in at a lecture about to start; the record credits it once it has ended.
    start = timezone.now() + datetime.timedelta(minutes=10)
    lecture = events.event_create(
        actor=cast.school_admin_liu, kind=Event.Kind.LECTURE, title="隔代教养讲座", school=cast.school_a,
        audience=Event.Audience.SCHOOL, place="学校报告厅", starts_at=start,
        ends_at=start + datetime.timedelta(hours=1), publish=True,
    )  # fmt: skip
    organiser = phone("school_admin_liu")
    organiser.goto(f"/events/{lecture.pk}/attendance/")
    organiser.locator("main #family-q").fill("lxy")
    organiser.locator("main #family-search button[type=submit]").click()
    family = organiser.locator("main [data-family='刘小宇']")
    family.wait_for()
    assert "未报名" in family.inner_text()
    family.locator("button[type=submit]").click()
    organiser.wait_for_selector("main [data-walk-in='刘小宇']")
    assert "赵秀英" in organiser.locator("main [data-walk-in='刘小宇']").inner_text()
    _no_serious_axe_violation(organiser, "attendance with a walk-in")
    attendance = Attendance.objects.get(event=lecture)
    assert attendance.method == Attendance.Method.WALK_IN and attendance.guardian.user == grandma

    home.goto("/parent-school/record/")
    assert home.locator("main [data-record='隔代教养讲座']").count() == 0
    assert home.locator("main [data-pending]").is_visible()
    _no_serious_axe_violation(home, "learning record before the end (care mode)")
    with time_machine.travel(lecture.ends_at + datetime.timedelta(minutes=1), tick=True):
        home.reload()
        row = home.locator("main [data-record='隔代教养讲座']")
        row.wait_for()
        assert "赵秀英" in row.inner_text()
        assert home.locator("main [data-pending]").count() == 0
        _no_serious_axe_violation(home, "learning record after the end (care mode)")
