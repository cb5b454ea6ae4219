"""In a real browser at 360 px, in care mode: 赵秀英 opens 刘小宇's care record from her home page, sees who read it
(by role: 心理辅导员, never 周敏), downloads the copy and asks for a correction."""

import io

import pytest
from openpyxl import load_workbook

from xieyu.audit.services import access_record
from xieyu.care.models import RightsRequest
from xieyu.deadlines.services import deadline_for

from . import figures_data as data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_grandmother_reads_her_grandsons_care_record_downloads_it_and_asks_for_a_correction(
    cast, phone_page, browser_login
):
    liu = cast.students["liu_xiaoyu"]
    entry = data.register(liu, ["left_behind_both"], carer_name="赵秀英")
    case = data.case(cast, liu, entry=entry)
    access_record(actor=cast.counsellor_zhou, target=case, purpose="care.case", detail={"sections": ["summary"]})

    page = phone_page
    browser_login(page, "grandma_zhao")
    page.goto("/")
    page.click("header .care-toggle button")
    page.wait_for_selector("body.care")
    page.click(f"main a[href='/care/rights/children/{liu.pk}/']")
    page.wait_for_selector("main #access-log")
    log = page.inner_text("main #access-log")
    assert "心理辅导员" in log and "周敏" not in log
    assert "个案记录由辅导员保管" in page.inner_text("main #cases")
    assert page.evaluate("document.body.scrollWidth") <= 360

    with page.expect_download() as download:
        page.click("main #download")
    wb = load_workbook(io.BytesIO(open(download.value.path(), "rb").read()), read_only=True)  # noqa: SIM115
    assert any("心理辅导员" in str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row)

    page.check("main #request-form input[value=correction]")
    page.fill("main #request-form textarea", "孩子父亲已回乡,请更正")
    with page.expect_navigation():
        page.click("main #request-form button[type=submit]")
    page.wait_for_selector("main [data-request]", timeout=30000)
    request = RightsRequest.objects.get(student=liu, state="open")
    assert deadline_for(request).policy.name == "care.rights"
