"""Articles of the column: a school's column for its families, the county's for all, a public part needing no login.

An article's body is HTML sanitised on the server on every write path (publicity/sanitise.py); its versions keep
every saved text; its reviews record each step of 三审 (author → school or department reviewer → county publisher
for county-wide items).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Category(models.TextChoices):
    POLICY = "policy", pgettext_lazy("article category", "policy")  # 政策推送
    INTERVIEW = "interview", pgettext_lazy("article category", "double reduction expert interview")  # 双减专家访谈
    GAOKAO = "gaokao", pgettext_lazy("article category", "new gaokao and career planning")  # 新高考与生涯规划
    CASE = "case", pgettext_lazy("article category", "typical case")  # 典型案例
    FAMILY = "family", pgettext_lazy("article category", "family tradition and upbringing")  # 家风家教
    REPORT = "report", pgettext_lazy("article category", "activity report")  # 活动报道
    ANNOUNCEMENT = "announcement", pgettext_lazy("article category", "announcement")  # 通知公告


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("article status", "draft")
        IN_REVIEW = "in_review", pgettext_lazy("article status", "in review")  # waiting for the school/department
        TO_PUBLISH = "to_publish", pgettext_lazy("article status", "waiting for the county")  # county-wide, reviewed
        RETURNED = "returned", pgettext_lazy("article status", "returned")
        SCHEDULED = "scheduled", pgettext_lazy("article status", "scheduled")
        PUBLISHED = "published", pgettext_lazy("article status", "published")
        RETRACTED = "retracted", pgettext_lazy("article status", "retracted")

    county = models.ForeignKey("directory.Region", on_delete=models.PROTECT, related_name="+")
    # The school whose column it belongs to; none for the county's own items.
    school = models.ForeignKey("directory.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    county_wide = models.BooleanField(_("for the county column"), default=False)  # needs the county publisher
    is_public = models.BooleanField(_("public (readable without login)"), default=False)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    title = models.CharField(_("title"), max_length=80)
    summary = models.CharField(_("summary"), max_length=200, blank=True)
    body = models.TextField(_("content"))  # sanitised HTML
    cover = models.FileField(_("cover picture"), upload_to="publicity/covers/", blank=True)  # resized JPEG
    video_url = models.URLField(_("video link"), blank=True)
    video = models.FileField(_("video file"), upload_to="publicity/videos/", blank=True)
    video_poster = models.FileField(_("video poster"), upload_to="publicity/posters/", blank=True)
    series = models.CharField(_("series"), max_length=40, blank=True)  # e.g. 减什么、为什么减、如何减
    series_order = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_unit = models.CharField(max_length=100, blank=True)  # shown under the title
    version = models.PositiveIntegerField(default=1)
    publish_at = models.DateTimeField(null=True, blank=True)  # scheduled publishing
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    retracted_at = models.DateTimeField(null=True, blank=True)
    retraction_note = models.CharField(_("why it is retracted"), max_length=300, blank=True)
    views = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["county", "status", "-published_at"]),
            models.Index(fields=["school", "status", "-published_at"]),
            models.Index(fields=["is_public", "status", "-published_at"]),
        ]

    def __str__(self) -> str:
        return self.title


class ArticleVersion(models.Model):
    """Each saved text of an article (the body as stored: sanitised)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=80)
    summary = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    editor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "number"], name="article_version_unique")]


class ArticleReview(models.Model):
    """One step of 三审: submitted, approved by the school or department reviewer, published or returned."""

    class Step(models.TextChoices):
        SUBMIT = "submit", pgettext_lazy("review step", "submitted")
        REVIEW = "review", pgettext_lazy("review step", "reviewed")
        PUBLISH = "publish", pgettext_lazy("review step", "published")
        RETURN = "return", pgettext_lazy("review step", "returned")
        RETRACT = "retract", pgettext_lazy("review step", "retracted")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="reviews")
    step = models.CharField(max_length=10, choices=Step.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField()
    note = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(default=timezone.now)


class ArticleAttachment(models.Model):
    """A file with an article (through the shared upload allow-list), or a picture inside its body."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(max_length=8)  # "image" or "file"
    token = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=120)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    file = models.FileField(upload_to="publicity/files/")
    created_at = models.DateTimeField(default=timezone.now)
