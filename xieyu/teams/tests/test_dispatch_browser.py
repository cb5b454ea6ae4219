"""In a real browser at 360 px: 刘芳 posts 城厢小学's need for a 家风 lecture; 曾德福 is among the proposals (a
member whose check lapsed is not); she invites him; he sees the invitation on his home, accepts, and the lecture's
event lists him as its instructor."""

from __future__ import annotations

import pytest

from xieyu.teams.models import Need

from .dispatch_support import at, lapsed_member, member_of, skill, teams

pytestmark = pytest.mark.browser
__all__ = ["teams"]


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_liu_posts_a_family_tradition_lecture_and_zeng_accepts_it(teams, phone_page, browser_login):
    cast = teams
    lapsed = lapsed_member()
    lapsed.skills.add(skill(cast, "红色文化讲解"), skill(cast, "客家文化"))
    lapsed.towns.add(cast.towns["城厢镇"])
    page = phone_page
    browser_login(page, "school_admin_liu")
    page.goto("/teams/needs/new/")
    _fits(page)
    page.select_option("main select[name=kind]", "lecture")
    page.fill("main input[name=topic]", "家风家训讲座:客家围屋里的好家风")
    page.fill("main input[name=starts_at]", at(14, 15).strftime("%Y-%m-%dT%H:%M"))
    page.fill("main input[name=ends_at]", at(14, 16, 30).strftime("%Y-%m-%dT%H:%M"))
    page.fill("main input[name=place]", "城厢小学报告厅")
    page.select_option("main select[name=town]", str(cast.towns["城厢镇"].pk))
    page.check(f"main input[name=skills][value='{skill(cast, '红色文化讲解').pk}']")
    page.check(f"main input[name=skills][value='{skill(cast, '客家文化').pk}']")
    page.click("main #need-form button[type=submit]")
    page.wait_for_selector("main #proposals")
    need = Need.objects.get(topic__startswith="家风家训讲座")
    zeng = member_of(cast.volunteer_zeng)
    proposals = page.inner_text("main #proposals")
    assert "曾德福" in proposals
    assert page.locator(f"main [data-proposal='{lapsed.pk}']").count() == 0
    _fits(page)
    page.check(f"main #invite-{zeng.pk}")
    page.click("main #proposals button[type=submit]")
    page.wait_for_selector("main #assignments [data-state=invited]")
    assert "曾德福" in page.inner_text("main #assignments")

    page.context.clear_cookies()
    browser_login(page, "volunteer_zeng")
    page.goto("/")
    assert "家风家训讲座" in page.inner_text("main #invitations")
    _fits(page)
    page.click("main #invitations [data-accept]")
    page.wait_for_selector("main #upcoming [data-event-link]")
    page.click("main #upcoming [data-event-link]")
    page.wait_for_url(f"**/events/{need.event_id}/")
    staff = page.locator("main #staff [data-staff='曾德福']")
    assert staff.get_attribute("data-role") == "instructor" and "授课人" in staff.inner_text()
    _fits(page)
