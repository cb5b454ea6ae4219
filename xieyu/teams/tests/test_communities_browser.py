"""In a real browser at 360 px: 张伟 opens his home, sees 城南社区's activity and registers his family; 叶春梅 of
城南社区 publishes an activity from her home."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from xieyu.events.models import Event, Registration
from xieyu.teams.communities import services

pytestmark = pytest.mark.browser


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_zhang_sees_the_community_activity_on_his_home_and_registers(cast, phone_page, browser_login):
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=4)
    event = services.community_activity_create(
        actor=cast.community_ye, community=cast.communities["south"], title="城南社区 周末亲子阅读会",
        starts_at=start, ends_at=start + datetime.timedelta(hours=2), place="城南社区农家书屋", capacity=30,
    )  # fmt: skip
    page = phone_page
    browser_login(page, "parent_zhang")
    page.goto("/")
    _fits(page)
    page.click(f"main [data-item='community-activity-{event.pk}'] a")
    page.wait_for_url(f"**/events/{event.pk}/")
    page.click("main #my-family button[type=submit]")
    page.wait_for_selector("main [data-registration='张小明']")
    _fits(page)
    assert Registration.objects.filter(event=event, student=cast.students["zhang_xiaoming"]).exists()


def test_ye_publishes_an_activity_from_her_home(cast, phone_page, browser_login):
    page = phone_page
    browser_login(page, "community_ye")
    page.goto("/")
    assert "城厢镇城南社区" in page.inner_text("main #community-name")
    _fits(page)
    form = "main #activity-form"
    page.fill(f"{form} input[name=title]", "城南社区 客家剪纸体验课")
    day = (timezone.localdate() + datetime.timedelta(days=6)).isoformat()
    page.fill(f"{form} input[name=starts_at]", f"{day}T15:00")
    page.fill(f"{form} input[name=ends_at]", f"{day}T17:00")
    page.fill(f"{form} input[name=place]", "城南社区儿童活动室")
    page.fill(f"{form} input[name=capacity]", "25")
    page.click(f"{form} button[type=submit]")
    page.wait_for_url("**/events/*/")
    event = Event.objects.get(title="城南社区 客家剪纸体验课")
    assert (event.community, event.audience_town, event.status) == (
        cast.communities["south"], cast.towns["城厢镇"], "published",
    )  # fmt: skip
    page.goto("/")
    assert "客家剪纸体验课" in page.inner_text("main #community-events")


@pytest.mark.once
def test_the_talent_and_community_pages_have_no_serious_axe_violation(cast, browser, live_server, browser_login):
    """The pages of this part, for the persona who uses each, at 360 px: axe-core finds nothing serious."""
    from xieyu.core.tests.a11y import run_axe
    from xieyu.teams.tests.talent_fixtures import make_world, offer

    world = make_world(cast)
    profile = offer(cast, world)
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=4)
    services.community_activity_create(actor=cast.community_ye, community=cast.communities["south"],
                                       title="城南社区 周末亲子阅读会", starts_at=start,
                                       ends_at=start + datetime.timedelta(hours=2), place="城南社区农家书屋")  # fmt: skip
    services.facility_save(actor=cast.community_ye, community=cast.communities["south"], kind="book_room",
                           name="城南社区农家书屋", capacity=30)  # fmt: skip
    pages = {
        "parent_zhang": ["/teams/talent/", "/teams/communities/"],
        "school_admin_liu": ["/teams/talent/search/", f"/teams/talent/profiles/{profile.pk}/",
                             "/teams/communities/exchanges/"],
        "community_ye": ["/", "/teams/communities/facilities/", "/teams/communities/facilities/new/",
                         "/teams/communities/activities/"],
        "county_admin_chen": ["/teams/talent/search/", "/teams/communities/exchanges/"],
    }  # fmt: skip
    found = []
    for persona, urls in pages.items():
        context = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN", base_url=live_server.url)
        page = context.new_page()
        page.set_default_timeout(15000)
        browser_login(page, persona)
        for url in urls:
            assert page.goto(url).status == 200, url
            found += [f"{persona} {url}: {v['id']} {[n['target'] for n in v['nodes'][:3]]}" for v in run_axe(page)]
            if page.evaluate("document.documentElement.scrollWidth") > 360:
                found.append(f"{persona} {url}: scrolls sideways")
        context.close()
    assert not found, "\n".join(found)
