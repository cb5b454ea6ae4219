"""A school admin on a cheap phone uploads a roster with one bad row and sees exactly where it is."""

import pytest

from xieyu.directory.models import RosterImport, Student

from .roster_files import number, row, set_cell, xlsx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_the_admin_sees_the_bad_row_and_column_and_nothing_is_added(phone_page, browser_login, cast, run_tasks):
    rows = [
        row(number("20180707", 100 + i), f"黄小{i}", guardians=[(f"黄{i}", f"1391111{6000 + i}", "父亲", "是", "是")])
        for i in range(5)
    ]
    rows[3] = set_cell(rows[3], "监护人1手机", "139111160")  # row 5 in Excel
    students_before = Student.objects.count()
    page = phone_page
    browser_login(page, "school_admin_liu")

    page.goto("/roster/")  # a school admin goes straight to their school's page
    assert cast.school_a.name in page.inner_text("main h1")
    page.set_input_files(
        "main input[type=file]", files=[{"name": "三年级花名册.xlsx", "mimeType": XLSX, "buffer": xlsx(rows)}]
    )
    page.click("main button[type=submit]")
    page.wait_for_url("**/roster/imports/*/")
    assert RosterImport.objects.count() == 1

    run_tasks()  # the worker checks the file; the page is polling and shows the result by itself
    page.wait_for_selector("main table.problems", timeout=20000)
    cells = page.locator("main table.problems tbody tr").first.locator("td").all_inner_texts()
    assert "5" in cells[0] and cells[1] == "监护人1手机" and "139111160" in cells[2]
    assert page.locator("main table.problems tbody tr").count() == 1
    assert page.locator("main form[action$='/commit/'] button").count() == 0  # nothing to import
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # fits a 360 px phone

    assert Student.objects.count() == students_before
    assert RosterImport.objects.get().status == RosterImport.Status.INVALID
