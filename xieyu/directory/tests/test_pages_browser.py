"""The home pages in a real browser on a 360 px phone: each main role sees what it needs, nothing overflows."""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def test_head_teacher_sees_who_has_not_joined_and_filters_in_place(phone_page, browser_login):
    page = phone_page
    browser_login(page, "head_teacher_li")
    main = page.locator("main")
    assert main.locator("h1").inner_text().startswith("三年级1班")
    not_joined = main.locator('[data-joined="no"]')
    assert not_joined.evaluate_all("rows => rows.map(r => r.dataset.student)") == ["钱多多", "周杰"]
    assert main.locator('[data-student="钱多多"] [data-needs-print]').count() == 1
    assert main.locator('[data-student="周杰"] [data-needs-print]').count() == 0
    assert main.locator('[data-count="not_joined"] strong').inner_text() == "2"
    assert page.evaluate(NO_SIDEWAYS_SCROLL)

    main.locator('a[data-count="no_phone"]').click()  # htmx swaps the roster in place
    page.wait_for_url(re.compile(r"show=no_phone"))
    main.locator('a[data-count="no_phone"][aria-current="true"]').wait_for()
    assert main.locator("[data-student]").evaluate_all("rows => rows.map(r => r.dataset.student)") == ["钱多多"]


def test_county_admin_sees_schools_and_rates_lowest_first_and_drills_down(phone_page, browser_login):
    page = phone_page
    browser_login(page, "county_admin_chen")
    main = page.locator("main")
    schools = main.locator("[data-school]").evaluate_all("rows => rows.map(r => r.dataset.school)")
    assert schools == ["全南县城厢小学", "全南县第二中学"]
    assert main.locator("[data-school] [data-rate]").all_inner_texts() == ["40%", "100%"]
    assert main.locator("[data-county-rate] [data-rate]").inner_text() == "57%"
    assert page.evaluate(NO_SIDEWAYS_SCROLL)

    main.locator('[data-school="全南县城厢小学"] a').click()
    page.wait_for_url(re.compile(r"/schools/\d+/"))
    assert main.locator("h1").inner_text() == "全南县城厢小学"
    assert main.locator("[data-class] [data-rate]").all_inner_texts() == ["50%", "0%"]
    assert page.evaluate(NO_SIDEWAYS_SCROLL)


def test_school_admin_adds_a_class_in_place(phone_page, browser_login):
    page = phone_page
    browser_login(page, "school_admin_liu")
    main = page.locator("main")
    assert main.locator('[data-count="classes"] strong').inner_text() == "2"
    main.locator("select[name=grade]").select_option(label="一年级")
    main.locator("input[name=name]").fill("1班")
    main.locator("form button[type=submit]").click()
    page.wait_for_function("document.querySelector('[data-count=classes] strong').textContent.trim() === '3'")
    assert main.locator(".msg-success").count() == 1
    assert page.evaluate(NO_SIDEWAYS_SCROLL)


def test_grandmother_in_care_mode_sees_her_grandson(phone_page, browser_login):
    page = phone_page
    browser_login(page, "grandma_zhao")
    page.locator(".care-toggle button").click()
    page.wait_for_function("document.body.classList.contains('care')")
    main = page.locator("main")
    child = main.locator('[data-child="刘小宇"]')
    assert child.count() == 1
    assert child.locator("[data-head-teacher]").inner_text() == "李娜"
    assert "全南县城厢小学" in child.inner_text()
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 20
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    child.locator("a").click()
    page.wait_for_url(re.compile(r"/students/\d+/"))
    assert main.locator("h1").inner_text() == "刘小宇"
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
