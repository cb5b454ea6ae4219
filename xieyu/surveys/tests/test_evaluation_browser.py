"""In a real browser at 360 px: 张伟 answered the evaluation's first two waves; he opens his family's profile, sees
the third wave is open, answers it on the questionnaire's answer page, and back on the profile sees the scores
change since the spring and the lessons and articles that fit his weak dimensions."""

from __future__ import annotations

import datetime

import pytest

from xieyu.core.tests.a11y import fits_phone
from xieyu.parentschool.models import Course, ParentSchool
from xieyu.questions.knowledge.models import Article
from xieyu.surveys.models import Response

from .evaluation_fixtures import evaluation, flat  # noqa: F401 — a fixture

pytestmark = pytest.mark.browser


def test_zhang_answers_the_third_wave_and_sees_his_profile_change(cast, evaluation, phone_page, browser_login):  # noqa: F811
    zhang = cast.students["zhang_xiaoming"]
    evaluation.answer(zhang, 1, flat(70, communication=45, homework=50))
    evaluation.answer(zhang, 2, flat(75, communication=50, homework=45))
    Article.objects.create(category="communication", title="孩子不愿意和家长说学校的事", question_text="孩子回家不说话",
                           answer_text="先倾听。", county=cast.county)  # fmt: skip
    ps = ParentSchool.objects.create(school=cast.school_a, established_on=datetime.date(2020, 1, 1),
                                     person_in_charge="刘芳")  # fmt: skip
    Course.objects.create(
        parent_school=ps, title="如何与孩子沟通作业问题", stage="primary_lower", theme="communication"
    )

    page = phone_page
    browser_login(page, "parent_zhang")
    page.goto("/surveys/evaluation/")
    assert "2026年春季" in page.inner_text("#eval-profile")
    assert page.inner_text("#eval-table [data-dimension='communication'] [data-change]") == "+5.0"
    fits_phone(page)
    page.click("#eval-open a")
    page.wait_for_selector("main #answer-form")
    fits_phone(page)
    for fieldset in page.query_selector_all("#answer-form fieldset.question"):
        code = fieldset.get_attribute("data-code")
        if code.startswith("ctx_"):
            fieldset.query_selector("input[type=radio]").check()
        elif code.startswith("communication"):
            fieldset.query_selector("input[value='5']" if code != "communication_4" else "input[value='1']").check()
        else:
            fieldset.query_selector("input[value='3']").check()
    page.check("#consent")
    page.click("main #submit")
    page.wait_for_url(f"**/surveys/evaluation/?child={zhang.pk}")  # back on his profile, not the list
    page.wait_for_selector("#eval-answered")
    assert Response.objects.filter(wave=evaluation.waves[2], respondent__student=zhang).exists()

    profile = page.inner_text("#eval-profile")
    assert "2026年秋季" in profile
    assert page.inner_text("#eval-table [data-dimension='communication'] [data-change]") == "+50.0"  # 50 → 100
    assert page.is_visible("#eval-answered")
    advice = page.inner_text("main")
    assert "如何与孩子沟通作业问题" in advice  # homework is still weak: the lesson fits
    fits_phone(page)
