"""Families' 双减 reports: asked to check or grade homework, paid tutoring pushed by a teacher, homework by phone.

A report goes to the county (on the `burden.report` clock); the school never reads it. The reporter is kept so the
family can follow it and hear the outcome; only the reporter and the county's admins can open it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class BurdenReport(models.Model):
    class Kind(models.TextChoices):
        GRADING = "grading", _("parents asked to check or grade homework")
        TUTORING = "tutoring", _("paid tutoring pushed by a teacher")
        PHONE_HOMEWORK = "phone_homework", _("homework given or done by phone")

    class State(models.TextChoices):
        RECEIVED = "received", _("received")
        ACKNOWLEDGED = "acknowledged", _("being looked into")
        HANDLED = "handled", _("handled")

    county = models.ForeignKey("directory.Region", on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey("directory.School", on_delete=models.PROTECT, related_name="+")
    school_class = models.ForeignKey(
        "directory.SchoolClass", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("what kind of problem"), max_length=16, choices=Kind.choices)
    what_happened = models.TextField(_("what happened"))
    happened_on = models.DateField(_("when it happened"))
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("report status"), max_length=14, choices=State.choices, default=State.RECEIVED)
    created_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    handled_at = models.DateTimeField(null=True, blank=True)
    summary_sent_at = models.DateTimeField(null=True, blank=True)  # a summary without identity sent to the school

    class Meta:
        verbose_name = _("double reduction report")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["county", "state"]), models.Index(fields=["reporter", "created_at"])]

    def __str__(self) -> str:
        return str(self.get_kind_display())
