"""The burden watch: per class and week, pre-aggregated figures of the diaries (the pages never scan diaries), and
the flags raised on a class that stayed over a line for two weeks running."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..limits import Metric


class BurdenFlag(models.Model):
    """A class over the line on one metric for two weeks running. Never names a child or a family. Cleared when a
    later week is back under the line; a homework meeting (an event) can be opened from it, and the flag shows it."""

    class State(models.TextChoices):
        OPEN = "open", _("open")
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
