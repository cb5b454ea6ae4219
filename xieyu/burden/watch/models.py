"""The burden watch: per class and week, pre-aggregated figures of the diaries (the pages never scan diaries), and
the flags raised on a class that stayed over a line for two weeks running."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..limits import Metric


class BurdenFlag(models.Model):
    """A class over the line on one metric for two weeks running. Never names a child or a family. Cleared when a
    later week is back under the line; a homework meeting (an event) can be opened from it, and the flag shows it."""

    class State(models.TextChoices):
        OPEN = "open", pgettext_lazy("burden flag", "open")
        CLEARED = "cleared", _("cleared")

    county = models.ForeignKey("directory.Region", on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey("directory.School", on_delete=models.PROTECT, related_name="+")
    school_class = models.ForeignKey("directory.SchoolClass", on_delete=models.CASCADE, related_name="burden_flags")
    metric = models.CharField(_("measure"), max_length=20, choices=Metric.choices)
    first_week = models.DateField(_("first week over the line"))  # the Monday of the first of the two weeks
    last_week = models.DateField(_("latest week over the line"))
    state = models.CharField(_("flag state"), max_length=10, choices=State.choices, default=State.OPEN)
    # What the flag saw, for the head teacher's page: {"median": 75, "over_share": 0.62, "limit": 60, "n": 18}
    figures = models.JSONField(default=dict, blank=True)
    raised_at = models.DateTimeField(default=timezone.now)
    cleared_at = models.DateTimeField(null=True, blank=True)
    meeting = models.ForeignKey(
        "events.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="burden_flags"
    )

    class Meta:
        verbose_name = _("burden flag")
        indexes = [models.Index(fields=["county", "state"]), models.Index(fields=["school", "state"])]
        constraints = [
            models.UniqueConstraint(
                fields=["school_class", "metric"], condition=Q(state="open"), name="one_open_flag_per_class_metric"
            )
        ]


class WeekRollup(models.Model):
    """One unit's figures for one metric in one week (Monday), kept by the services and the reconciling task.

    A class rollup is computed from its diaries; a grade's, a school's and a county's from the class rollups'
    histograms (`bins`, fixed edges per metric: watch/figures.py), so the median of a larger unit comes from the
    bins, never from the rows. `n_answered` counts diaries, `n_known` those that answered this question, `n_over`
    those beyond the limit (None when the metric has no line for the grade)."""

    class Level(models.TextChoices):
        CLASS = "class", _("class")
        GRADE = "grade", _("grade")
        SCHOOL = "school", _("school")
        COUNTY = "county", _("county")

    level = models.CharField(max_length=10, choices=Level.choices)
    unit = models.CharField(max_length=30)  # "class:12", "grade:3", "school:5", "county:1"
    county = models.ForeignKey("directory.Region", on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey("directory.School", null=True, on_delete=models.CASCADE, related_name="+")
    grade = models.ForeignKey("directory.Grade", null=True, on_delete=models.CASCADE, related_name="+")
    school_class = models.ForeignKey("directory.SchoolClass", null=True, on_delete=models.CASCADE, related_name="+")
    week = models.DateField()
    metric = models.CharField(max_length=20, choices=Metric.choices)
    n_answered = models.PositiveIntegerField(default=0)
    n_known = models.PositiveIntegerField(default=0)
    n_over = models.PositiveIntegerField(null=True)
    limit = models.IntegerField(null=True)  # the line, in the metric's unit (a class's grade; None for mixed units)
    median = models.FloatField(null=True)
    p25 = models.FloatField(null=True)
    p75 = models.FloatField(null=True)
    bins = models.JSONField(default=list)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("burden week figures")
        indexes = [
            models.Index(fields=["level", "county", "week"]),
            models.Index(fields=["level", "school", "week"]),
            models.Index(fields=["school_class", "week"]),
        ]
        constraints = [models.UniqueConstraint(fields=["unit", "week", "metric"], name="one_rollup_per_unit_week")]

    @property
    def over_share(self) -> float | None:
        if self.n_over is None or not self.n_known:
            return None
        return self.n_over / self.n_known
