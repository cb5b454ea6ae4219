"""In a real browser at 360 px: 何静 writes a 双减 expert interview in the editor and puts it forward for the county
column; 刘芳 reviews it, 陈建国 publishes it (三审); 刘芳 pushes it to 城厢小学's families; 赵秀英, in care mode, opens
it from her inbox and has it read aloud; a visitor without an account reads it in the public column."""

from __future__ import annotations

import json

import pytest

from xieyu.core.tests.a11y import fits_phone
from xieyu.core.tests.test_read_aloud_browser import FAKE_SPEECH
from xieyu.publicity.articles.models import Article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "双减专家访谈:孩子的睡眠回来了"


def _new_page(browser, live_server):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15000)
    return context, page


def test_an_interview_goes_through_review_to_families_and_is_read_aloud(cast, browser, live_server, phone_page,
                                                                        browser_login, run_tasks):  # fmt: skip
    he = phone_page
    browser_login(he, "teacher_he")
    he.goto("/column/articles/new/")
    fits_phone(he)
    form = he.locator("main #article-form")
    form.locator("input[name=title]").fill(TITLE)
    form.locator("select[name=category]").select_option("interview")
    form.locator("textarea[name=summary]").fill("黄志华老师谈作业减负后孩子的作息。")
    area = form.locator(".rich-area")
    area.click()
    he.keyboard.type("作业少了,孩子九点前就能睡觉。")
    form.locator("input[name=county_wide]").check()
    form.locator("input[name=is_public]").check()
    form.locator("button[type=submit]").click()
    he.wait_for_url("**/edit/")
    article = Article.objects.get()
    assert "九点前就能睡觉" in article.body and article.county_wide
    he.locator("main #submit-form button").click()
    he.wait_for_url("**/column/articles/")
    assert "待审核" in he.inner_text("main #my-articles")

    for persona, expected in (("school_admin_liu", Article.Status.TO_PUBLISH),
                              ("county_admin_chen", Article.Status.PUBLISHED)):  # fmt: skip
        context, page = _new_page(browser, live_server)
        try:
            browser_login(page, persona)
            page.goto("/column/articles/review/")
            page.click(f"main #queue [data-article='{article.pk}'] a")
            fits_phone(page)
            page.locator("main #decision input[name=decision][value=approve]").check()
            page.click("main #decision button[type=submit]")
            page.wait_for_url("**/column/articles/review/")
        finally:
            context.close()
        article.refresh_from_db()
        assert article.status == expected, persona

    context, liu = _new_page(browser, live_server)
    try:
        browser_login(liu, "school_admin_liu")
        liu.goto(f"/column/a/{article.pk}/")
        fits_phone(liu)
        liu.locator(f"main #push input[value='school:{cast.school_a.pk}']").check()
        liu.click("main #push button[type=submit]")
        liu.wait_for_url("**/receipts/")
    finally:
        context.close()
    run_tasks()

    context, grandma = _new_page(browser, live_server)
    try:
        grandma.add_init_script(script=FAKE_SPEECH % json.dumps("chinese"))
        browser_login(grandma, "grandma_zhao")
        grandma.click("header.topbar .care-toggle button")
        grandma.wait_for_selector("body.care")
        grandma.goto("/notices/")
        grandma.locator("#inbox li", has_text=TITLE).locator("a").first.click()
        grandma.click("main a.btn.big")  # 打开: the article itself
        grandma.wait_for_url(f"**/column/a/{article.pk}/")
        fits_phone(grandma)
        grandma.click("main [data-read-aloud]")
        grandma.wait_for_function("window.speechSynthesis.spoken.length > 0")
        spoken = "".join(s["text"] for s in grandma.evaluate("window.speechSynthesis.spoken"))
        assert TITLE in spoken and "九点前就能睡觉" in spoken and "推送" not in spoken
    finally:
        context.close()

    context, visitor = _new_page(browser, live_server)
    try:
        visitor.goto("/column/")
        fits_phone(visitor)
        visitor.click(f"main [data-article='{article.pk}'] a")
        visitor.wait_for_url(f"**/column/a/{article.pk}/")
        assert visitor.title().startswith(TITLE)
        assert "九点前就能睡觉" in visitor.inner_text("main .article-body")
        fits_phone(visitor)
    finally:
        context.close()
