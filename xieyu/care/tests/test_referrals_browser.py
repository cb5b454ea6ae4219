"""In a real browser at 360 px: 赵秀英 gives her consent in the app with the code texted to her; 周敏 refers the case to
妇联 under it; 吴桂兰 accepts and reads the family-support section and nothing else."""

from __future__ import annotations

import pytest

from xieyu.accounts import sms
from xieyu.care.cases.models import Section, ServiceKind
from xieyu.care.referrals import services
from xieyu.care.referrals.models import Consent, Referral

from .referrals_support import ABUSE_TEXT, ASSESSMENT_TEXT, FAMILY_TEXT, last_code, make_case, zhao

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_grandmother_consents_in_the_app_and_the_federation_sees_that_section_only(
    cast, browser, live_server, phone_page, browser_login
):
    sms.outbox.clear()
    case = make_case(cast)
    consent = services.consent_request(
        actor=cast.counsellor_zhou, case=case, guardian=zhao(cast), purpose="为孩子和奶奶提供家庭支持",
        agency=cast.women_federation, sections=[Section.FAMILY_SUPPORT],
    )  # fmt: skip

    page = phone_page
    browser_login(page, "grandma_zhao")
    page.goto("/")
    page.click(f"main a[href='/care/referrals/consents/{consent.pk}/']")
    assert "家庭支持" in page.inner_text("main [data-sections]")
    assert "全南县妇联" in page.inner_text("main [data-recipient]")
    assert fits(page)
    page.click("main #send-code")
    page.wait_for_selector("main #give-form")
    page.fill("main #give-form input[name=code]", last_code(zhao(cast).phone))
    page.click("main #give")
    page.wait_for_selector("main #revoke-form")
    consent.refresh_from_db()
    assert consent.given_at is not None and consent.method == Consent.Method.APP_SMS

    referral = services.referral_send(actor=cast.counsellor_zhou, case=case, consent=consent,
                                      service_kind=ServiceKind.FAMILY_CONTACT, request="请开展亲情沟通。")  # fmt: skip

    partner = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN", base_url=live_server.url)
    wp = partner.new_page()
    wp.set_default_timeout(15000)
    browser_login(wp, "partner_wu")
    wp.goto("/")
    wp.click(f"main [data-group=to-accept] a[href='/care/referrals/{referral.pk}/']")
    assert fits(wp)
    main = wp.inner_text("main")
    assert FAMILY_TEXT in main and "刘小宇" in main
    assert ASSESSMENT_TEXT not in main and ABUSE_TEXT not in main
    assert wp.locator("main [data-section]").count() == 1
    wp.click("main #accept")
    wp.wait_for_selector("main #outcome-form")
    assert Referral.objects.get(pk=referral.pk).state == Referral.State.ACCEPTED
    partner.close()
