"""In a real browser at 360 px: 刘芳 enters 城厢小学's after-school schedule without Friday and ending at 17:00;
陈建国 sees the school among those short of the "5+2" rule."""

import pytest

pytestmark = pytest.mark.browser


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_school_enters_its_schedule_and_the_county_sees_it_short(
    cast, browser, live_server, phone_page, browser_login
):
    page = phone_page
    browser_login(page, "school_admin_liu")
    page.goto("/burden/after-school/")
    for n in range(1, 5):
        page.check(f"main input[name=held_{n}]")
        page.fill(f"main input[name=start_{n}]", "15:30")
        page.fill(f"main input[name=end_{n}]", "17:00")
    _fits(page)
    page.click("main form.afterschool-form button[type=submit]")
    page.wait_for_selector("main [data-problems]")
    assert "5 个上学日中只有 4 天" in page.inner_text("main")

    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN", base_url=live_server.url)
    chen = context.new_page()
    chen.set_default_timeout(15000)
    try:
        browser_login(chen, "county_admin_chen")
        chen.goto("/burden/after-school/county/")
        card = chen.locator(f"main [data-school='{cast.school_a.pk}']")
        assert "不足 2 小时" in card.inner_text() and "早于下班时间" in card.inner_text()
        _fits(chen)
    finally:
        context.close()
