"""Typical cases (典型案例): schools submit, the county reviews and publishes them in a library searchable by theme
and school type. A case may come from a selection result (awards promotes it through cases/services.py).

A school admin's case goes to the county when submitted; a teacher's goes to her school admin first (school
review), who passes it on or returns it. The county publishes a case or returns it with a note; either way the
author is told. The texts are plain text (no markup is stored); photos are re-encoded pictures (at most six)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Theme(models.TextChoices):
    PARENT_SCHOOL = "parent_school", pgettext_lazy("case theme", "parent school")
    COMMUNICATION = "communication", pgettext_lazy("case theme", "home-school communication")
    LEFT_BEHIND = "left_behind", pgettext_lazy("case theme", "care for left-behind children")
    DOUBLE_REDUCTION = "double_reduction", pgettext_lazy("case theme", "double reduction in practice")
    FAMILY_TRADITION = "family_tradition", pgettext_lazy("case theme", "family tradition and upbringing")
    COMMUNITY = "community", pgettext_lazy("case theme", "working with the community")
    MENTAL_HEALTH = "mental_health", pgettext_lazy("case theme", "mental health")
    OTHER = "other", pgettext_lazy("case theme", "other")


class Case(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("case status", "draft")
        SCHOOL_REVIEW = "school_review", pgettext_lazy("case status", "waiting for the school")
        SUBMITTED = "submitted", pgettext_lazy("case status", "submitted")
        RETURNED = "returned", pgettext_lazy("case status", "returned")
        PUBLISHED = "published", pgettext_lazy("case status", "published")

    county = models.ForeignKey("directory.Region", on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey("directory.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=80)
    theme = models.CharField(_("theme"), max_length=20, choices=Theme.choices)
    background = models.TextField(_("background"))
    actions = models.TextField(_("the actions taken"))
    results = models.TextField(_("results"))
    replicable = models.TextField(_("what others can copy"))
    status = models.CharField(max_length=13, choices=Status.choices, default=Status.DRAFT)
    source = models.CharField(max_length=120, blank=True)  # e.g. the selection result it was promoted from
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_note = models.CharField(max_length=300, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["county", "status", "published_at"], name="case_library")]

    def __str__(self) -> str:
        return self.title


class CasePhoto(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to="publicity/cases/%Y/")
    name = models.CharField(max_length=120)
    caption = models.CharField(_("caption"), max_length=80, blank=True)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["case", "pk"]
