import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_grandma_logs_in_on_a_phone_and_turns_on_care_mode(phone_page, browser_login):
    page = phone_page
    browser_login(page, "grandma_zhao")
    assert "赵秀英" in page.content() or page.url.endswith("/")
    page.click("text=关怀版")
    assert "care" in (page.get_attribute("body", "class") or "")
    size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert size >= 20
