"""Figures are rollups: counts the scheduler recomputes for each county, read by the figures page, its export and
the API (all three through the one suppression helper, xieyu/core/suppression.py). Each rollup knows when it was
computed."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class CareRollup(models.Model):
    """One table of counts for one county: `name` says which ("registry_by_school" …, figures/rollups.py SPECS);
    `cells` holds {"rows": [...], "cols": [...], "counts": [[...]]} as computed, and under "shown" the table as
    suppressed by xieyu/core/suppression.py when it was computed (SuppressedTable.as_dict: no hidden count in it).
    Every reader (the page, the export, the API) reads "shown" only."""

    county = models.ForeignKey("directory.Region", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=60)
    cells = models.JSONField(default=dict)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["county", "name"], name="care_rollup_once")]
