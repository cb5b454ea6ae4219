"""The issue's story on 360 px phones: 刘芳 establishes 城厢小学's parent school and plans and publishes a lecture;
张伟 and 赵秀英 register, scan the rotating code on the hall screen and check in; 张伟 gives feedback; 李娜 sees
the families that never came (周杰's) and logs a phone call; 陈建国 sees coverage with 全南二中 below two sessions."""

import datetime
from contextlib import contextmanager

import pytest
from django.utils import timezone

from xieyu.events.models import Attendance, Feedback, Registration
from xieyu.parentschool.models import FollowUp, Session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def _local(dt: datetime.datetime) -> str:
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def test_a_term_lecture_from_plan_to_coverage(phone_page, browser, live_server, browser_login, cast):
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

    # 刘芳 opens her school's parent school from the menu and establishes it.
    admin = phone_page
    browser_login(admin, "school_admin_liu")
    admin.locator("nav.mainnav summary").click()  # 更多
    admin.locator(f"nav.mainnav a[href$='/parent-school/school/{cast.school_a.pk}/']").first.click()
    admin.wait_for_url(f"**/parent-school/school/{cast.school_a.pk}/")
    main = admin.locator("main")
    form = main.locator("#establish-form")
    form.locator("input[name=established_on]").fill("2024-09-01")
    form.locator("input[name=person_in_charge]").fill("刘芳")
    form.locator("button[type=submit]").click()
    admin.wait_for_selector("main #term-plan")
    _fits(admin)

    # She plans this term's lecture, starting in ten minutes, and publishes it.
    start = timezone.now() + datetime.timedelta(minutes=10)
    form = main.locator("#session-form")
    form.locator("input[name=title]").fill("如何与孩子沟通作业问题")
    form.locator("select[name=kind]").select_option("lecture")
    form.locator("input[name=place]").fill("学校报告厅")
    form.locator("input[name=starts_at]").fill(_local(start))
    form.locator("input[name=ends_at]").fill(_local(start + datetime.timedelta(hours=1)))
    form.locator("button[type=submit]").click()
    admin.wait_for_selector("main [data-session='如何与孩子沟通作业问题']")
    session = Session.objects.select_related("event").get()
    assert session.event.status == "published"
    _fits(admin)

    # She adds a one-statement before/after questionnaire to it.
    admin.goto(f"/parent-school/session/{session.event.pk}/")
    admin.locator("main #question-form input[name=text]").fill("我知道如何与孩子沟通作业问题")
    admin.locator("main #question-form button[type=submit]").click()
    admin.wait_for_selector("main [data-statement='我知道如何与孩子沟通作业问题']")

    # 张伟 and 赵秀英 find it among their events and register.
    for persona, child in (("parent_zhang", "张小明"), ("grandma_zhao", "刘小宇")):
        with phone(persona) as guardian:
            guardian.goto("/events/")
            guardian.locator(f"main a[href='/events/{session.event.pk}/']").first.click()
            guardian.wait_for_url(f"**/events/{session.event.pk}/")
            guardian.locator("main form[action$='/register/'] button[type=submit]").click()
            guardian.wait_for_selector(f"main [data-registration='{child}']")
            _fits(guardian)
            if persona == "parent_zhang":  # he answers the questionnaire before the session
                guardian.locator("main a[data-session-link]").click()
                guardian.locator("main #survey-before input[type=radio][value='2']").check()
                guardian.check("main #survey-before input[name='before-consent']")
                guardian.locator("main #survey-before button[type=submit]").click()
                guardian.wait_for_selector("main #survey-before [data-answered]")
                _fits(guardian)
    assert Registration.objects.filter(event=session.event, status="registered").count() == 2

    # The organiser puts the rotating check-in code on the screen; its payload is the link under the QR.
    admin.goto(f"/events/{session.event.pk}/")
    admin.locator("main a[href$='/qr/']").click()
    admin.wait_for_url("**/qr/")
    assert admin.locator("main #qr svg").count() == 1
    _fits(admin)
    scan_url = admin.locator("main [data-scan-url]").get_attribute("href")
    assert f"/events/{session.event.pk}/scan/?s=" in scan_url

    # Each guardian "scans" it: opens the payload on their phone and checks in with one tap.
    for persona, child in (("parent_zhang", "张小明"), ("grandma_zhao", "刘小宇")):
        with phone(persona) as guardian:
            guardian.goto(scan_url)
            button = guardian.locator("main form button[type=submit]")
            assert button.bounding_box()["height"] >= 40
            button.click()
            guardian.wait_for_selector("main [data-checked-in]")
            assert child in guardian.locator("main [data-checked-in]").inner_text()
            _fits(guardian)
            if persona == "parent_zhang":
                # … and gives feedback on the event's page.
                guardian.locator(f"main a[href$='/events/{session.event.pk}/']").click()
                guardian.wait_for_selector("main #feedback")
                guardian.locator("main #feedback input[name=rating][value='5']").check()
                guardian.locator("main #feedback textarea[name=comment]").fill("很实用,学到了和孩子沟通的方法")
                guardian.locator("main #feedback button[type=submit]").click()
                guardian.wait_for_selector("main [data-my-feedback]")
                # … and answers the questionnaire again, after the session.
                guardian.locator("main a[data-session-link]").click()
                guardian.locator("main #survey-after input[type=radio][value='4']").check()
                guardian.check("main #survey-after input[name='after-consent']")
                guardian.locator("main #survey-after button[type=submit]").click()
                guardian.wait_for_selector("main #survey-after [data-answered]")
    assert Attendance.objects.filter(event=session.event, method="qr").count() == 2
    assert Feedback.objects.get(event=session.event).rating == 5

    # The organiser's figures show both families came.
    admin.goto(f"/events/{session.event.pk}/")
    assert admin.locator("main [data-attended-count]").inner_text() == "2"
    admin.goto(f"/parent-school/session/{session.event.pk}/")
    assert admin.locator("main [data-question-overall] [data-change]").inner_text() == "+2.0"

    # 李娜 sees which families of her class never came this term and logs a call to 周杰's father.
    with phone("head_teacher_li") as teacher:
        teacher.locator("nav.mainnav summary").click()  # 更多
        teacher.locator("nav.mainnav a[href*='/reach/']").first.click()
        teacher.wait_for_url(f"**/parent-school/class/{cast.class_a1.pk}/reach/")
        families = teacher.locator("main [data-family]")
        names = {families.nth(i).get_attribute("data-family") for i in range(families.count())}
        assert names == {"周杰", "钱多多"}
        zhou = teacher.locator("main [data-family='周杰']")
        zhou.locator("select[name=method]").select_option("phone")
        zhou.locator("input[name=reason]").fill("外出务工,周末回家")
        zhou.locator("button[type=submit]").click()
        teacher.wait_for_selector("main [data-family='周杰'] [data-followed-up]")
        _fits(teacher)
    assert FollowUp.objects.get().student == cast.students["zhou_jie"]

    # 陈建国 sees the county's coverage: 全南二中 is flagged below two sessions (and so, with one, is 城厢小学).
    with phone("county_admin_chen") as county:
        county.locator("nav.mainnav summary").click()  # 更多
        county.locator("nav.mainnav a[href*='/parent-school/county/']").first.click()
        county.wait_for_url(f"**/parent-school/county/{cast.county.pk}/")
        second = county.locator("main [data-school='全南县第二中学']")
        assert second.get_attribute("data-behind") is not None
        assert "2" in second.locator("[data-below]").inner_text()
        first = county.locator("main [data-school='全南县城厢小学']")
        assert first.locator("[data-sessions]").inner_text().startswith("1")
        _fits(county)
