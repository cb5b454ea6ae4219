"""Pushing an article to guardians: each push is a notice (its receipts and SMS fallback come with it)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class ArticlePush(models.Model):
    article = models.ForeignKey("publicity.Article", on_delete=models.CASCADE, related_name="pushes")
    notice = models.OneToOneField("notices.Notice", on_delete=models.PROTECT, related_name="+")
    pushed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
