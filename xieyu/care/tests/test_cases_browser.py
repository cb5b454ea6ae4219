"""In a real browser at 360 px: 周敏 opens a case from the urgent alert on her home, writes a plan and asks her
supervisor; 钟慧 approves it from her home; the case moves on to services."""

import pytest

from xieyu.care.models import Case
from xieyu.questions.asking import services as asking

pytestmark = pytest.mark.browser


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_case_opened_from_an_urgent_question_gets_an_approved_plan(
    cast, browser, live_server, phone_page, browser_login
):
    question = asking.question_ask(
        actor=cast.parent_zhang, student=cast.students["zhang_xiaoming"], level="class", category="emotions",
        title="孩子说活着没意思", body="孩子这几天晚上一直哭,说活着没意思,不想活了,我们很害怕,该怎么办?",
    )  # fmt: skip
    zhou = phone_page
    browser_login(zhou, "counsellor_zhou")
    zhou.goto("/")
    zhou.click(f"main [data-open-case][href$='question={question.pk}']")
    assert "张小明" in zhou.inner_text("main #from-question")
    assert zhou.input_value("main #id_title") == "孩子说活着没意思"
    zhou.select_option("main #id_supervisor", label="钟慧")
    zhou.fill("main #id_summary", "父亲反映孩子说不想活了,晚上哭。")
    _fits(zhou)
    zhou.click("main #open-form button[type=submit]")
    zhou.wait_for_selector("main #case[data-state=intake]")
    _fits(zhou)
    zhou.click("main [data-move=assessment]")
    zhou.wait_for_selector("main #case[data-state=assessment]")
    zhou.click("main [data-move=plan]")
    zhou.wait_for_selector("main #case[data-state=plan]")
    zhou.select_option("main #approval-form select[name=kind]", "plan")
    zhou.fill("main #approval-form textarea[name=text]", "每周两次电话联系家长,每两周家访一次,转介心理辅导。")
    zhou.click("main #approval-form button[type=submit]")
    zhou.wait_for_selector("main [data-approval-state=requested]")
    assert "已提交督导审批" in zhou.inner_text("main")

    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN", base_url=live_server.url)
    zhong = context.new_page()
    zhong.set_default_timeout(15000)
    try:
        browser_login(zhong, "supervisor_zhong")
        zhong.goto("/")
        zhong.click("main #to-review [data-approval] a")
        zhong.check("main [data-approval-state=requested] input[value=approve]")
        _fits(zhong)
        zhong.click("main [data-approval-state=requested] button[type=submit]")
        zhong.wait_for_selector("main [data-approval-state=approved]")
    finally:
        context.close()

    zhou.reload()
    zhou.click("main [data-move=services]")
    zhou.wait_for_selector("main #case[data-state=services]")
    case = Case.objects.get()
    assert case.state == Case.State.SERVICES and case.question == question
    _fits(zhou)
