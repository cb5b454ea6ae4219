"""In a real browser at 360 px: a grandmother asks in care mode and sees similar answers first; an expert answers
within the target; a question mentioning self-harm reaches the counsellor at once and shows the hotline."""

import pytest

from xieyu.deadlines.services import deadline_for
from xieyu.questions.knowledge import search
from xieyu.questions.models import Alert, Article, Question

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _article(cast):
    a = Article.objects.create(
        category="homework", title="孩子天天玩手机不写作业怎么办", county=cast.county,
        question_text="孙子每天放学就玩手机,作业拖到很晚,老人管不住。",
        answer_text="和孩子一起定好每天用手机的时间,作业写完再用;手机放在客厅充电。",
    )  # fmt: skip
    search.index_document(search.KIND_ARTICLE, a.pk, f"{a.title} {a.question_text} {a.answer_text}")
    return a


def test_a_grandmother_asks_in_care_mode_sees_similar_answers_and_an_expert_answers_in_time(
    cast, browser, live_server, phone_page, browser_login
):
    _article(cast)
    page = phone_page
    browser_login(page, "grandma_zhao")
    page.goto("/questions/ask/")
    page.click("header .care-toggle button")
    page.wait_for_selector("body.care")
    page.fill("main #id_title", "孙子总抱着平板玩")
    page.fill("main #id_body", "孙子放学回家就刷平板,功课一直拖着不做,我们说他也不听。")
    page.wait_for_selector("main [data-similar]")  # the similar answer appears while she types
    assert "孩子天天玩手机不写作业怎么办" in page.inner_text("main #similar")
    page.select_option("main select[name=category]", "homework")
    page.check("main input[name=level][value=county]")
    page.click("main .ask-form button[type=submit]")
    page.wait_for_selector("main #question")
    q = Question.objects.get()
    assert q.level == "county" and page.url.endswith(f"/questions/{q.pk}/")
    assert page.evaluate("document.body.scrollWidth") <= 360

    expert = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN", base_url=live_server.url)
    ep = expert.new_page()
    browser_login(ep, "expert_huang")
    ep.goto("/questions/queue/")
    ep.click(f"main #queue a[href='/questions/{q.pk}/']")
    ep.click("main form[action$='/claim/'] button")
    ep.fill("main #answer-form textarea", "和孩子一起定好每天用平板的时间:作业写完再用,睡前一小时收起来。")
    ep.click("main #answer-form button[type=submit]")
    ep.wait_for_selector("main #question[data-status=answered]")
    expert.close()
    d = deadline_for(q)
    assert d.first_responded_at <= d.first_response_due

    page.reload()
    assert "睡前一小时收起来" in page.inner_text("main #thread")
    page.check("main #rate-form input[value='5']")
    page.click("main #rate-form button[type=submit]")
    page.wait_for_selector("main #question[data-status=closed]")
    assert Question.objects.get().rating == 5


def test_a_self_harm_question_reaches_the_counsellor_at_once(cast, browser, live_server, phone_page, browser_login):
    page = phone_page
    browser_login(page, "grandma_zhao")
    page.goto("/questions/ask/")
    page.fill("main #id_title", "孙子说活着没意思")
    page.fill("main #id_body", "孙子这几天总说不想活了,手腕上还有划痕,我很害怕。")
    page.select_option("main select[name=category]", "emotions")
    page.click("main .ask-form button[type=submit]")
    page.wait_for_selector("main [data-hotline]")
    assert "12355" in page.inner_text("main [data-hotline]")
    q = Question.objects.get()
    assert q.is_urgent and Alert.objects.filter(question=q, user=cast.counsellor_zhou, kind="urgent").exists()

    counsellor = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN", base_url=live_server.url)
    cp = counsellor.new_page()
    browser_login(cp, "counsellor_zhou")
    cp.goto("/questions/queue/")
    cp.click("main #alerts [data-alert=urgent] button")
    cp.wait_for_selector("main #question")
    assert "不想活了" in cp.inner_text("main #question")
    counsellor.close()
