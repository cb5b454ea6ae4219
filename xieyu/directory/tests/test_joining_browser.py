"""The whole story on a 360 px phone: a mother scans the poster, signs up, asks to join for 周杰;
李娜 confirms on her join-requests page; the mother's page then lists her son."""

import pytest

from xieyu.accounts import sms
from xieyu.accounts.tests.util import last_code
from xieyu.directory.models import Guardianship

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = "13900000077"
PASSWORD = "Wufang2026"


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 360


def log_out(page):
    page.goto("/me/")
    page.click("main form[action='/logout/'] button")
    page.wait_for_url("**/login/")


def test_a_mother_joins_her_sons_class_and_the_head_teacher_confirms(phone_page, cast, browser_login):
    sms.outbox.clear()
    page = phone_page
    page.goto(f"/join/{cast.class_a1.join_code}/")
    assert "三年级1班" in page.inner_text("main") and fits_the_phone(page)

    # Step 1: her mobile number and the code texted to it.
    page.fill("main input[name=phone]", PHONE)
    page.click("main button[value=send]")
    page.wait_for_selector("main input[name=code]")
    page.fill("main input[name=code]", last_code(PHONE))
    page.click("main button[value=verify]")

    # Step 2: her name and a password.
    page.wait_for_selector("main input[name=new_password1]")
    assert fits_the_phone(page)
    page.fill("main input[name=name]", "吴芳")
    page.fill("main input[name=new_password1]", PASSWORD)
    page.fill("main input[name=new_password2]", PASSWORD)
    page.click("main button[value=signup]")

    # Step 3: which child is hers.
    page.wait_for_selector("main input[name=child_name]")
    assert fits_the_phone(page)
    page.fill("main input[name=child_name]", "周杰")
    page.fill("main input[name=birth_date]", "2017-07-30")
    page.select_option("main select[name=relationship]", "mother")
    page.check("main input[name=is_primary_carer]")
    page.click("main button[type=submit]")
    page.wait_for_url("**/me/")
    assert "周杰" in page.inner_text("#my-join-requests")
    assert "周杰" not in page.inner_text("#my-children")
    log_out(page)

    # The head teacher confirms in place.
    browser_login(page, "head_teacher_li")
    page.goto("/join-requests/")
    assert fits_the_phone(page)
    row = page.locator("li.join-request", has_text="吴芳")
    assert "周杰" in row.inner_text()
    row.locator("button[value=confirm]").click()
    page.wait_for_selector("li.join-request:has-text('吴芳') >> .msg-success")
    assert row.locator("button[value=confirm]").count() == 0
    assert Guardianship.objects.get(guardian__user__phone=PHONE).status == "confirmed"
    log_out(page)

    # The mother logs in again: her son is on her page, with school and class.
    page.fill("input[name=phone]", PHONE)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)
    page.goto("/me/")
    children = page.inner_text("#my-children")
    assert "周杰" in children and "全南县城厢小学" in children and "三年级1班" in children
    assert fits_the_phone(page)
