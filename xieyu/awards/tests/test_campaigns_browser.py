"""In a real browser at 360 px: in the 模范家庭 公示, 孙丽 objects to 刘小宇家庭 with her real name and the facts;
陈建国 upholds the objection from the campaign's control and removes the family; the 公示 list changes: 周杰家庭, next
in line, is now to be selected, and the page never shows who objected."""

from __future__ import annotations

import pytest

from xieyu.awards.campaigns.models import Objection
from xieyu.core.tests.a11y import fits_phone

from .campaigns_fixtures import *  # noqa: F403

pytestmark = pytest.mark.browser
FACTS = "2026年5月该家长在校门口多次辱骂其他学生家长,班主任和多名家长在场,可以作证。"


def _page(browser, live_server):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15000)
    return context, page


def test_the_county_upholds_an_objection_and_the_result_changes(cast, in_publicity, browser, live_server,
                                                                 phone_page, browser_login):  # fmt: skip
    campaign, noms = in_publicity
    liu_xiaoyu, zhou_jie = noms["liu_xiaoyu"], noms["zhou_jie"]
    sun = phone_page
    browser_login(sun, "parent_sun")
    sun.goto(f"/awards/{campaign.pk}/")
    assert sun.get_attribute(f"main [data-nomination='{liu_xiaoyu.pk}']", "data-within") == "1"
    assert sun.get_attribute(f"main [data-nomination='{zhou_jie.pk}']", "data-within") == "0"
    fits_phone(sun)
    item = f"main [data-nomination='{liu_xiaoyu.pk}']"
    sun.click(f"{item} summary")
    sun.fill(f"{item} input[name=phone]", "13800000041")
    sun.fill(f"{item} textarea[name=facts]", FACTS)
    sun.click(f"{item} button[type=submit]")
    sun.wait_for_selector(".messages")
    assert "您的异议已收到" in sun.inner_text(".messages")
    objection = Objection.objects.get()
    assert objection.real_name == "孙丽"

    context, chen = _page(browser, live_server)
    try:
        browser_login(chen, "county_admin_chen")
        chen.goto(f"/awards/{campaign.pk}/")
        form = f"main [data-objection='{objection.pk}'] form"
        chen.select_option(f"{form} select[name=outcome]", "remove")
        chen.fill(f"{form} input[name=reason]", "经向班主任和家长核实,反映情况属实。")
        chen.click(f"{form} button[type=submit]")
        chen.wait_for_selector(f"main [data-objection='{objection.pk}'][data-status='upheld']")
        fits_phone(chen)
    finally:
        context.close()

    sun.goto(f"/awards/{campaign.pk}/")
    assert sun.query_selector(f"main [data-nomination='{liu_xiaoyu.pk}']") is None
    assert sun.get_attribute(f"main [data-nomination='{zhou_jie.pk}']", "data-within") == "1"
    text = sun.inner_text("main #publicity")
    assert "因异议取消入选资格:刘小宇家庭" in text and "成立1条" in text and "孙丽" not in text
    fits_phone(sun)
