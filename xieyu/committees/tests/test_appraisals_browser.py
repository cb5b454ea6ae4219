"""In a real browser at 360 px: 赵秀英 (care mode) answers this term's appraisal from her home; 陈建国 approves a
comment whose phone number was masked and sees the results with a small class suppressed."""

import datetime

import pytest

from xieyu.committees.appraisals import services
from xieyu.committees.appraisals.models import SECTIONS, AppraisalResponse
from xieyu.directory.services import student_create

pytestmark = pytest.mark.browser


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_grandmother_answers_the_appraisal_in_care_mode(cast, phone_page, browser_login):
    appraisal = services.appraisal_open(actor=cast.users["school_admin_liu"], school=cast.school_a, term="2025春季学期")
    page = phone_page
    browser_login(page, "grandma_zhao")
    page.goto("/")
    page.click(f"main [data-item='appraisal-{appraisal.pk}-{cast.students['liu_xiaoyu'].pk}'] a")
    assert "匿名" in page.inner_text("main")
    for s in SECTIONS:
        page.check(f"main input[name={s}][value='4']")
    page.fill("main textarea[name=homework_comment]", "作业量合适。")
    _fits(page)
    page.click("main form.appraisal-answer button[type=submit]")
    page.wait_for_url("**/appraisals/family/")
    assert "已匿名记录" in page.inner_text("body")
    assert "您家已为这个孩子作答" in page.inner_text("main")
    _fits(page)
    assert AppraisalResponse.objects.filter(appraisal=appraisal).count() == 1


def test_the_county_moderates_a_masked_comment_and_sees_suppressed_results(cast, phone_page, browser_login):
    appraisal = services.appraisal_open(actor=None, school=cast.school_a, term="2025春季学期")
    for class_, n in ((cast.class_a1, 7), (cast.class_a2, 3)):
        for i in range(n):
            s = student_create(actor=None, school_class=class_, name=f"评议{class_.pk}{i}", gender="F",
                               birth_date=datetime.date(2016, 1, 1), student_number="")  # fmt: skip
            services.appraisal_answer(
                actor=None, appraisal=appraisal, student=s, ratings={k: 4 for k in SECTIONS},
                comments={"homework": "作业太多，请回电13912345678"} if i == 0 and n == 7 else {},
            )  # fmt: skip
    services.appraisal_close(actor=None, appraisal=appraisal)
    page = phone_page
    browser_login(page, "county_admin_chen")
    page.goto("/committees/appraisals/moderation/")
    card = page.locator("main [data-comment]").first
    assert "***" in card.inner_text() and "13912345678" not in card.inner_text()
    _fits(page)
    card.locator("button[value=approve]").click()
    page.wait_for_selector("main [data-comment] .msg[role=status]")
    page.goto(f"/committees/appraisals/{appraisal.pk}/")
    table = page.inner_text("main #results")
    assert "<5" in table
    assert "作业太多" in page.inner_text("main") and "13912345678" not in page.inner_text("main")
    _fits(page)
