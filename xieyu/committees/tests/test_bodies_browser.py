"""In a real browser at 360 px: the 城厢小学 committee adopts its charter's second version at a meeting — 张伟, its
chair, records the resolution at the meeting just held and adopts v2 with it; 赵秀英, a grandmother of the school,
then reads the new charter in force and what changed."""

from __future__ import annotations

import datetime

import pytest

from xieyu.committees.models import CharterVersion

from . import bodies_fixtures as fx
from .bodies_fixtures import V2, held_meeting

bodies = fx.bodies

pytestmark = pytest.mark.browser


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_the_committee_adopts_the_charter_s_second_version_at_a_meeting(
    cast, bodies, browser, live_server, phone_page, browser_login
):
    from xieyu.committees.bodies import services

    v2 = services.charter_draft(actor=cast.parent_zhang, committee=bodies.a, text=V2, note="连任与纪要公开")
    meeting = held_meeting(cast.parent_zhang, bodies.a, title="章程修订专题会议", ago=datetime.timedelta(minutes=40))

    zhang = phone_page
    browser_login(zhang, "parent_zhang")
    zhang.goto(f"/committees/meetings/{meeting.pk}/")
    zhang.click("main #resolutions summary")
    zhang.fill("main #resolution-form textarea[name=text]", "通过《城厢小学家长委员会章程》第二版。")
    zhang.fill("main #resolution-form input[name=votes_for]", "3")
    _fits(zhang)
    zhang.click("main #resolution-form button[type=submit]")
    zhang.wait_for_selector("main [data-resolution='1'][data-passed='1']")

    zhang.goto(f"/committees/{bodies.a.pk}/")
    zhang.click("main [data-charter-link]")
    zhang.select_option("main [data-adopt='2'] select", label=None, index=0)
    _fits(zhang)
    zhang.click("main [data-adopt='2'] button[type=submit]")
    zhang.wait_for_selector("main #current [data-charter-version='2']")
    assert "第 2 版现为现行章程" in zhang.inner_text("main")
    v2.refresh_from_db()
    assert v2.status == "adopted" and v2.resolution.meeting == meeting
    assert CharterVersion.objects.get(pk=bodies.v1.pk).status == "superseded"

    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN", base_url=live_server.url)
    zhao = context.new_page()
    zhao.set_default_timeout(15000)
    try:
        browser_login(zhao, "grandma_zhao")
        zhao.goto("/committees/mine/")
        assert zhao.inner_text(f"main #committee-{bodies.a.pk} [data-charter-version]").startswith("第 2 版")
        zhao.click(f"main #committee-{bodies.a.pk} a[href$='/charter/']")
        assert "可连任一次" in zhao.inner_text("main [data-charter-text]")
        zhao.click("main [data-diff-link]")
        diff = zhao.inner_text("main #diff")
        assert "新增" in diff and "删除" in diff and "第四条 纪要向家长公开。" in diff
        _fits(zhao)
    finally:
        context.close()
