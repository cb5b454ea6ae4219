"""In a real browser at 360 px, in care mode: 赵秀英 (刘小宇's grandmother) answers the class questionnaire. The
follow-up question appears only once she says she reads with the child; a bad number is refused with the question
named; then she gives consent and her answers are saved."""

from __future__ import annotations

import pytest

from xieyu.core.tests.a11y import fits_phone
from xieyu.surveys.models import Response

pytestmark = pytest.mark.browser


def test_a_grandmother_answers_on_her_phone_with_skip_logic(cast, class_wave, phone_page, browser_login):
    page = phone_page
    browser_login(page, "grandma_zhao")
    page.click("header.topbar .care-toggle button")
    page.wait_for_selector("body.care")
    page.goto("/surveys/mine/")
    fits_phone(page)
    page.click(f"main [data-wave='{class_wave.pk}'] a")
    page.wait_for_selector("main #answer-form")
    page.wait_for_selector("#q-minutes", state="hidden")  # shown only after 是 (the page script hides it on load)
    fits_phone(page)
    page.check("#q-reads input[value='1']")
    page.wait_for_selector("#q-minutes", state="visible")
    page.fill("#q-minutes input", "500")  # above the 300 allowed
    page.check("#q-talk input[value='4']")
    page.check("#q-scold input[value='2']")
    page.check("#consent")
    page.click("main #submit")
    page.wait_for_selector("#q-minutes .errorlist")
    assert "300" in page.inner_text("#q-minutes .errorlist")
    assert not Response.objects.exists()
    fits_phone(page)
    page.fill("#q-minutes input", "40")
    page.check("#consent")
    page.click("main #submit")
    page.wait_for_url("**/surveys/mine/")
    page.wait_for_selector(f"main [data-wave='{class_wave.pk}'][data-state='submitted']")
    r = Response.objects.get()
    assert r.respondent.student == cast.students["liu_xiaoyu"]
    assert r.answers.get(question__code="minutes").number == 40
    fits_phone(page)


def test_staff_pages_fit_a_phone(cast, class_wave, phone_page, browser_login):
    from xieyu.surveys import services

    from .fixtures import GOOD

    services.response_submit(actor=cast.parent_zhang, wave=class_wave, answers=GOOD, consent=True)
    draft = services.version_draft(actor=cast.county_admin_chen, questionnaire=class_wave.questionnaire)
    page = phone_page
    browser_login(page, "county_admin_chen")
    for path in (f"/surveys/wave/{class_wave.pk}/", f"/surveys/wave/{class_wave.pk}/?by=class",
                 f"/surveys/{class_wave.questionnaire_id}/", f"/surveys/version/{draft.pk}/question/",
                 f"/surveys/{class_wave.questionnaire_id}/wave/", "/surveys/"):  # fmt: skip
        page.goto(path)
        fits_phone(page)
