"""In a real browser at 360 px: 周敏 texts a link for a referral to a social worker whose station is not on the
platform; the social worker opens it with the code sent to her phone, sees the consented section only, accepts it;
after 14 days the same link shows that it expired and nothing of the child."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from xieyu.accounts import sms
from xieyu.care.cases.models import ServiceKind
from xieyu.care.referrals import services
from xieyu.care.referrals.models import Referral

from .referrals_support import ABUSE_TEXT, ASSESSMENT_TEXT, FAMILY_TEXT, consent, last_code, last_link, make_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = "13900001234"


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_link_for_an_agency_without_an_account_opens_with_a_code_and_expires(
    cast, browser, live_server, phone_page, browser_login
):
    sms.outbox.clear()
    case = make_case(cast)
    referral = services.referral_send(actor=cast.counsellor_zhou, case=case, consent=consent(cast, case),
                                      service_kind=ServiceKind.FAMILY_CONTACT, request="请开展亲情沟通。")  # fmt: skip
    zhou = phone_page
    browser_login(zhou, "counsellor_zhou")
    zhou.goto(f"/care/referrals/{referral.pk}/")
    zhou.fill("main #link-form input[name=name]", "钟老师")
    zhou.fill("main #link-form input[name=organisation]", "龙下乡社工站")
    zhou.fill("main #link-form input[name=phone]", PHONE)
    zhou.click("main #link-form button[type=submit]")
    zhou.wait_for_selector("main #links [data-link]")
    assert "钟老师" in zhou.inner_text("main #links")
    token = last_link(PHONE)

    outside = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN", base_url=live_server.url)
    page = outside.new_page()
    page.set_default_timeout(15000)
    try:
        page.goto(f"/care/referrals/link/{token}/")
        assert FAMILY_TEXT not in page.inner_text("main")  # nothing before the code
        page.fill("main #phone-form input[name=phone]", PHONE)
        page.click("main #send-code")
        page.wait_for_selector("main #code-form")
        page.fill("main #code-form input[name=code]", last_code(PHONE))
        page.click("main #open")
        page.wait_for_selector("main #accept")
        main = page.inner_text("main")
        assert FAMILY_TEXT in main and "刘小宇" in main
        assert ASSESSMENT_TEXT not in main and ABUSE_TEXT not in main
        assert fits(page)
        page.click("main #accept")
        page.wait_for_selector("main #outcome-form")
        referral.refresh_from_db()
        assert referral.state == Referral.State.ACCEPTED and referral.decided_by_link is not None

        with time_machine.travel(timezone.now() + datetime.timedelta(days=15), tick=False):
            page.goto(f"/care/referrals/link/{token}/")
            closed = page.inner_text("main #link-closed")
            assert "过期" in closed
            assert FAMILY_TEXT not in page.inner_text("main") and "刘小宇" not in page.inner_text("main")
    finally:
        outside.close()
