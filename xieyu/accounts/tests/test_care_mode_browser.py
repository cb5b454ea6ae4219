"""关怀版 on a 360 px phone: text at least 1.25× larger, touch targets at least 48 px, contrast at least 7:1."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONTRAST_JS = """
(el) => {
  const rgb = (c) => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const bgOf = (node) => {
    for (; node; node = node.parentElement) {
      const c = getComputedStyle(node).backgroundColor;
      if (c && !c.startsWith("rgba(0, 0, 0, 0)") && c !== "transparent") return c;
    }
    return "rgb(255, 255, 255)";
  };
  const a = lum(rgb(getComputedStyle(el).color)), b = lum(rgb(bgOf(el)));
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}
"""


def measure(page):
    button = page.locator("main button[type=submit]").first
    label = page.locator("main label").first
    return {
        "font": page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)"),
        "button_height": button.bounding_box()["height"],
        "input_height": page.locator("main input[name=phone]").bounding_box()["height"],
        "text_contrast": label.evaluate(CONTRAST_JS),
        "button_contrast": button.evaluate(CONTRAST_JS),
        "width": page.evaluate("document.documentElement.scrollWidth"),
    }


def test_a_grandmother_turns_on_care_mode_and_everything_grows(phone_page, cast):
    page = phone_page
    page.goto("/login/code/")
    before = measure(page)
    page.click("header.topbar .care-toggle button")
    page.wait_for_selector("body.care")
    after = measure(page)
    assert after["font"] >= 1.25 * before["font"]
    assert after["button_height"] >= 48 and after["input_height"] >= 48
    assert after["text_contrast"] >= 7 and after["button_contrast"] >= 7
    assert after["width"] <= 360  # nothing overflows the phone's width
    page.goto("/login/")
    assert "care" in (page.get_attribute("body", "class") or "")  # remembered by cookie


def test_care_mode_follows_the_grandmother_to_a_new_phone(phone_page, browser, live_server, browser_login):
    page = phone_page
    browser_login(page, "grandma_zhao")
    page.click("header.topbar .care-toggle button")
    page.wait_for_selector("body.care")
    other = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN", base_url=live_server.url)
    try:
        second = other.new_page()
        browser_login(second, "grandma_zhao")
        assert "care" in (second.get_attribute("body", "class") or "")
        second.goto("/me/")
        height = second.locator("main button[type=submit]").first.bounding_box()["height"]
        assert height >= 48
    finally:
        other.close()
