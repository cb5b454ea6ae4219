"""In a real browser at 360 px: 张伟 votes in the 优秀家长 campaign; his wife 黄丽 logs in on her own phone and is told
the family has voted (with no button, and not for whom); after close the tally page's check verifies."""

from __future__ import annotations

import pytest

from xieyu.awards.models import Ballot
from xieyu.awards.votes.services import tally_close
from xieyu.core.tests.a11y import fits_phone
from xieyu.demo.personas import DEMO_PASSWORD

from .votes_fixtures import end_vote, huang_li, shortlist, vote_campaign

pytestmark = pytest.mark.browser


def test_a_family_votes_once_between_two_guardians_and_the_tally_verifies(cast, browser, live_server, phone_page,
                                                                         browser_login):  # fmt: skip
    campaign = vote_campaign(cast)
    huang_li(cast)
    choice = shortlist(campaign)[1]
    zhang = phone_page
    browser_login(zhang, "parent_zhang")
    zhang.goto(f"/awards/votes/{campaign.pk}/")
    fits_phone(zhang)
    zhang.click(f"main [data-nomination='{choice.pk}'] button[type=submit]")
    zhang.wait_for_selector("main #vote-status[data-voted='yes']")
    assert "您家已投票" in zhang.inner_text("main #vote-status")
    fits_phone(zhang)
    assert Ballot.objects.get().nomination == choice

    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN", base_url=live_server.url)
    try:
        wife = context.new_page()
        wife.set_default_timeout(15000)
        wife.goto("/login/")
        wife.fill("input[name=phone]", "13800001031")
        wife.fill("input[name=password]", DEMO_PASSWORD)
        wife.click("main button[type=submit]")
        wife.wait_for_url(lambda url: "/login/" not in url)
        wife.goto(f"/awards/votes/{campaign.pk}/")
        wife.wait_for_selector("main #vote-status[data-voted='yes']")
        assert "您家已投票" in wife.inner_text("main #vote-status")
        assert wife.locator("main [data-nomination] button").count() == 0
        assert choice.display_name not in wife.inner_text("main #vote-status")
        fits_phone(wife)
    finally:
        context.close()

    end_vote(campaign)
    tally_close(actor=cast.county_admin_chen, campaign=campaign)
    zhang.goto(f"/awards/votes/{campaign.pk}/")
    zhang.click("main #tally-link")
    zhang.wait_for_selector("main #head-hash")
    fits_phone(zhang)
    zhang.click("main #verify")
    zhang.wait_for_selector("main #verdict[data-ok='yes']")
    assert "核对无误" in zhang.inner_text("main #verdict")
    fits_phone(zhang)
