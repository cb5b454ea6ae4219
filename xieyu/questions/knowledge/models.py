"""The knowledge base: articles (answered questions, anonymised), and the search index (jieba terms, BM25) over
articles and answered questions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xieyu.questions.asking.models import Category, Question


class Article(models.Model):
    """A knowledge-base article: an answered question, anonymised and checked before publishing."""

    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    title = models.CharField(_("title"), max_length=60)
    question_text = models.TextField(_("the question"), max_length=2000)
    answer_text = models.TextField(_("the answer"), max_length=4000)
    is_public = models.BooleanField(_("public (no login needed)"), default=True)
    county = models.ForeignKey("directory.Region", on_delete=models.PROTECT, related_name="+")
    source_question = models.OneToOneField(
        Question, null=True, blank=True, on_delete=models.SET_NULL, related_name="article"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["category", "-published_at"])]

    def __str__(self) -> str:
        return self.title


# --- the search index: jieba terms, BM25 ------------------------------------------------------------------------


class DocKind(models.TextChoices):
    QUESTION = "q", _("question")
    ARTICLE = "a", _("article")


class Posting(models.Model):
    """One term of one indexed document, with its BM25 term-frequency weight (computed when indexed)."""

    kind = models.CharField(max_length=1, choices=DocKind.choices)
    term = models.CharField(max_length=24)
    doc_id = models.BigIntegerField()
    tfw = models.FloatField()

    class Meta:
        indexes = [models.Index(fields=["kind", "term", "doc_id", "tfw"], name="posting_lookup_idx")]
        constraints = [models.UniqueConstraint(fields=["kind", "doc_id", "term"], name="posting_unique")]


class TermStat(models.Model):
    """How many documents of a kind hold a term (for the inverse document frequency), and how the term sounds (its
    toneless pinyin and initials, so a query typed in pinyin or with a homophone typo finds it in the same query)."""

    kind = models.CharField(max_length=1, choices=DocKind.choices)
    term = models.CharField(max_length=24)
    df = models.PositiveIntegerField(default=0)
    py = models.CharField(max_length=64, blank=True, default="")
    ini = models.CharField(max_length=24, blank=True, default="")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "term"], name="termstat_unique")]
        indexes = [
            models.Index(fields=["kind", "py"], name="termstat_py_idx"),
            models.Index(fields=["kind", "ini"], name="termstat_ini_idx"),
        ]


class IndexStat(models.Model):
    """Documents and total length per kind (for BM25's average document length)."""

    kind = models.CharField(max_length=1, choices=DocKind.choices, unique=True)
    docs = models.PositiveIntegerField(default=0)
    total_len = models.PositiveBigIntegerField(default=0)
    # What built the index (search.fingerprint()): the normalisation's version and data files. Another value means
    # the index is stale, and `migrate` rebuilds it (knowledge/reindex.py).
    fingerprint = models.CharField(max_length=16, blank=True, default="")
