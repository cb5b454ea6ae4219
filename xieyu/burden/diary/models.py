"""The one-minute diary: the rotating sample's requests, the families' answers and their opt-outs.

A request asks one family (a student's guardian) about yesterday; the sample picks a few families per class each
school day, never one asked in the last 14 days, never one that opted out. A diary answers one request; every
question may be answered "not known" (stored as NULL and listed in `unknown`).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DiaryOptOut(models.Model):
    """A family that asked not to be sampled (one row per child; any of its guardians may opt out or back in)."""

    student = models.OneToOneField("directory.Student", on_delete=models.CASCADE, related_name="diary_opt_out")
    guardian = models.ForeignKey("directory.Guardian", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("diary opt-out")


class DiarySamplingDay(models.Model):
    """One school day's sampling run of one county: claimed by one worker, done once (a crash re-runs the classes
    not yet asked, never the ones already asked: their requests exist)."""

    county = models.ForeignKey("directory.Region", on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    requests_made = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("diary sampling day")
        constraints = [models.UniqueConstraint(fields=["county", "date"], name="one_sampling_per_county_day")]


class DiaryRequest(models.Model):
    """One family asked about one day; opened by its token link (no login) or on the diary page."""

    student = models.ForeignKey("directory.Student", on_delete=models.CASCADE, related_name="diary_requests")
    guardian = models.ForeignKey("directory.Guardian", on_delete=models.CASCADE, related_name="diary_requests")
    school_class = models.ForeignKey("directory.SchoolClass", on_delete=models.CASCADE, related_name="+")
    county = models.ForeignKey("directory.Region", on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("day asked about"))
    token = models.CharField(max_length=32, unique=True)
    sent_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("diary request")
        indexes = [models.Index(fields=["student", "sent_at"]), models.Index(fields=["school_class", "day"])]
        constraints = [models.UniqueConstraint(fields=["student", "day"], name="one_diary_request_per_child_day")]

    def __str__(self) -> str:
        return f"diary request {self.pk} ({self.day})"


class Diary(models.Model):
    """A family's answer about one child's day. NULL with the field's name in `unknown`: "不清楚"."""

    FIELDS = (
        "homework_minutes",
        "other_homework_minutes",
        "bedtime",
        "wake_time",
        "screen_minutes",
        "phone_to_school",
        "reading_minutes",
        "outdoor_minutes",
        "afterschool",
    )

    request = models.OneToOneField(DiaryRequest, null=True, on_delete=models.SET_NULL, related_name="diary")
    student = models.ForeignKey("directory.Student", on_delete=models.CASCADE, related_name="diaries")
    school_class = models.ForeignKey("directory.SchoolClass", on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey("directory.School", on_delete=models.CASCADE, related_name="+")
    county = models.ForeignKey("directory.Region", on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("day"))
    week = models.DateField()  # the Monday of the day's week
    answered_by = models.ForeignKey("directory.Guardian", null=True, on_delete=models.SET_NULL, related_name="+")
    homework_minutes = models.PositiveSmallIntegerField(_("written homework minutes"), null=True, blank=True)
    other_homework_minutes = models.PositiveSmallIntegerField(_("other homework minutes"), null=True, blank=True)
    bedtime = models.TimeField(_("bedtime"), null=True, blank=True)
    wake_time = models.TimeField(_("wake time"), null=True, blank=True)
    sleep_minutes = models.PositiveSmallIntegerField(_("sleep minutes"), null=True, blank=True)
    screen_minutes = models.PositiveSmallIntegerField(_("phone and screen minutes"), null=True, blank=True)
    phone_to_school = models.BooleanField(_("phone taken to school"), null=True, blank=True)
    reading_minutes = models.PositiveSmallIntegerField(_("reading minutes"), null=True, blank=True)
    outdoor_minutes = models.PositiveSmallIntegerField(_("outdoor activity minutes"), null=True, blank=True)
    afterschool = models.BooleanField(_("after-school service attended"), null=True, blank=True)
    unknown = models.JSONField(default=list, blank=True)  # the questions answered "不清楚"
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("diary")
        verbose_name_plural = _("diaries")
        indexes = [models.Index(fields=["school_class", "week"])]
        constraints = [models.UniqueConstraint(fields=["student", "day"], name="one_diary_per_child_day")]

    def __str__(self) -> str:
        return f"diary {self.pk} ({self.day})"
