"""In a real browser at 360 px: 黄志华 publishes a clinic with slots, 赵秀英 books a slot in care mode saying what
she wants to discuss, 黄志华 sees the booking and records an outcome, and 赵秀英 never sees the outcome."""

import datetime

import pytest
from django.utils import timezone

from xieyu.questions.clinics import services
from xieyu.questions.models import ClinicBooking

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TOPIC = "孙子放学回家不爱说话,想请教怎么和他聊天"
OUTCOME = "奶奶每天陪孙子散步十分钟,先听他讲学校的事。"


def test_an_expert_publishes_a_clinic_a_grandmother_books_and_the_outcome_stays_private(
    cast, browser, live_server, phone_page, browser_login
):
    expert = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN", base_url=live_server.url)
    ep = expert.new_page()
    ep.set_default_timeout(15000)
    browser_login(ep, "expert_huang")
    ep.goto("/questions/clinics/mine/")
    ep.click("main a[href='/questions/clinics/new/']")
    day = timezone.localdate() + datetime.timedelta(days=3)
    ep.fill("main #id_title", "家庭教育义诊:隔代沟通")
    ep.fill("main #id_place", "县家庭教育指导中心")
    ep.fill("main #id_date", day.isoformat())
    ep.fill("main #id_start_time", "14:00")
    ep.fill("main #id_slot_minutes", "30")
    ep.fill("main #id_slots", "3")
    ep.click("main #clinic-form button[type=submit]")
    ep.wait_for_selector("main #slots")
    assert ep.locator("main #slots > li").count() == 3
    clinic_url = ep.url

    page = phone_page
    browser_login(page, "grandma_zhao")
    page.goto("/questions/")
    page.click("header .care-toggle button")
    page.wait_for_selector("body.care")
    page.click("main #clinics-link")
    page.click("main .clinic .slots a.btn >> nth=0")
    page.fill("main #id_topic", TOPIC)
    page.click("main #book-form button[type=submit]")
    page.wait_for_selector("main [data-booking]")
    assert TOPIC in page.inner_text("main [data-booking]")
    assert page.evaluate("document.body.scrollWidth") <= 360
    booking = ClinicBooking.objects.get()

    ep.goto(clinic_url)
    assert "赵秀英" in ep.inner_text("main #slots") and "138****0032" in ep.inner_text("main #slots")
    assert TOPIC in ep.inner_text("main #slots")
    ep.click(f"main a[href='/questions/clinics/appointments/{booking.pk}/']")
    ep.fill("main #outcome-form textarea", OUTCOME)
    ep.click("main #outcome-form button[type=submit]")
    ep.wait_for_selector("main .msg-success")
    expert.close()
    assert ClinicBooking.objects.get().outcome == OUTCOME

    page.reload()
    assert OUTCOME not in page.content()
    response = page.goto(f"/questions/clinics/appointments/{booking.pk}/")
    assert response.status == 404 and OUTCOME not in page.content()


def test_a_grandmother_reaches_the_clinics_from_the_nav_at_360_px(cast, phone_page, browser_login):
    """One short nav entry ("义诊预约") under "更多": the nav's top row holds whole, tap-sized entries that all fit the
    phone, the page never grows wider than the phone, and the entry takes her to the upcoming clinics."""
    start = timezone.localtime(timezone.now() + datetime.timedelta(days=3)).replace(hour=14, minute=0, second=0)
    services.clinic_publish(actor=cast.expert_huang, county_id=cast.county.pk, title="家庭教育义诊:隔代沟通",
                            starts_at=start, slot_minutes=30, slots=2, place="县家庭教育指导中心")  # fmt: skip
    page = phone_page
    browser_login(page, "grandma_zhao")
    page.goto("/")
    nav = page.locator("nav.mainnav")
    entries = nav.locator("a[href='/questions/clinics/']")
    assert entries.count() == 1 and entries.text_content().strip() == "义诊预约"
    boxes = page.evaluate(
        """() => [...document.querySelectorAll('nav.mainnav > ul > li > a, nav.mainnav summary')].map(a => {
             const r = a.getBoundingClientRect();
             return {top: r.top, height: r.height, right: r.right, fits: a.scrollWidth <= a.clientWidth};
           })"""
    )
    assert len({round(b["top"]) for b in boxes}) == 1  # one row, nothing wraps onto a second line
    assert all(b["height"] >= 40 and b["fits"] and b["right"] <= 360 for b in boxes)  # tap-sized, whole, in view
    assert page.evaluate("document.body.scrollWidth") <= 360
    nav.locator("summary").click()  # 更多
    entries.click()
    page.wait_for_url("**/questions/clinics/")
    assert "家庭教育义诊:隔代沟通" in page.inner_text("main")
    assert page.locator("nav.mainnav a[aria-current=page]").text_content().strip() == "义诊预约"
    assert page.evaluate("document.body.scrollWidth") <= 360
