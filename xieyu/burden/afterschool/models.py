"""After-school service (课后服务, "5+2"): each school's weekly schedule (Monday to Friday: held or not, start, end)
and the county's local off-work time. The schedule keeps what the county page reads — whether the service is short
of 2 hours on a school day, not held every school day, or ends before the off-work time — computed when it is saved
and again when the county changes its off-work time, so the county page never reads the days themselves."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DEFAULT_OFF_WORK = datetime.time(17, 30)
MIN_MINUTES = 120
WEEKDAYS = [
    (1, _("Monday")),
    (2, _("Tuesday")),
    (3, _("Wednesday")),
    (4, _("Thursday")),
    (5, _("Friday")),
]


class AfterschoolSetting(models.Model):
    """A county's settings for after-school service: the local off-work time the service may not end before."""

    county = models.OneToOneField("directory.Region", on_delete=models.CASCADE, related_name="+")
    off_work_time = models.TimeField(_("local off-work time"), default=DEFAULT_OFF_WORK)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("after-school service setting")


class AfterschoolSchedule(models.Model):
    """One school's weekly schedule: `days` is five entries {"day": 1..5, "held": bool, "start": "HH:MM" or "",
    "end": "HH:MM" or ""}; the flags below are derived from it."""

    school = models.OneToOneField("directory.School", on_delete=models.CASCADE, related_name="afterschool")
    county = models.ForeignKey("directory.Region", on_delete=models.PROTECT, related_name="+")
    days = models.JSONField(default=list)
    notes = models.CharField(_("notes"), max_length=500, blank=True)
    days_held = models.PositiveSmallIntegerField(default=0)
    shortest_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    earliest_end = models.TimeField(null=True, blank=True)
    is_short = models.BooleanField(default=False)  # under 2 hours on a day it is held
    not_every_day = models.BooleanField(default=False)
    ends_early = models.BooleanField(default=False)  # ends before the county's off-work time on a day it is held
    meets_rule = models.BooleanField(default=False)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("after-school service schedule")
        indexes = [models.Index(fields=["county", "meets_rule"])]
