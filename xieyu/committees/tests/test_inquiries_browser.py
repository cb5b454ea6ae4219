"""In a real browser at 360 px: nine guardians of 三年级1班 have co-signed an inquiry on homework; 赵秀英 co-signs
from her home page as the tenth and it is filed; 刘芳 acknowledges and answers it within the clock; 赵秀英 reads
the signed answer."""

import pytest

from xieyu.committees.inquiries import services
from xieyu.committees.inquiries.models import Inquiry
from xieyu.demo.committees_inquiries import class_guardian_users

pytestmark = pytest.mark.browser


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def _new_page(browser, live_server):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15000)
    return context, page


def test_ten_guardians_co_sign_and_the_school_answers_in_time(cast, browser, live_server, phone_page, browser_login):
    others = class_guardian_users(cast.class_a1, 8, exclude={u.pk for u in cast.users.values()})
    inquiry = services.inquiry_draft_create(
        actor=cast.parent_zhang, level="class", unit_id=cast.class_a1.pk, subject="homework",
        title="三年级1班书面作业时间过长",
        facts="本学期三年级1班每天书面作业普遍需要90分钟以上,孩子常常写到晚上十点。", asked="请把作业控制在60分钟以内。",
    )  # fmt: skip
    for user in others:
        services.inquiry_sign(actor=user, inquiry=inquiry)
    zhao = phone_page
    browser_login(zhao, "grandma_zhao")
    zhao.goto("/")
    zhao.click(f"main [data-item='inquiry-{inquiry.pk}'] a")
    assert "9/10" in zhao.inner_text("main #inquiry")
    _fits(zhao)
    zhao.click("main #sign")
    zhao.wait_for_selector("main #inquiry[data-state=filed]")
    assert "提交学校" in zhao.inner_text("main .messages")
    inquiry.refresh_from_db()
    assert inquiry.state == Inquiry.State.FILED and inquiry.signature_count == 10

    context, liu = _new_page(browser, live_server)
    try:
        browser_login(liu, "school_admin_liu")
        liu.goto(f"/committees/inquiries/{inquiry.pk}/")
        liu.click("main #acknowledge")
        liu.wait_for_selector("main #inquiry[data-state=acknowledged]")
        liu.fill("main #answer-form textarea[name=body]", "学校已核实,自下周一起每日公示作业,总量不超过60分钟。")
        _fits(liu)
        liu.click("main #publish-answer")
        liu.wait_for_selector("main #inquiry[data-state=answered]")
        assert "按时答复" in liu.inner_text("main #inquiry")
    finally:
        context.close()

    zhao.goto(f"/committees/inquiries/{inquiry.pk}/")
    assert "每日公示作业" in zhao.inner_text("main #answer")
    assert "签署:刘芳,校长" in zhao.inner_text("main #signature")
    _fits(zhao)
    zhao.click("main #accept")
    zhao.wait_for_selector("main #inquiry[data-state=accepted]")
