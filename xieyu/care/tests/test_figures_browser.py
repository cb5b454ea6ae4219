"""In a real browser at 360 px: the county's care figures show small cells as "<5", their complements as "—" with
the legend, and the page never scrolls sideways (a wide table scrolls inside its frame)."""

import pytest

from xieyu.care.figures.services import rollup_refresh

from . import figures_data as data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_county_admin_sees_small_cells_as_less_than_five_on_a_phone(cast, phone_page, browser_login):
    for s in data.students(cast.class_a1, 3):
        data.register(s, ["orphan"])
    for s in data.students(cast.class_b1, 9):
        data.register(s, ["orphan"])
    rollup_refresh(actor=None, county=cast.county)
    page = phone_page
    browser_login(page, "county_admin_chen")
    page.goto("/care/figures/")
    table = page.inner_text("main [data-figure=registry_by_school]")
    assert "<5" in table and "—" in table
    assert "为防止推算而隐去" in page.inner_text("main #legend")
    assert page.evaluate("document.body.scrollWidth") <= 360
