"""The rollup store: one `Figure` per metric × unit (county, school, class) × period, as it may be shown.

A figure about children is stored already suppressed (xieyu/core/suppression.py): a hidden numerator or
denominator is stored as NULL with `suppressed` set, so no reader (page, export, PDF, API) can show a raw small
count by mistake. Each row says when it was computed."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from xieyu.questions.topics.models import TopicRequest


class Figure(models.Model):
    class Level(models.TextChoices):
        COUNTY = "county", _("county")
        SCHOOL = "school", _("school")
        CLASS = "class", pgettext_lazy("unit", "class")

    metric = models.CharField(max_length=40)
    level = models.CharField(max_length=6, choices=Level.choices)
    unit_id = models.BigIntegerField()  # the county's, school's or class's primary key
    county = models.ForeignKey("directory.Region", on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey("directory.School", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    school_class = models.ForeignKey(
        "directory.SchoolClass", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    period = models.CharField(max_length=12)  # the semester: "2026-autumn"
    numerator = models.BigIntegerField(null=True, blank=True)  # NULL when suppressed
    denominator = models.BigIntegerField(null=True, blank=True)  # NULL when suppressed
    value = models.FloatField(null=True, blank=True)  # the rate, mean or count shown; NULL when suppressed or none
    suppressed = models.BooleanField(default=False)
    units_total = models.PositiveIntegerField(default=0)  # coverage: the schools (of a county) or classes (of a school)
    units_counted = models.PositiveIntegerField(default=0)  # … of which something was counted
    rank = models.PositiveIntegerField(null=True, blank=True)  # a school's place among those furthest behind
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["level", "unit_id", "period", "metric"], name="dashboard_figure_once")
        ]
        indexes = [
            models.Index(fields=["county", "period", "level"]),
            models.Index(fields=["school", "period", "level"]),
        ]

    def __str__(self) -> str:
        return f"{self.metric} {self.level}:{self.unit_id} {self.period}"


class HotTopic(models.Model):
    """One of the guidance topics (点单) families asked for most this semester, for the county's list or one school's,
    with the lecture planned on it, if any. Stored with the figures (same refresh), so the page reads one list."""

    county = models.ForeignKey("directory.Region", on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey("directory.School", on_delete=models.CASCADE, related_name="+")  # whose topic it is
    level = models.CharField(max_length=6, choices=Figure.Level.choices)  # the list it is in: county or school
    period = models.CharField(max_length=12)
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=40)
    families = models.PositiveIntegerField()  # families that asked for it (one vote per family)
    status = models.CharField(max_length=10)  # TopicRequest.status
    lecture_title = models.CharField(max_length=80, blank=True)
    lecture_at = models.DateTimeField(null=True, blank=True)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position"]
        indexes = [models.Index(fields=["county", "period", "level"]), models.Index(fields=["school", "period"])]

    def __str__(self) -> str:
        return f"{self.level} {self.position}. {self.title}"

    @property
    def status_label(self) -> str:
        valid = self.status in TopicRequest.Status.values
        return str(TopicRequest.Status(self.status).label) if valid else self.status
