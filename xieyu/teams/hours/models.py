"""Service hours (《志愿服务记录与证明出具办法》): the time of service, from the member's check-in and check-out at the
event or the organiser's entry (its source recorded), signed off by the organiser, disputable once by the member."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ServiceRecord(models.Model):
    class Source(models.TextChoices):
        CHECKIN = "checkin", _("checked in and out at the event")
        ORGANISER = "organiser", _("entered by the organiser")

    class Status(models.TextChoices):
        OPEN = "open", _("checked in, not yet out")
        PENDING = "pending", _("awaiting sign-off")
        SIGNED = "signed", _("signed off")
        DISPUTED = "disputed", pgettext_lazy("service record", "disputed")
        VOID = "void", pgettext_lazy("service record", "void")

    member = models.ForeignKey("teams.Member", on_delete=models.PROTECT, related_name="service_records")
    assignment = models.OneToOneField(
        "teams.Assignment", null=True, blank=True, on_delete=models.PROTECT, related_name="service_record"
    )
    event = models.ForeignKey("events.Event", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    description = models.CharField(_("service done"), max_length=120)
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    minutes = models.PositiveIntegerField(pgettext_lazy("duration", "minutes"), default=0)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    source_note = models.CharField(_("source note"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recording_unit = models.CharField(_("recording unit"), max_length=80)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    dispute_reason = models.CharField(_("dispute reason"), max_length=300, blank=True)
    disputed_at = models.DateTimeField(null=True, blank=True)
    dispute_answer = models.CharField(_("answer to the dispute"), max_length=300, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    # What the member's phone said, before the overlap with the event was taken (started_at/ended_at hold that).
    checked_in_at = models.DateTimeField(null=True, blank=True)
    checked_out_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-started_at", "pk"]
        indexes = [models.Index(fields=["member", "status", "started_at"]), models.Index(fields=["event"])]


class ServiceYear(models.Model):
    """The rollup the pages read: a member's signed minutes and records in one calendar year (Asia/Shanghai), kept by
    the services whenever a record is signed, corrected, disputed or answered."""

    member = models.ForeignKey("teams.Member", on_delete=models.CASCADE, related_name="service_years")
    year = models.PositiveSmallIntegerField()
    minutes = models.PositiveIntegerField(default=0)
    records = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "member"]
        constraints = [models.UniqueConstraint(fields=["member", "year"], name="service_year_once_per_member")]
        indexes = [models.Index(fields=["year", "-minutes"])]
