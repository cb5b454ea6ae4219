"""The first visit offers the care mode plainly — a banner with a large button, not a corner switch — and the answer
is remembered; the switch in the top bar stays within reach afterwards."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROMPT = "section.care-prompt"
TURN_ON = "section.care-prompt button[value='1']"
NO_THANKS = "section.care-prompt button[value='0']"


def is_care(page) -> bool:
    return "care" in (page.get_attribute("body", "class") or "").split()


def test_a_grandmother_turns_care_mode_on_from_the_first_page_and_keeps_it_after_logging_in(phone, browser_login):
    page = phone(None)
    page.goto("/login/")
    assert page.locator(PROMPT).is_visible() and not is_care(page)
    button = page.locator(TURN_ON)
    assert button.inner_text().strip() == "开启关怀版(大字)"
    box = button.bounding_box()
    assert box["height"] >= 56 and box["width"] >= 180  # the largest thing on the screen, not a corner button
    assert button.evaluate("b => parseFloat(getComputedStyle(b).fontSize)") >= 20  # care mode's own size
    button.click()
    page.wait_for_selector("body.care")
    assert page.url.endswith("/login/") and page.locator(PROMPT).count() == 0
    browser_login(page, "grandma_zhao")  # the choice made before logging in holds after it
    assert is_care(page) and page.locator(PROMPT).count() == 0
    page.goto("/notices/")
    assert is_care(page)
    assert page.locator("header.topbar .care-toggle button").inner_text().strip() == "标准版"  # the way back


def test_no_thanks_is_remembered_and_the_switch_stays_in_the_top_bar(phone, cast):
    page = phone("parent_zhang")
    page.goto("/")
    assert page.locator(PROMPT).is_visible()
    page.click(NO_THANKS)
    page.wait_for_load_state()
    assert page.locator(PROMPT).count() == 0 and not is_care(page)
    page.goto("/notices/")
    assert page.locator(PROMPT).count() == 0
    toggle = page.locator("header.topbar .care-toggle button")
    assert toggle.inner_text().strip() == "关怀版" and toggle.bounding_box()["height"] >= 40
    toggle.click()
    page.wait_for_selector("body.care")

    # Care mode saved on the account follows her to a new phone, which does not ask again.
    again = phone("grandma_zhao", care=False)
    type(cast.grandma_zhao).objects.filter(pk=cast.grandma_zhao.pk).update(care_mode=True)
    again.goto("/")
    assert is_care(again) and again.locator(PROMPT).count() == 0
