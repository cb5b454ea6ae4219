"""Lecture tours (巡讲): a series of sessions on one theme travelling through schools and villages. Each stop is an
event of kind tour_stop (at a school: the county's event for that school's families; at a village: for its town's)
and a dispatch need that brings its staff."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Tour(models.Model):
    county = models.ForeignKey("directory.Region", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("tour title"), max_length=80)
    theme = models.CharField(_("tour theme"), max_length=60)
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "pk"]

    def __str__(self) -> str:
        return self.title


class TourStop(models.Model):
    tour = models.ForeignKey(Tour, on_delete=models.CASCADE, related_name="stops")
    order = models.PositiveSmallIntegerField(default=0)
    school = models.ForeignKey("directory.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    community = models.ForeignKey(
        "directory.Community", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    event = models.OneToOneField("events.Event", on_delete=models.PROTECT, related_name="+")
    need = models.ForeignKey("teams.Need", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["tour", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(school__isnull=False, community__isnull=True)
                | models.Q(school__isnull=True, community__isnull=False),
                name="tour_stop_school_or_community",
            )
        ]

    @property
    def where(self):
        return self.school if self.school_id else self.community
