"""Writing and 三审: a body is cleaned on every write path; each save is a version; a school's item is reviewed by
its admin, and one for the county column is then published by the county; no one reviews what they wrote; a
return needs a note and reaches the author; scheduled items go out on time; a retraction needs its reason."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from xieyu.notices.models import Delivery
from xieyu.publicity.articles.models import Article, ArticleAttachment, ArticleReview, ArticleVersion
from xieyu.publicity.articles.services import (
    article_create,
    article_image_add,
    article_import,
    article_publish,
    article_retract,
    article_review,
    article_submit,
    article_update,
    articles_publish_due,
)

from .articles_fixtures import HOSTILE, assert_clean, county_desk, fields, published_school_article, school_desk

pytestmark = pytest.mark.django_db


def _messages_to(user) -> list[str]:
    return list(Delivery.objects.filter(guardian__user=user).values_list("notice__title", flat=True)) + list(
        Delivery.objects.filter(user=user).values_list("notice__title", flat=True)
    )


def test_the_body_is_cleaned_when_written_and_when_saved_again(cast):
    article = article_create(actor=cast.teacher_he, desk=school_desk(cast), fields=fields(body=HOSTILE))
    assert_clean(article.body)
    assert "双减" in article.body and "正文" in article.body and "点我" in article.body
    article = article_update(actor=cast.teacher_he, article=article, fields=fields(body=HOSTILE + "<p>第二稿</p>"))
    assert_clean(article.body)
    assert_clean(ArticleVersion.objects.get(article=article, number=2).body)
    assert list(article.versions.order_by("number").values_list("number", flat=True)) == [1, 2]


def test_a_body_of_nothing_but_a_script_is_refused(cast):
    with pytest.raises(ValidationError) as exc:
        article_create(actor=cast.teacher_he, desk=school_desk(cast), fields=fields(body="<script>x()</script>"))
    assert "正文" in " ".join(exc.value.messages) or "内容" in " ".join(exc.value.messages)
    assert not Article.objects.exists()


@pytest.mark.parametrize("bad, field", [
    ({"title": ""}, "标题"), ({"title": "长" * 81}, "标题"), ({"category": "gossip"}, "类别"),
    ({"video_url": "javascript:alert(1)"}, "视频"), ({"summary": "摘" * 201}, "摘要"),
])  # fmt: skip
def test_bad_fields_are_refused_with_a_message_naming_them(cast, bad, field):
    with pytest.raises(ValidationError) as exc:
        article_create(actor=cast.teacher_he, desk=school_desk(cast), fields=fields(**bad))
    assert field in " ".join(exc.value.messages)
    assert not Article.objects.exists()


def test_a_school_item_is_reviewed_and_published_by_its_school_admin(cast):
    article = article_create(actor=cast.teacher_he, desk=school_desk(cast), fields=fields())
    article_submit(actor=cast.teacher_he, article=article)
    assert any("待审" in t or "审核" in t for t in _messages_to(cast.school_admin_liu))
    article = article_review(actor=cast.school_admin_liu, article=article, approve=True)
    assert article.status == Article.Status.PUBLISHED and article.published_by == cast.school_admin_liu
    assert list(article.reviews.order_by("pk").values_list("step", flat=True)) == ["submit", "review", "publish"]
    assert any("已发布" in t for t in _messages_to(cast.teacher_he))


def test_a_county_column_item_takes_three_steps(cast):
    article = article_create(actor=cast.teacher_he, desk=school_desk(cast), fields=fields(county_wide=True))
    article_submit(actor=cast.teacher_he, article=article)
    article = article_review(actor=cast.school_admin_liu, article=article, approve=True)
    assert article.status == Article.Status.TO_PUBLISH
    with pytest.raises(ValidationError):  # the school cannot publish it to the county itself
        article_review(actor=cast.school_admin_liu, article=article, approve=True)
    article = article_publish(actor=cast.county_admin_chen, article=article)
    assert article.status == Article.Status.PUBLISHED and article.published_by == cast.county_admin_chen
    steps = list(article.reviews.order_by("pk").values_list("step", "actor__name"))
    assert steps == [("submit", "何静"), ("review", "刘芳"), ("publish", "陈建国")]


def test_a_county_item_is_reviewed_and_published_by_a_county_admin(cast):
    article = article_create(actor=cast.expert_huang, desk=county_desk(cast), fields=fields())
    assert article.county_wide and article.school_id is None
    article_submit(actor=cast.expert_huang, article=article)
    article = article_review(actor=cast.county_admin_chen, article=article, approve=True)
    assert article.status == Article.Status.PUBLISHED


def test_no_one_reviews_or_publishes_what_they_wrote(cast):
    article = article_create(actor=cast.school_admin_liu, desk=school_desk(cast), fields=fields(county_wide=True))
    article_submit(actor=cast.school_admin_liu, article=article)
    with pytest.raises(PermissionDenied):
        article_review(actor=cast.school_admin_liu, article=article, approve=True)
    assert Article.objects.get(pk=article.pk).status == Article.Status.IN_REVIEW
    chen = article_create(actor=cast.county_admin_chen, desk=county_desk(cast), fields=fields())
    article_submit(actor=cast.county_admin_chen, article=chen)
    with pytest.raises(PermissionDenied):
        article_review(actor=cast.county_admin_chen, article=chen, approve=True)


def test_a_return_needs_a_note_and_the_author_sees_it(cast):
    article = article_create(actor=cast.teacher_he, desk=school_desk(cast), fields=fields())
    article_submit(actor=cast.teacher_he, article=article)
    with pytest.raises(ValidationError) as exc:
        article_review(actor=cast.school_admin_liu, article=article, approve=False, note="  ")
    assert "修改" in " ".join(exc.value.messages)
    assert Article.objects.get(pk=article.pk).status == Article.Status.IN_REVIEW
    article = article_review(actor=cast.school_admin_liu, article=article, approve=False, note="请补充作业时长的规定")
    assert article.status == Article.Status.RETURNED
    assert ArticleReview.objects.get(article=article, step="return").note == "请补充作业时长的规定"
    assert any("退回" in t for t in _messages_to(cast.teacher_he))
    article = article_update(actor=cast.teacher_he, article=article, fields=fields(body="<p>补充:小学不超过60分钟。</p>"))
    assert article.version == 2
    article_submit(actor=cast.teacher_he, article=article)


def test_a_published_article_cannot_be_edited(cast):
    article = published_school_article(cast)
    with pytest.raises(ValidationError):
        article_update(actor=cast.teacher_he, article=article, fields=fields(title="改个标题"))
    assert Article.objects.get(pk=article.pk).title == "双减专家访谈:减什么"


def test_a_scheduled_article_goes_out_at_its_time_once(cast):
    article = article_create(actor=cast.teacher_he, desk=school_desk(cast), fields=fields())
    article_submit(actor=cast.teacher_he, article=article)
    at = timezone.now() + datetime.timedelta(hours=2)
    article = article_review(actor=cast.school_admin_liu, article=article, approve=True, publish_at=at)
    assert article.status == Article.Status.SCHEDULED
    assert articles_publish_due(now=at - datetime.timedelta(minutes=1)) == 0
    assert articles_publish_due(now=at + datetime.timedelta(minutes=1)) == 1
    assert articles_publish_due(now=at + datetime.timedelta(minutes=2)) == 0
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED and article.published_at == at


def test_a_schedule_too_far_ahead_is_refused(cast):
    article = article_create(actor=cast.teacher_he, desk=school_desk(cast), fields=fields())
    article_submit(actor=cast.teacher_he, article=article)
    with pytest.raises(ValidationError) as exc:
        article_review(actor=cast.school_admin_liu, article=article, approve=True,
                       publish_at=timezone.now() + datetime.timedelta(days=120))  # fmt: skip
    assert "90" in " ".join(exc.value.messages)
    assert Article.objects.get(pk=article.pk).status == Article.Status.IN_REVIEW


def test_a_retraction_needs_its_reason(cast):
    article = published_school_article(cast)
    with pytest.raises(ValidationError):
        article_retract(actor=cast.school_admin_liu, article=article, note="")
    article = article_retract(actor=cast.school_admin_liu, article=article, note="政策已更新,请看新版")
    assert article.status == Article.Status.RETRACTED and article.retraction_note == "政策已更新,请看新版"


def _jpeg(size=(3000, 2000)) -> SimpleUploadedFile:
    out = io.BytesIO()
    image = Image.new("RGB", size, "orange")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    image.save(out, "JPEG", exif=exif)
    return SimpleUploadedFile("家长会.jpg", out.getvalue(), content_type="image/jpeg")


def test_a_picture_is_made_small_for_phones_and_loses_its_metadata(cast):
    article = article_create(actor=cast.teacher_he, desk=school_desk(cast), fields=fields())
    picture = article_image_add(actor=cast.teacher_he, article=article, upload=_jpeg())
    with Image.open(picture.file) as stored:
        assert max(stored.size) == 1280
        assert not stored.getexif()


def test_a_script_called_a_picture_is_refused(cast):
    article = article_create(actor=cast.teacher_he, desk=school_desk(cast), fields=fields())
    fake = SimpleUploadedFile("photo.jpg", b"<script>alert(1)</script>", content_type="image/jpeg")
    with pytest.raises(ValidationError) as exc:
        article_image_add(actor=cast.teacher_he, article=article, upload=fake)
    assert "photo.jpg" in " ".join(exc.value.messages)
    assert not ArticleAttachment.objects.exists()


WORD_PAGE = """<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><meta charset="gb2312">
<title>家庭教育促进法解读</title><style>p.MsoNormal{margin:0}</style><script>track()</script></head>
<body lang=ZH-CN><p class=MsoNormal style='text-indent:2em'>家庭教育促进法自2022年1月1日起施行。<o:p></o:p></p>
<!--[if gte mso 9]><xml><w:WordDocument></w:WordDocument></xml><![endif]-->
<p><a href="javascript:void(0)" onclick="x()">链接</a><img src="data:image/gif;base64,R0lGOD"></p></body></html>"""


def test_an_imported_word_page_is_cleaned_like_the_editor(cast):
    upload = SimpleUploadedFile("解读.htm", WORD_PAGE.encode("gb18030"), content_type="text/html")
    article = article_import(actor=cast.teacher_he, desk=school_desk(cast), upload=upload, category="policy")
    assert article.title == "家庭教育促进法解读" and article.status == Article.Status.DRAFT
    assert "2022年1月1日起施行" in article.body
    assert_clean(article.body)
    assert "track" not in article.body and "WordDocument" not in article.body and "p.MsoNormal" not in article.body


def test_an_import_of_another_kind_of_file_is_refused(cast):
    upload = SimpleUploadedFile("a.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    with pytest.raises(ValidationError) as exc:
        article_import(actor=cast.teacher_he, desk=school_desk(cast), upload=upload, category="policy")
    assert ".htm" in " ".join(exc.value.messages)
    assert not Article.objects.exists()
