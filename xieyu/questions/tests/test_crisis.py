"""The crisis path: the 12355 hotline while the parent types, the urgent alert on the counsellor's and the school
admin's home with a badge and an SMS at once, the family's phone on the question page for those who handle it, and
escalation when nobody opens the alert within one working hour."""

import pytest

from xieyu.questions.knowledge import search
from xieyu.questions.models import Article

LOOKUP = "/questions/similar/"


@pytest.fixture
def homework_tip(cast):
    a = Article.objects.create(
        category="homework", title="孩子天天玩手机不写作业怎么办", county=cast.county,
        question_text="孙子每天放学就玩手机,作业拖到很晚,老人管不住。",
        answer_text="和孩子一起定好每天用手机的时间,作业写完再用;手机放在客厅充电。",
    )  # fmt: skip
    search.index_document(search.KIND_ARTICLE, a.pk, f"{a.title} {a.question_text} {a.answer_text}")
    return a


# --- while the parent types ---------------------------------------------------------------------------------


def test_alarming_words_show_the_hotline_instead_of_tips_before_sending(homework_tip, client_for):
    client = client_for("grandma_zhao")
    response = client.post(LOOKUP, {"title": "孩子说不想活了", "body": "孩子说不想活了,作业也不写,手机一直玩"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="tel:12355"' in html and "110" in html and "120" in html
    assert "data-similar" not in html and homework_tip.title not in html


def test_a_homework_question_gets_tips(homework_tip, client_for):
    response = client_for("grandma_zhao").post(LOOKUP, {"title": "孩子玩手机不写作业", "body": ""})
    html = response.content.decode()
    assert "data-similar" in html and homework_tip.title in html
    assert "tel:12355" not in html


def test_the_lookup_is_a_post_with_csrf(cast):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.grandma_zhao, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(LOOKUP, {"title": "不想活了"}).status_code == 405
    assert client.post(LOOKUP, {"title": "不想活了"}).status_code == 403  # no CSRF token


@pytest.mark.parametrize(
    "body",
    ["作" * 5000, "作业" * 4000 + "不想活了", "😀🙈 孩子写作业 🎒" * 300, "<script>alert(1)</script>不想活了",
     "<b>孩子</b><img src=x onerror=alert(1)>作业"],
)  # fmt: skip
def test_bad_input_in_the_lookup_is_bounded_and_escaped(body, homework_tip, client_for):
    response = client_for("grandma_zhao").post(LOOKUP, {"title": body, "body": body})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert" not in html and "onerror=alert" not in html


def test_the_lookup_needs_a_login(client_for):
    assert client_for(None).post(LOOKUP, {"title": "不想活了"}).status_code == 302
