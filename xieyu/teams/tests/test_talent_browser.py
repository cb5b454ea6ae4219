"""In a real browser at 360 px: 张伟 offers his 书法 to 城厢小学 with consent and 刘芳 finds him in the talent pool; he
withdraws his consent and she no longer finds him."""

from __future__ import annotations

import pytest

from xieyu.teams.models import TalentProfile

from .talent_fixtures import make_world

pytestmark = pytest.mark.browser


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_parent_offers_with_consent_is_found_then_withdraws(cast, browser, live_server, phone_page, browser_login):
    world = make_world(cast)
    zhang = phone_page
    browser_login(zhang, "parent_zhang")
    zhang.goto("/teams/talent/")
    card = f"main #talent-school-{cast.school_a.pk}"
    zhang.check(f"{card} input[name=skills][value='{world.skills['书法'].pk}']")
    zhang.fill(f"{card} textarea[name=description]", "会写毛笔字,可以教孩子们书法。")
    zhang.check(f"{card} input[name=slots][value='2:afternoon']")
    zhang.check(f"{card} input[name=consent]")
    _fits(zhang)
    zhang.click(f"{card} button[type=submit]")
    zhang.wait_for_selector(f"{card} [data-consent='yes']")
    profile = TalentProfile.objects.get()

    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN", base_url=live_server.url)
    liu = context.new_page()
    liu.set_default_timeout(15000)
    try:
        browser_login(liu, "school_admin_liu")
        liu.goto("/teams/talent/search/")
        liu.select_option("main #talent-search select[name=skill]", str(world.skills["书法"].pk))
        liu.click("main #talent-search button[type=submit]")
        liu.wait_for_selector(f"main [data-profile='{profile.pk}']")
        assert "张伟" in liu.inner_text("main #talent-results")
        _fits(liu)

        zhang.click(f"{card} [data-withdraw]")
        zhang.wait_for_selector(f"{card} [data-consent='no']")

        liu.reload()
        assert liu.locator(f"main [data-profile='{profile.pk}']").count() == 0
        assert "张伟" not in liu.inner_text("main #talent-results")
    finally:
        context.close()
