"""In a real browser at 360 px: 刘芳 writes a typical case for 城厢小学 with a photo and submits it; 陈建国 publishes
it from the cases in progress; 张伟 finds it in the library by its theme."""

from __future__ import annotations

import io

import pytest

from xieyu.core.tests.a11y import fits_phone
from xieyu.publicity.cases.models import Case

pytestmark = pytest.mark.browser


def _page(browser, live_server):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15000)
    return context, page


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (1200, 800), (30, 140, 90)).save(out, format="PNG")
    return out.getvalue()


def test_a_school_submits_a_case_the_county_publishes_it_and_it_is_in_the_library(cast, browser, live_server,
                                                                                  phone_page, browser_login):  # fmt: skip
    liu = phone_page
    browser_login(liu, "school_admin_liu")
    liu.goto("/column/cases/")
    liu.click("main #write-case")
    fits_phone(liu)
    liu.fill("#case-form input[name=title]", "家长学校周末课堂进社区")
    liu.select_option("#case-form select[name=theme]", "parent_school")
    liu.fill("#case-form textarea[name=background]", "家长多在县城务工,工作日难以到校。")
    liu.fill("#case-form textarea[name=actions]", "把家长学校搬到社区,每月两个周六上午开课。")
    liu.fill("#case-form textarea[name=results]", "到课家长增加到90多人。")
    liu.fill("#case-form textarea[name=replicable]", "课程时间跟着家长走。")
    liu.click("#case-form button[type=submit]")
    liu.wait_for_selector("main #case-status[data-status='draft']")
    liu.set_input_files("#photo-form input[name=file]",
                        files=[{"name": "课堂.png", "mimeType": "image/png", "buffer": _png()}])  # fmt: skip
    liu.fill("#photo-form input[name=caption]", "周六上午的课堂")
    liu.click("#photo-form button[type=submit]")
    liu.wait_for_selector("main #photos figure")
    liu.click("main #submit-case")
    liu.wait_for_selector("main #case-status[data-status='submitted']")
    fits_phone(liu)
    case = Case.objects.get()

    context, chen = _page(browser, live_server)
    try:
        browser_login(chen, "county_admin_chen")
        chen.goto("/column/cases/work/")
        chen.click(f"main [data-case='{case.pk}'] a")
        fits_phone(chen)
        chen.click("main #publish-case")
        chen.wait_for_selector(".messages")
        assert "已发布到案例库" in chen.inner_text(".messages")
    finally:
        context.close()

    context, zhang = _page(browser, live_server)
    try:
        browser_login(zhang, "parent_zhang")
        zhang.goto("/column/cases/")
        zhang.select_option("#case-search select[name=theme]", "parent_school")
        zhang.click("#case-search button[type=submit]")
        zhang.click(f"main [data-case='{case.pk}'] a")
        assert "课程时间跟着家长走" in zhang.inner_text("main")
        photo = zhang.locator("main #photos img")
        photo.scroll_into_view_if_needed()
        zhang.wait_for_function("img => img.complete", arg=photo.element_handle())
        assert photo.evaluate("img => img.naturalWidth") == 1200
        fits_phone(zhang)
    finally:
        context.close()
