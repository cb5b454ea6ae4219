"""In a real browser at 360 px: 刘芳 books 三年级1班's visit to the martyrs' memorial (a red culture site) within its
places; 古志强 confirms it from his home; the visit appears as an event for 张伟, father in 三年级1班; a second
booking of that half-day over the places left is refused with the message naming them."""

from __future__ import annotations

import pytest

from xieyu.core.tests.a11y import fits_phone
from xieyu.venues.models import Booking

from .venues_fixtures import next_weekday

pytestmark = pytest.mark.browser


def _page(browser, live_server):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15000)
    return context, page


def test_a_class_books_a_red_culture_site_within_its_places(cast, red_site, browser, live_server, phone_page,
                                                             browser_login):  # fmt: skip
    monday = next_weekday(0).isoformat()
    liu = phone_page
    browser_login(liu, "school_admin_liu")
    liu.goto("/venues/?theme=red")
    fits_phone(liu)
    liu.click(f"main [data-venue='{red_site.pk}'] a")
    fits_phone(liu)
    liu.select_option("main #booking-form select[name=school_class]", str(cast.class_a1.pk))
    liu.fill("main #booking-form input[name=date]", monday)
    liu.select_option("main #booking-form select[name=part]", "morning")
    liu.fill("main #booking-form input[name=group_size]", "25")
    liu.click("main #booking-form button[type=submit]")
    liu.wait_for_selector("main #booking-status[data-status='pending']")
    assert "待场馆确认" in liu.inner_text("main #booking-status")
    fits_phone(liu)

    context, gu = _page(browser, live_server)
    try:
        browser_login(gu, "venue_gu")
        fits_phone(gu)
        booking = Booking.objects.get()
        gu.click(f"main [data-group='awaiting'] [data-booking='{booking.pk}'] a")
        fits_phone(gu)
        gu.click("main #confirm")
        gu.wait_for_selector("main #booking-status[data-status='confirmed']")
    finally:
        context.close()

    context, zhang = _page(browser, live_server)
    try:
        browser_login(zhang, "parent_zhang")
        zhang.goto("/events/")
        assert "参观全南县革命烈士纪念馆" in zhang.inner_text("main")
        fits_phone(zhang)
    finally:
        context.close()

    liu.goto(f"/venues/{red_site.pk}/")
    liu.select_option("main #booking-form select[name=school_class]", str(cast.class_a2.pk))
    liu.fill("main #booking-form input[name=date]", monday)
    liu.fill("main #booking-form input[name=group_size]", "20")
    liu.click("main #booking-form button[type=submit]")
    liu.wait_for_selector(".messages")
    assert "只剩5个名额" in liu.inner_text(".messages")
    assert Booking.objects.count() == 1
    fits_phone(liu)
