"""The writers' and reviewers' pages: who may write, edit, review and publish (the neighbour of each must not); the
editor cleans what is posted to it; a picture comes back to the editor's script; versions; retraction."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from xieyu.publicity.articles.models import Article
from xieyu.publicity.articles.services import article_create, article_submit

from .articles_fixtures import (
    HOSTILE,
    assert_clean,
    client_of,
    fields,
    neighbour,  # noqa: F401 — a fixture
    published_school_article,
    school_desk,
)

pytestmark = pytest.mark.django_db


def _post_article(client, **more):
    data = {"title": "双减专家访谈:为什么减", "category": "interview", "body": HOSTILE, "summary": "睡眠更足了"}
    data.update(more)
    return client.post(reverse("publicity:article_create"), data)


@pytest.mark.parametrize("persona, status", [
    ("teacher_he", 200), ("school_admin_liu", 200), ("head_teacher_wang", 200), ("expert_huang", 200),
    ("county_admin_chen", 200), ("parent_zhang", 404), ("volunteer_zeng", 404), ("partner_wu", 404), (None, 302),
])  # fmt: skip
def test_the_editor_is_for_the_schools_staff_and_the_countys_writers(cast, client_for, persona, status):
    assert client_for(persona).get(reverse("publicity:article_create")).status_code == status


def test_the_editor_cleans_what_is_posted_to_it(cast, client_for):
    response = _post_article(client_for("teacher_he"))
    article = Article.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("publicity:article_edit", args=[article.pk])
    assert_clean(article.body)
    assert article.school == cast.school_a and article.author_unit == cast.school_a.name


def test_a_bad_form_changes_nothing_and_names_the_field(cast, client_for):
    response = _post_article(client_for("teacher_he"), title="", category="gossip")
    text = response.content.decode()
    assert response.status_code == 200 and "标题" in text and "类别" in text
    assert not Article.objects.exists()


def test_a_writer_cannot_name_another_schools_column(cast, client_for, neighbour):  # noqa: F811
    _post_article(client_for("head_teacher_li"), desk=f"school:{neighbour['school'].pk}")
    assert list(Article.objects.values_list("school", flat=True)) == [cast.school_a.pk]


def test_only_the_author_edits_her_draft(cast, client_for, neighbour):  # noqa: F811
    article = article_create(actor=cast.teacher_he, desk=school_desk(cast), fields=fields())
    url = reverse("publicity:article_edit", args=[article.pk])
    assert client_for("teacher_he").get(url).status_code == 200
    for persona in ("school_admin_liu", "county_admin_chen", "head_teacher_li", "parent_zhang"):
        assert client_for(persona).get(url).status_code == 404, persona
    assert client_of(neighbour["admin"]).get(url).status_code == 404
    response = client_for("school_admin_liu").post(url, {"title": "改", "category": "policy", "body": "<p>x</p>"})
    assert response.status_code == 404 and Article.objects.get(pk=article.pk).title == "双减专家访谈:减什么"


def test_saving_makes_a_version_and_the_versions_page_lists_them(cast, client_for):
    article = article_create(actor=cast.teacher_he, desk=school_desk(cast), fields=fields())
    client = client_for("teacher_he")
    client.post(reverse("publicity:article_edit", args=[article.pk]),
                {"title": "双减专家访谈:减什么(修订)", "category": "interview", "body": "<p>第二版</p>"})  # fmt: skip
    text = client.get(reverse("publicity:versions", args=[article.pk])).content.decode()
    assert "第 2 版" in text and "第 1 版" in text
    assert client_for("parent_zhang").get(reverse("publicity:versions", args=[article.pk])).status_code == 404
    version = client.get(reverse("publicity:version", args=[article.pk, 1])).content.decode()
    assert "减的是过重的作业负担" in version


def _jpeg() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (2000, 1500), "green").save(out, "JPEG")
    return SimpleUploadedFile("活动.jpg", out.getvalue(), content_type="image/jpeg")


def test_the_editor_uploads_a_picture_and_gets_its_address(cast, client_for):
    article = article_create(actor=cast.teacher_he, desk=school_desk(cast), fields=fields())
    client = client_for("teacher_he")
    response = client.post(reverse("publicity:image_add", args=[article.pk]), {"file": _jpeg()},
                           headers={"Accept": "application/json"})  # fmt: skip
    assert response.status_code == 201
    url = response.json()["url"]
    assert client.get(url).status_code == 200
    assert client_for("parent_zhang").get(url).status_code == 404  # a draft's picture is not the public's
    bad = client.post(reverse("publicity:image_add", args=[article.pk]),
                      {"file": SimpleUploadedFile("x.jpg", b"GIF89a<script>", content_type="image/jpeg")},
                      headers={"Accept": "application/json"})  # fmt: skip
    assert bad.status_code == 400 and "x.jpg" in bad.json()["error"]


@pytest.mark.parametrize("persona, status", [
    ("school_admin_liu", 200), ("school_admin_wang", 404), ("teacher_he", 404), ("county_admin_chen", 404),
    ("parent_zhang", 404), (None, 302),
])  # fmt: skip
def test_a_school_item_is_reviewed_by_its_own_school_admin(cast, client_for, persona, status):
    article = article_create(actor=cast.teacher_he, desk=school_desk(cast), fields=fields())
    article_submit(actor=cast.teacher_he, article=article)
    assert client_for(persona).get(reverse("publicity:article_review", args=[article.pk])).status_code == status


def test_the_review_queue_and_a_return_through_the_page(cast, client_for):
    article = article_create(actor=cast.teacher_he, desk=school_desk(cast), fields=fields())
    article_submit(actor=cast.teacher_he, article=article)
    client = client_for("school_admin_liu")
    assert "双减专家访谈:减什么" in client.get(reverse("publicity:review_queue")).content.decode()
    assert "双减专家访谈" not in client_for("school_admin_wang").get(reverse("publicity:review_queue")).content.decode()
    url = reverse("publicity:article_review", args=[article.pk])
    text = client.post(url, {"decision": "return", "note": ""}).content.decode()
    assert "修改" in text and Article.objects.get(pk=article.pk).status == Article.Status.IN_REVIEW
    client.post(url, {"decision": "return", "note": "请补充课后服务的内容"})
    assert Article.objects.get(pk=article.pk).status == Article.Status.RETURNED
    edit = client_for("teacher_he").get(reverse("publicity:article_edit", args=[article.pk])).content.decode()
    assert "请补充课后服务的内容" in edit


def test_a_school_admin_cannot_retract_another_schools_article(cast, client_for, neighbour):  # noqa: F811
    article = published_school_article(cast)
    url = reverse("publicity:article_retract", args=[article.pk])
    for persona in ("school_admin_wang", "teacher_he", "parent_zhang"):
        assert client_for(persona).post(url, {"note": "撤"}).status_code == 404
    assert client_of(neighbour["admin"]).post(url, {"note": "撤"}).status_code == 404
    assert Article.objects.get(pk=article.pk).status == Article.Status.PUBLISHED
    client_for("school_admin_liu").post(url, {"note": "内容需更新"})
    assert Article.objects.get(pk=article.pk).status == Article.Status.RETRACTED


def test_the_import_page_turns_a_word_page_into_a_clean_draft(cast, client_for):
    page = "<html><head><title>寒假安全提醒</title></head><body><p onclick='x()'>注意防溺水。</p><script>x()</script>"
    response = client_for("teacher_he").post(reverse("publicity:article_import"), {
        "file": SimpleUploadedFile("提醒.htm", page.encode("utf-8"), content_type="text/html"),
        "category": "announcement",
    })  # fmt: skip
    article = Article.objects.get()
    assert response.status_code == 302 and article.title == "寒假安全提醒"
    assert_clean(article.body)


def test_my_articles_and_the_queue_run_a_fixed_number_of_queries(cast, client_for, django_assert_max_num_queries):
    for i in range(12):
        article = article_create(actor=cast.teacher_he, desk=school_desk(cast), fields=fields(title=f"第{i}篇"))
        article_submit(actor=cast.teacher_he, article=article)
    he, liu = client_for("teacher_he"), client_for("school_admin_liu")
    with django_assert_max_num_queries(12):
        assert he.get(reverse("publicity:my_articles")).status_code == 200
    with django_assert_max_num_queries(12):
        assert liu.get(reverse("publicity:review_queue")).status_code == 200


def test_no_one_but_the_author_sends_adds_to_or_removes_from_her_draft(cast, client_for, neighbour):  # noqa: F811
    from xieyu.publicity.articles.models import ArticleAttachment
    from xieyu.publicity.articles.services import article_file_add

    article = article_create(actor=cast.teacher_he, desk=school_desk(cast), fields=fields())
    pdf = SimpleUploadedFile("讲稿.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", "application/pdf")
    attached = article_file_add(actor=cast.teacher_he, article=article, upload=pdf)
    others = [client_for(p) for p in ("school_admin_liu", "head_teacher_li", "parent_zhang")] + [
        client_of(neighbour["school_admin"])]
    for client in others:
        assert client.post(reverse("publicity:article_submit", args=[article.pk])).status_code == 404
        assert client.post(reverse("publicity:image_add", args=[article.pk]), {"file": _jpeg()}).status_code == 404
        assert client.post(reverse("publicity:file_add", args=[article.pk]), {"file": _jpeg()}).status_code == 404
        remove = reverse("publicity:file_remove", args=[article.pk, attached.token])
        assert client.post(remove).status_code == 404
    for client in others[1:]:  # 刘芳 manages her school's articles: she may read their versions, not write them
        assert client.get(reverse("publicity:versions", args=[article.pk])).status_code == 404
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT
    assert list(ArticleAttachment.objects.values_list("name", flat=True)) == ["讲稿.pdf"]
