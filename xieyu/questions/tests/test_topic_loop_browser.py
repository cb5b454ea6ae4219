"""In a real browser at 360 px: the top topic of a school becomes a lecture and its requesters are told."""

import datetime

import pytest
from django.utils import timezone

from xieyu.questions.models import TopicRequest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_top_topic_of_a_school_becomes_a_lecture_and_its_requesters_are_told(
    cast, browser, live_server, phone_page, browser_login, run_tasks, propose, vote
):
    propose(cast.grandma_zhao, "孩子写作业拖拉怎么办")
    page = phone_page
    browser_login(page, "parent_zhang")
    page.goto("/questions/topics/")
    page.fill("main #topic-form input[name=title]", "如何管理孩子用手机")
    page.select_option("main #topic-form select[name=category]", "study_habits")
    page.click("main #topic-form button[type=submit]")
    topic = TopicRequest.objects.get(title="如何管理孩子用手机")
    page.wait_for_selector(f"main #topic-{topic.pk}")
    vote(cast.grandma_zhao, topic)  # 刘小宇's family wants it too: 2 votes, on top

    admin = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN", base_url=live_server.url)
    ap = admin.new_page()
    browser_login(ap, "school_admin_liu")
    ap.goto("/questions/overview/")
    first = ap.locator("main #hot-topics tbody tr").first
    assert "如何管理孩子用手机" in first.inner_text()
    first.locator("a", has_text="安排成讲座").click()
    ap.wait_for_selector("main #schedule-form")
    start = timezone.localtime(timezone.now() + datetime.timedelta(days=7)).replace(hour=19, minute=0)
    ap.fill("main #id_starts_at", start.strftime("%Y-%m-%dT%H:%M"))
    ap.fill("main #id_ends_at", (start + datetime.timedelta(minutes=90)).strftime("%Y-%m-%dT%H:%M"))
    ap.fill("main #id_place", "城厢小学报告厅")
    ap.click("main #schedule-form button[type=submit]")
    ap.wait_for_url("**/events/*/")
    topic.refresh_from_db()
    assert topic.status == "scheduled" and ap.url.endswith(f"/events/{topic.scheduled_event_id}/")
    assert ap.evaluate("document.body.scrollWidth") <= 360
    admin.close()

    run_tasks()  # the worker fans the notice out to the families who asked
    page.goto("/notices/")
    assert "您点单的课题要开讲了" in page.inner_text("main")
    page.goto("/questions/topics/")
    card = page.locator(f"main #topic-{topic.pk}")
    assert "已排课" in card.inner_text() and "开讲" in card.inner_text()
    card.locator("a.lecture-link").click()
    page.wait_for_url(f"**/events/{topic.scheduled_event_id}/")
    assert page.evaluate("document.body.scrollWidth") <= 360
