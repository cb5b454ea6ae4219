"""On a 360 px phone: 赵秀英 walks in to 刘芳's lecture without registering. 刘芳 types "lxy" on the attendance page,
finds her grandson 刘小宇 and checks the family in as a walk-in; 赵秀英's learning record shows the lecture only once
it has ended."""

import datetime
from contextlib import contextmanager

import pytest
import time_machine
from django.utils import timezone

from xieyu.directory.models import Guardian
from xieyu.events import services
from xieyu.events.models import Attendance, Event

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_organiser_checks_in_a_walk_in_and_the_record_credits_it_after_the_end(
    phone_page, browser, live_server, browser_login, cast
):
    @contextmanager
    def phone(persona):
        context = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN", base_url=live_server.url)
        try:
            page = context.new_page()
            page.set_default_timeout(15000)
            browser_login(page, persona)
            yield page
        finally:
            context.close()

    start = timezone.now() + datetime.timedelta(minutes=10)
    lecture = services.event_create(
        actor=cast.school_admin_liu, kind=Event.Kind.LECTURE, title="隔代教养讲座", school=cast.school_a,
        audience=Event.Audience.SCHOOL, place="学校报告厅", starts_at=start,
        ends_at=start + datetime.timedelta(hours=1), publish=True,
    )  # fmt: skip
    zhao = Guardian.objects.get(user=cast.grandma_zhao)

    # 刘芳 opens the lecture's attendance list and searches "lxy".
    admin = phone_page
    browser_login(admin, "school_admin_liu")
    admin.goto(f"/events/{lecture.pk}/")
    admin.locator("main a[href$='/attendance/']").first.click()
    admin.wait_for_url(f"**/events/{lecture.pk}/attendance/")
    admin.locator("main #family-q").fill("lxy")
    admin.locator("main #family-search button[type=submit]").click()
    card = admin.locator("main [data-family='刘小宇']")
    card.wait_for()
    assert "未报名" in card.inner_text()
    _fits(admin)

    # The grandmother, the primary carer, is chosen already; one tap checks the family in.
    assert card.locator("input[type=radio]:checked").get_attribute("value") == str(zhao.pk)
    button = card.locator("button[type=submit]")
    assert button.inner_text() == "签到" and button.bounding_box()["height"] >= 40
    button.click()
    admin.wait_for_selector("main [data-walk-in='刘小宇']")
    assert "赵秀英" in admin.locator("main [data-walk-in='刘小宇']").inner_text()
    assert "刘小宇的家庭已签到(赵秀英)" in admin.locator("main .messages").inner_text()
    assert admin.locator("main [data-attended-count]").inner_text() == "1"
    _fits(admin)
    att = Attendance.objects.get(event=lecture)
    assert (att.method, att.guardian_id) == (Attendance.Method.WALK_IN, zhao.pk)

    # Before the lecture has ended her learning record does not show it; it says one is pending.
    with phone("grandma_zhao") as grandma:
        grandma.goto("/parent-school/record/")
        assert grandma.locator("main [data-record='隔代教养讲座']").count() == 0
        assert grandma.locator("main [data-pending]").is_visible()
        _fits(grandma)

        # Once it has ended, the record shows the session, with the hour credited.
        with time_machine.travel(lecture.ends_at + datetime.timedelta(minutes=1), tick=True):
            grandma.reload()
            row = grandma.locator("main [data-record='隔代教养讲座']")
            row.wait_for()
            assert "1.0h" in row.inner_text() and "赵秀英" in row.inner_text()
            assert grandma.locator("main [data-pending]").count() == 0
            _fits(grandma)
