"""The column as readers meet it: the public part opens without login with titles and a share card; a school's
column is for its own families and staff, the county's for the whole county, never for the neighbouring county;
a retracted link says why it is gone; pushing is a notice with receipts; the API reads the same; pages run a
fixed number of queries however many articles there are."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xieyu.notices.models import Delivery, Notice
from xieyu.publicity.articles.models import Article
from xieyu.publicity.articles.services import article_create, article_retract
from xieyu.publicity.column.models import ArticlePush

from .articles_fixtures import (
    HOSTILE,
    assert_clean,
    client_of,
    fields,
    neighbour,  # noqa: F401 — a fixture
    published_county_article,
    published_school_article,
    school_desk,
)

pytestmark = pytest.mark.django_db


def test_the_public_column_opens_without_login_with_a_share_card(cast, client):
    public = published_county_article(cast, title="双减专家访谈:如何减", is_public=True, summary="家长可以这样做")
    published_county_article(cast, title="只给本县家长看的通知")
    text = client.get(reverse("publicity:column")).content.decode()
    assert "双减专家访谈:如何减" in text and "只给本县家长看的通知" not in text
    page = client.get(reverse("publicity:article", args=[public.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "<title>双减专家访谈:如何减" in text
    assert 'property="og:title" content="双减专家访谈:如何减"' in text
    assert 'property="og:description" content="家长可以这样做"' in text
    assert f"/column/a/{public.pk}/" in text  # the share link


@pytest.mark.parametrize("persona, county_item, school_item", [
    ("parent_zhang", 200, 200),  # 张小明 at 城厢小学
    ("grandma_zhao", 200, 200),
    ("teacher_he", 200, 200),
    ("parent_sun", 200, 404),  # 孙浩 at 全南二中: the county's column, not 城厢小学's
    ("school_admin_wang", 200, 404),
    ("county_admin_chen", 200, 200),
    ("volunteer_zeng", 200, 404),
])  # fmt: skip
def test_who_reads_which_column(cast, client_for, persona, county_item, school_item):
    county = published_county_article(cast, title="县级专栏文章")
    school = published_school_article(cast, title="城厢小学专栏文章")
    client = client_for(persona)
    assert client.get(reverse("publicity:article", args=[county.pk])).status_code == county_item
    assert client.get(reverse("publicity:article", args=[school.pk])).status_code == school_item
    listed = client.get(reverse("publicity:column")).content.decode()
    assert ("城厢小学专栏文章" in listed) == (school_item == 200)


def test_the_neighbouring_county_reads_only_what_is_public(cast, neighbour):  # noqa: F811
    county = published_county_article(cast, title="县级专栏文章")
    public = published_county_article(cast, title="公开的文章", is_public=True)
    for user in (neighbour["admin"], neighbour["school_admin"], neighbour["father"]):
        client = client_of(user)
        assert client.get(reverse("publicity:article", args=[county.pk])).status_code == 404
        assert client.get(reverse("publicity:article", args=[public.pk])).status_code == 200
        assert client.get(reverse("publicity:review_queue")).status_code == 200


def test_a_non_public_article_asks_the_visitor_to_log_in(cast, client):
    article = published_school_article(cast)
    response = client.get(reverse("publicity:article", args=[article.pk]))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    draft = article_create(actor=cast.teacher_he, desk=school_desk(cast), fields=fields(is_public=True))
    assert client.get(reverse("publicity:article", args=[draft.pk])).status_code == 302  # the same answer


def test_a_draft_is_seen_only_by_its_author(cast, client_for):
    draft = article_create(actor=cast.teacher_he, desk=school_desk(cast), fields=fields(title="还没写完"))
    url = reverse("publicity:article", args=[draft.pk])
    text = client_for("teacher_he").get(url).content.decode()
    assert "还没写完" in text and "未在专栏中显示" in text
    for persona in ("parent_zhang", "head_teacher_li", "school_admin_wang"):
        assert client_for(persona).get(url).status_code == 404, persona


def test_a_retracted_link_says_why_it_is_gone(cast, client):
    article = published_county_article(cast, title="旧政策解读", is_public=True)
    article_retract(actor=cast.county_admin_chen, article=article, note="政策已更新,请阅读新版解读")
    response = client.get(reverse("publicity:article", args=[article.pk]))
    assert response.status_code == 410
    assert "政策已更新,请阅读新版解读" in response.content.decode()
    assert "旧政策解读" not in client.get(reverse("publicity:column")).content.decode()


def test_the_body_shown_is_the_cleaned_one(cast, client):
    article = published_county_article(cast, body=HOSTILE, is_public=True)
    text = client.get(reverse("publicity:article", args=[article.pk])).content.decode()
    body = text[text.index('class="article-body" data-read>') + 31:]
    assert_clean(body[: body.index("</div>")])


def test_a_school_admin_pushes_to_her_schools_families_as_a_notice(cast, client_for, run_tasks):
    article = published_county_article(cast, title="双减专家访谈:减什么", summary="减的是过重负担")
    client = client_for("school_admin_liu")
    text = client.get(reverse("publicity:article", args=[article.pk])).content.decode()
    assert f'value="school:{cast.school_a.pk}"' in text and f'value="school:{cast.school_b.pk}"' not in text
    response = client.post(reverse("publicity:push", args=[article.pk]), {"to": [f"school:{cast.school_a.pk}"]})
    push = ArticlePush.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("notices:receipts", args=[push.notice.pk])
    assert push.notice.link == reverse("publicity:article", args=[article.pk])
    assert "减的是过重负担" in push.notice.body and f"/column/a/{article.pk}/" in push.notice.body
    run_tasks()
    reached = set(Delivery.objects.filter(notice=push.notice).values_list("guardian__name", flat=True))
    assert {"张伟", "赵秀英"} <= reached and "孙丽" not in reached


def test_no_one_pushes_beyond_their_reach(cast, client_for, neighbour):  # noqa: F811
    article = published_county_article(cast)
    url = reverse("publicity:push", args=[article.pk])
    client_for("school_admin_liu").post(url, {"to": [f"school:{cast.school_b.pk}"]})
    client_for("school_admin_liu").post(url, {"to": [f"county:{cast.county.pk}"]})
    assert client_for("parent_zhang").post(url, {"to": [f"school:{cast.school_a.pk}"]}).status_code == 404
    assert client_of(neighbour["admin"]).post(url, {"to": [f"county:{neighbour['county'].pk}"]}).status_code == 404
    assert not ArticlePush.objects.exists()
    assert not Notice.objects.filter(title=article.title).exclude(kind=Notice.Kind.MESSAGE).exists()


def test_an_unpublished_article_cannot_be_pushed(cast, client_for):
    draft = article_create(actor=cast.school_admin_liu, desk=school_desk(cast), fields=fields())
    client_for("school_admin_liu").post(reverse("publicity:push", args=[draft.pk]),
                                        {"to": [f"school:{cast.school_a.pk}"]})  # fmt: skip
    assert not ArticlePush.objects.exists()


def test_the_api_reads_the_column_and_the_public_part(cast, client_for, client, neighbour):  # noqa: F811
    public = published_county_article(cast, title="公开文章", is_public=True)
    school = published_school_article(cast, title="城厢小学专栏文章")
    got = client.get("/api/v1/column/public")
    assert got.status_code == 200, got.content
    items = got.json()["items"]
    assert [i["title"] for i in items] == ["公开文章"]
    assert client.get(f"/api/v1/column/public/{school.pk}").status_code == 404
    assert client.get(f"/api/v1/column/public/{public.pk}").json()["title"] == "公开文章"
    zhang = client_for("parent_zhang")
    assert {i["title"] for i in zhang.get("/api/v1/column/").json()["items"]} == {"公开文章", "城厢小学专栏文章"}
    assert zhang.get(f"/api/v1/column/{school.pk}").status_code == 200
    assert client_for("parent_sun").get(f"/api/v1/column/{school.pk}").status_code == 404
    assert client_of(neighbour["father"]).get(f"/api/v1/column/{school.pk}").status_code == 404
    assert client.get("/api/v1/column/").status_code == 401


def test_the_api_write_path_is_cleaned_too(cast, client_for):
    client = client_for("teacher_he")
    response = client.post("/api/v1/column/articles", {"title": "接口写稿", "category": "report", "body": HOSTILE},
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 201, response.content
    assert_clean(response.json()["body"])
    assert_clean(Article.objects.get().body)
    bad = client.post("/api/v1/column/articles", {"title": "", "category": "report", "body": "<p>x</p>"},
                      content_type="application/json")  # fmt: skip
    assert bad.status_code == 400 and "标题" in bad.json()["error"]["message"]
    nobody = client_for("parent_zhang").post("/api/v1/column/articles",
                                             {"title": "家长写稿", "category": "report", "body": "<p>x</p>"},
                                             content_type="application/json")  # fmt: skip
    assert nobody.status_code == 400 and Article.objects.count() == 1
    pk = Article.objects.get().pk
    edit = client.put(f"/api/v1/column/articles/{pk}", {"title": "接口写稿", "category": "report",
                                                        "body": '<p>改</p><a href="javascript:x()">y</a>'},
                      content_type="application/json")  # fmt: skip
    assert edit.status_code == 200 and edit.json()["version"] == 2 and "javascript" not in edit.json()["body"]
    assert client_for("school_admin_liu").put(f"/api/v1/column/articles/{pk}", {
        "title": "改", "category": "report", "body": "<p>z</p>"}, content_type="application/json").status_code == 404


def test_the_column_runs_a_fixed_number_of_queries(cast, client_for, client, django_assert_max_num_queries):
    def add(n):
        for i in range(n):
            published_county_article(cast, title=f"文章{i}", is_public=True)

    def counted(c, url) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert c.get(url).status_code == 200
        return len(ctx.captured_queries)

    add(2)
    zhang = client_for("parent_zhang")
    small = (counted(client, reverse("publicity:column")), counted(zhang, reverse("publicity:column")))
    add(14)
    large = (counted(client, reverse("publicity:column")), counted(zhang, reverse("publicity:column")))
    assert small == large
    article = Article.objects.filter(status=Article.Status.PUBLISHED).first()
    assert article is not None
    with django_assert_max_num_queries(20):
        zhang.get(reverse("publicity:article", args=[article.pk]))


def test_a_visitors_cached_page_follows_every_change_of_the_column(cast, client):
    first = published_county_article(cast, title="第一篇公开文章", is_public=True)
    assert "第一篇公开文章" in client.get(reverse("publicity:column")).content.decode()
    published_county_article(cast, title="第二篇公开文章", is_public=True)
    assert "第二篇公开文章" in client.get(reverse("publicity:column")).content.decode()  # at once, not in a minute
    article_retract(actor=cast.county_admin_chen, article=first, note="已过时")
    assert "第一篇公开文章" not in client.get(reverse("publicity:column")).content.decode()
    assert client.get(reverse("publicity:article", args=[first.pk])).status_code == 410


def test_a_cached_page_carries_the_visitors_own_token_and_counts_her_reading(cast):
    import re

    from django.test import Client

    article = published_county_article(cast, title="公开文章", is_public=True)
    url = reverse("publicity:article", args=[article.pk])
    Client().get(url)  # someone else renders it first: the cached page
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = visitor.post(reverse("accounts:care_mode"), {"care_mode": "1", "csrfmiddlewaretoken": token,
                                                            "next": url})  # fmt: skip
    assert response.status_code == 302
    assert "body class=\"care\"" in visitor.get(url).content.decode()  # care mode: its own cached page
    for _ in range(17):
        Client().get(url)
    article.refresh_from_db()
    assert article.views == 20  # written twenty readings at a time
