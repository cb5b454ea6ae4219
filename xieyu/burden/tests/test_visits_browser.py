"""In a real browser at 360 px: 李娜 records a visit to 钱多多's family with a follow-up, and her class's coverage
rises; then she opens a homework meeting from her class's burden flag."""

import pytest

from xieyu.burden.models import HomeVisit, VisitFollowUp
from xieyu.events.models import Event

from .visits_support import open_flag

pytestmark = pytest.mark.browser


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_li_records_a_visit_and_opens_a_homework_meeting_from_her_flag(cast, phone_page, browser_login):
    flag = open_flag(cast)
    page = phone_page
    browser_login(page, "head_teacher_li")
    page.goto("/burden/visits/")
    assert "本学年还没有家访" in page.inner_text("main #coverage")
    _fits(page)
    student = cast.students["qian_duoduo"]
    page.click(f"main #family-{student.pk} a[href$='/new/']")
    page.check("main #id_met input[type=checkbox] >> nth=0")
    page.fill("main #id_discussed", "外婆没有手机,通知由老师当面转达。")
    page.fill("main #id_fu_text_1", "把家长会通知打印给外婆")
    page.select_option("main #id_fu_owner_1", label="李娜")
    page.fill("main #id_fu_days_1", "3")
    _fits(page)
    page.click("main #visit-form button[type=submit]")
    page.wait_for_selector("main #visit")
    assert "把家长会通知打印给外婆" in page.inner_text("main #follow-ups")
    _fits(page)
    visit = HomeVisit.objects.get(student=student)
    assert VisitFollowUp.objects.filter(visit=visit, owner=cast.head_teacher_li).exists()
    page.goto("/burden/visits/")
    assert "1 / 4" in page.inner_text("main #coverage")

    page.goto(f"/burden/visits/flags/{flag.pk}/meeting/")
    assert page.input_value("main #id_title").startswith("课后作业恳谈会")
    _fits(page)
    page.click("main #meeting-form button[type=submit]")
    page.wait_for_selector("main h1")
    flag.refresh_from_db()
    assert flag.meeting is not None and flag.meeting.kind == Event.Kind.HOMEWORK_MEETING
    _fits(page)
