"""In a real browser at 360 px: 陈建国 vets 何静's application to the county's teacher team — ticks her identity as
checked, records her 入职查询 and approves her for a term — and 曾德福 reads his membership and the date his check
runs to on his own teams page."""

from __future__ import annotations

import pytest

from xieyu.core.tests.a11y import run_axe
from xieyu.teams.members import services
from xieyu.teams.models import BackgroundCheck, Member

from . import members_fixtures as fx

centre = fx.centre

pytestmark = pytest.mark.browser


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_chen_vets_a_new_applicant_and_zeng_reads_his_check(cast, centre, browser, live_server, phone_page,
                                                            browser_login):  # fmt: skip
    he = services.member_apply(actor=cast.teacher_he, team=centre.teams["teacher"], towns=[cast.towns["城厢镇"]],
                               skills=[centre.skills["阅读推广"]], introduction="城厢小学语文教师,擅长亲子阅读指导。")  # fmt: skip
    chen = phone_page
    browser_login(chen, "county_admin_chen")
    chen.goto(f"/teams/members/{he.pk}/")
    assert "尚未核验身份" in chen.inner_text("main #missing")
    _fits(chen)
    assert run_axe(chen) == []
    chen.click("main #step-identity button[type=submit]")
    chen.wait_for_selector("main #step-identity[data-done='1']")
    chen.fill("main #check-form input[name=checking_unit]", "全南县公安局")
    chen.fill("main #check-form input[name=reference]", "QNGA20260001")
    _fits(chen)
    chen.click("main #check-form button[type=submit]")
    chen.wait_for_selector("main #step-check[data-done='1']")
    _fits(chen)
    chen.click("main #approve-form button[type=submit]")
    chen.wait_for_selector("main [data-status='approved']")
    _fits(chen)
    chen.goto("/teams/")
    _fits(chen)
    assert run_axe(chen) == []
    he.refresh_from_db()
    assert he.status == Member.Status.APPROVED and he.term_end is not None

    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN", base_url=live_server.url)
    zeng = context.new_page()
    zeng.set_default_timeout(15000)
    try:
        browser_login(zeng, "volunteer_zeng")
        zeng.goto("/teams/mine/")
        card = zeng.inner_text(f"main [data-member='{centre.zeng.pk}']")
        until = BackgroundCheck.objects.get(user=cast.volunteer_zeng).valid_until
        assert "全南县“五老”关爱团" in card and until.strftime("%Y-%m-%d") in card
        _fits(zeng)
        assert run_axe(zeng) == []
    finally:
        context.close()
