"""In a real browser at 360 px: 陈建国 opens the county dashboard from his home page, sees every area of the plan with
its figures, drills down to 城厢小学 and to 三年级1班, sends the five schools furthest behind on parent-school
sessions a notice in one click (after the confirm step), and opens the monthly report."""

from __future__ import annotations

import pytest

from xieyu.accounts.models import Role
from xieyu.accounts.scope import holders
from xieyu.accounts.services import membership_grant, user_create
from xieyu.core.tests.a11y import fits_phone
from xieyu.dashboard.figures.metrics import AREAS
from xieyu.dashboard.figures.models import Figure
from xieyu.dashboard.figures.services import figures_refresh
from xieyu.demo.personas import DEMO_PASSWORD
from xieyu.directory.models import School
from xieyu.directory.services import school_create
from xieyu.notices.models import Delivery
from xieyu.questions.topics.models import TopicRequest

pytestmark = pytest.mark.browser


@pytest.fixture
def county_with_schools_behind(cast):
    """Five more schools of 全南县, none with a parent-school session this semester, each with its admin."""
    admins = []
    for i in range(5):
        school = school_create(actor=None, county=cast.county, name=f"全南县测试小学{i + 1}", kind=School.Kind.PRIMARY,
                               code=f"36072988{i:02d}")  # fmt: skip
        admin = user_create(actor=None, phone=f"1370000000{i}", name=f"校长{i + 1}", password=DEMO_PASSWORD)
        membership_grant(actor=None, user=admin, role=Role.SCHOOL_ADMIN, unit=school)
        admins.append(admin)
    TopicRequest.objects.create(school=cast.school_a, title="如何管理孩子用手机", votes_count=14)
    figures_refresh(actor=None, county=cast.county)
    return admins


def test_chen_opens_the_dashboard_drills_down_sends_the_notice_and_prints_the_report(
    cast, county_with_schools_behind, phone_page, browser_login
):
    page = phone_page
    browser_login(page, "county_admin_chen")
    page.goto("/")
    page.click("main a[data-dashboard]")
    page.wait_for_selector("main [data-area='reach']")
    for area in AREAS:
        assert page.query_selector(f"main [data-area='{area.key}']") is not None, area.key
    assert "统计于" in page.inner_text("main [data-freshness]")
    hot = page.inner_text("main [data-area='questions'] #hot-topics")
    assert "如何管理孩子用手机" in hot and "尚未安排讲座" in hot
    assert page.query_selector("main [data-tile='ps_sessions'] [data-value]") is not None
    # the chart is drawn from its table, and hidden from screen readers
    assert page.get_attribute("main [data-ranking='ps_sessions'] .dash-canvas", "aria-hidden") == "true"
    page.wait_for_selector("main [data-ranking='ps_sessions'] .dash-canvas svg")
    fits_phone(page)

    page.click(f"main #schools a[href='/dashboard/school/{cast.school_a.pk}/']")
    page.wait_for_selector("main h1:has-text('城厢小学')")
    fits_phone(page)
    page.click(f"main #classes a[href='/dashboard/school/{cast.school_a.pk}/class/{cast.class_a1.pk}/']")
    page.wait_for_selector("main h1:has-text('三年级1班')")
    assert page.query_selector("main [data-tile='families_joined']") is not None
    fits_phone(page)

    page.goto(f"/dashboard/county/{cast.county.pk}/#rankings")
    page.click("main [data-notify='ps_sessions']")
    page.wait_for_selector("main [data-confirm-send]")
    assert len(page.query_selector_all("main [data-schools] li")) == 5
    page.click("main [data-confirm-send]")
    page.wait_for_selector(".messages")
    assert "5" in page.inner_text(".messages")
    told = {d.user_id or d.guardian.user_id for d in Delivery.objects.filter(notice__topic="dashboard.ranking")}
    ranked = Figure.objects.filter(metric="ps_sessions", level="school", rank__lte=5).values_list("school", flat=True)
    assert len(ranked) == 5
    admins = {u.pk for school in ranked for u in holders(Role.SCHOOL_ADMIN, school_id=school)}
    assert told == admins  # the five schools' admins, nobody else
    assert len({a.pk for a in county_with_schools_behind} - told) == 7 - 5  # the two schools not among the five

    href = page.get_attribute("main a[data-report]", "href")
    response = page.request.get(href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body()[:4] == b"%PDF"
