"""In a real browser at 360 px: 张伟 opens the 新高考 page, picks 物理 + 化学 + 生物 and sees which majors stay open
(the result swapped in by htmx); a visitor without login does the same through the plain GET form."""

from __future__ import annotations

import pytest

from xieyu.core.tests.a11y import fits_phone

from .gaokao_cases_fixtures import majors  # noqa: F401

pytestmark = pytest.mark.browser


def _pick(page, first: str, subjects: list[str]) -> None:
    page.check(f"#helper-form input[name=first][value={first}]")
    for s in subjects:
        page.check(f"#helper-form input[name=subjects][value={s}]")
    page.click("#helper-form button[type=submit]")


def test_a_parent_picks_physics_chemistry_biology_and_sees_the_open_majors(cast, majors, phone_page, browser_login):  # noqa: F811
    zhang = phone_page
    browser_login(zhang, "parent_zhang")
    zhang.goto("/column/gaokao/")
    assert "3+1+2" in zhang.inner_text("main #model-3-1-2")
    fits_phone(zhang)
    _pick(zhang, "physics", ["chemistry", "biology"])
    zhang.wait_for_selector("main #open-majors")
    text = zhang.inner_text("main #open-majors")
    assert "物理+化学+生物" in text and "临床医学" in text
    assert zhang.locator("main #open-majors .majors-open [data-major='临床医学']").count() == 1
    assert zhang.locator("main #open-majors .majors-open [data-major='历史学']").count() == 0
    assert "first=physics" in zhang.url  # the choice is in the address: shareable, and back works
    fits_phone(zhang)


def test_without_login_the_plain_form_answers_too(cast, majors, browser, live_server):  # noqa: F811
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN", base_url=live_server.url,
                                  java_script_enabled=False)  # fmt: skip
    try:
        page = context.new_page()
        page.goto("/column/gaokao/")
        _pick(page, "history", ["politics", "geography"])
        page.wait_for_selector("main #open-majors")
        assert page.locator("main #open-majors .majors-open [data-major='历史学']").count() == 1
        assert page.locator("main #open-majors .majors-open [data-major='临床医学']").count() == 0
    finally:
        context.close()


def test_the_county_admins_table_pages_fit_a_phone(cast, majors, phone_page, browser_login):  # noqa: F811
    chen = phone_page
    browser_login(chen, "county_admin_chen")
    chen.goto("/column/gaokao/table/")
    assert chen.locator("main #majors [data-major]").count() == 50  # the first page
    fits_phone(chen)
    chen.click("main #majors [data-major='护理学'] a")
    chen.wait_for_selector("main #major-form")
    fits_phone(chen)
    chen.goto("/column/cases/work/")
    fits_phone(chen)
