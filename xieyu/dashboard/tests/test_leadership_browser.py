"""In a real browser at 360 px: 陈建国 adds a county task to this year's arrangement and assigns it to every school;
刘芳 finds it in 城厢小学's arrangement, attaches the activity's summary (a PDF) and marks it done; the county's
progress page then shows 城厢小学 done and 全南二中 open. 刘芳 also fills in and submits the school's resource
report, and the county's table shows it submitted."""

from __future__ import annotations

import pytest

from xieyu.core.tests.a11y import fits_phone
from xieyu.dashboard.leadership.models import WorkTask
from xieyu.dashboard.resources.models import ResourceReport

from .leadership_fixtures import *  # noqa: F403
from .leadership_fixtures import PDF, due_date

pytestmark = pytest.mark.browser
TITLE = "开展家庭教育宣传周活动"


def _page(browser, live_server):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15000)
    return context, page


def test_a_county_task_is_assigned_completed_with_a_document_and_followed(cast, county_plan, browser, live_server,
                                                                          phone_page, browser_login, tmp_path):  # fmt: skip
    chen = phone_page
    browser_login(chen, "county_admin_chen")
    chen.goto("/dashboard/leadership/plans/")
    chen.click(f"main [data-plan='{county_plan['plan'].pk}'] a")
    chen.fill("#task-add input[name=title]", TITLE)
    chen.fill("#task-add input[name=due_on]", due_date(20).isoformat())
    chen.check("#task-add input[name=all_schools]")
    fits_phone(chen)
    chen.click("#task-add button[type=submit]")
    chen.wait_for_selector(".messages")
    assert "任务已添加" in chen.inner_text(".messages")
    task = WorkTask.objects.get(title=TITLE, school__isnull=True)
    assert task.instances.count() == 2

    context, liu = _page(browser, live_server)
    try:
        browser_login(liu, "school_admin_liu")
        liu.goto("/dashboard/leadership/plans/")
        liu.click("main #plans a")
        instance = task.instances.get(school=cast.school_a)
        liu.click(f"main [data-task='{instance.pk}'] a")
        pdf = tmp_path / "宣传周总结.pdf"
        pdf.write_bytes(PDF)
        liu.set_input_files("#evidence-add input[name=file]", str(pdf))
        liu.click("#evidence-add button[type=submit]")
        liu.wait_for_selector("main [data-evidence='document']")
        fits_phone(liu)
        liu.click("#complete")
        liu.wait_for_selector("main [data-status='done']")

        liu.goto("/dashboard/resources/")
        liu.click("#report-create button[type=submit]")
        liu.fill("#report-edit input[name=dedicated_staff]", "1")
        liu.fill("#report-edit input[name=part_time_staff]", "6")
        liu.fill("#report-edit input[name=coordinator]", "刘芳")
        liu.fill("#report-edit input[name=hours]", "240.5")
        liu.check("#report-edit input[name=rooms][value=parent_school]")
        liu.fill("#report-edit input[name=planned_training]", "5000")
        liu.fill("#report-edit input[name=spent_training]", "5600")
        liu.click("#report-edit button[type=submit]")
        liu.wait_for_selector("[data-overspent='training']")  # over plan: a warning, saved all the same
        fits_phone(liu)
        liu.click("#submit-report")
        liu.wait_for_selector("[data-report-status='submitted']")
    finally:
        context.close()
    assert ResourceReport.objects.get(school=cast.school_a).status == ResourceReport.Status.SUBMITTED

    chen.goto("/dashboard/leadership/progress/")
    row_a = chen.inner_text(f"#by-school [data-school='{cast.school_a.pk}']")
    row_b = chen.inner_text(f"#by-school [data-school='{cast.school_b.pk}']")
    assert row_a.split()[-4:] == ["1", "0", "0", "1"] and row_b.split()[-4:] == ["0", "0", "1", "1"]
    fits_phone(chen)
    chen.goto("/dashboard/resources/")
    assert "已报送" in chen.inner_text(f"#reports [data-school='{cast.school_a.pk}']")
    assert "5000.00" in chen.inner_text(f"#reports [data-school='{cast.school_a.pk}']")
    fits_phone(chen)


def test_the_county_pages_keep_care_modes_promise(cast, county_plan, phone_page, browser_login):
    """Care mode on the arrangement, the progress and the resources pages: text, contrast, targets, no sideways
    scrolling at 360 px."""
    from xieyu.core.tests.a11y import audit_care
    from xieyu.dashboard.leadership import services

    services.task_create(actor=cast.county_admin_chen, plan=county_plan["plan"], title=TITLE, due_on=due_date(20),
                         schools=[cast.school_a, cast.school_b])  # fmt: skip
    page = phone_page
    browser_login(page, "county_admin_chen")
    page.goto("/dashboard/leadership/progress/")
    if page.locator(".care-toggle button").inner_text().strip() != "标准版":
        page.click(".care-toggle button")
    page.wait_for_selector("body.care")
    problems = []
    for url in [
        "/dashboard/leadership/progress/",
        f"/dashboard/leadership/plans/{county_plan['plan'].pk}/",
        f"/dashboard/leadership/groups/{county_plan['group'].pk}/",
        "/dashboard/resources/",
    ]:
        page.goto(url)
        measured = audit_care(page)
        for key in ("font", "ratio", "line_height", "contrast", "target", "main_control"):
            problems += [f"{url}: {key}: {item}" for item in measured[key]]
        if measured["width"] > 360:
            problems.append(f"{url}: {measured['width']} px wide")
    assert not problems, "\n".join(problems)
