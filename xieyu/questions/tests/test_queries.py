"""Each page runs a fixed number of queries whatever the number of questions, articles, topics and votes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xieyu.questions.asking import services
from xieyu.questions.knowledge import search
from xieyu.questions.models import Article, Question


def _grow(cast, ask, propose, start, stop):
    for i in range(start, stop):
        q = ask(title=f"孙子写作业太磨蹭了{i}", publishable=True, level="county" if i % 2 else "class")
        services.question_answer(actor=cast.school_admin_liu if not i % 2 else cast.expert_huang, question=q,
                                 body="先和孩子约定写作业的时间,分段完成。")  # fmt: skip
        services.question_note(actor=cast.county_admin_chen, question=q, body="已跟进")
        propose(cast.grandma_zhao, f"隔代教养第{i}讲")
        a = Article.objects.create(
            category="study_habits", title=f"写作业磨蹭{i}", question_text="孩子写作业磨蹭", answer_text="分段完成",
            county=cast.county,
        )  # fmt: skip
        search.index_document("a", a.pk, a.title + a.question_text)


PAGES = [
    ("grandma_zhao", "/questions/"),
    ("grandma_zhao", "/questions/ask/"),
    ("grandma_zhao", "POST /questions/similar/ title=写作业磨蹭"),
    ("grandma_zhao", "/questions/{first}/"),
    ("county_admin_chen", "/questions/{first}/"),
    ("county_admin_chen", "/questions/queue/?status=answered"),
    ("county_admin_chen", "/questions/overview/?days=30"),
    ("school_admin_liu", "/questions/overview/?days=90"),
    ("grandma_zhao", "/questions/topics/"),
    ("county_admin_chen", "/questions/topics/"),
    (None, "/questions/kb/"),
    (None, "/questions/kb/?q=作业拖拉"),
]


@pytest.mark.parametrize("persona, url", PAGES)
def test_pages_run_a_fixed_number_of_queries(
    persona, url, cast, ask, propose, client_for, django_assert_max_num_queries
):
    client = client_for(persona)

    def get():
        first = Question.objects.order_by("pk").first().pk
        if url.startswith("POST "):  # the lookup while the parent types is a POST
            path, field = url.removeprefix("POST ").split(" ")
            response = client.post(path, dict([field.split("=")]))
        else:
            response = client.get(url.format(first=first))
        assert response.status_code == 200
        return response

    _grow(cast, ask, propose, 0, 2)
    get()  # warm the session
    with CaptureQueriesContext(connection) as small:
        get()
    n_small = len(small.captured_queries)
    _grow(cast, ask, propose, 2, 12)
    get()
    with django_assert_max_num_queries(n_small):
        get()
