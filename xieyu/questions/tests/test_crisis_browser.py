"""In a real browser at 360 px: a parent types alarming words and sees the 12355 hotline before sending."""

import pytest

pytestmark = pytest.mark.browser


def test_a_parent_typing_alarming_words_sees_the_hotline_before_sending(cast, phone_page, browser_login):
    page = phone_page
    browser_login(page, "grandma_zhao")
    page.goto("/questions/ask/")
    page.fill("main #id_title", "孩子的情况")
    page.fill("main #id_body", "孩子这几天总说不想活了,我很害怕")
    page.wait_for_selector("main #similar [data-hotline]")
    assert "12355" in page.inner_text("main #similar")
    assert page.locator("main #similar a[href='tel:12355']").count() == 1
    assert page.evaluate("document.body.scrollWidth") <= 360
