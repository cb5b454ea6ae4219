"""Clinics (教育义诊): the appointment slots of a clinic (an events.Event of kind "clinic") and families' bookings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xieyu.questions.asking.models import Question


class ClinicSlot(models.Model):
    """One appointment slot of a clinic. The clinic itself (time, place or link, who it is for) is an events.Event of
    kind "clinic"; its slots are held by the expert who published it."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="clinic_slots")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="clinic_slots")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    capacity = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["event", "starts_at"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="clinicslot_ends_after"),
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="clinicslot_capacity_positive"),
        ]


class ClinicBooking(models.Model):
    """A family's appointment in a slot, and what the guardian wants to discuss. The expert's outcome is private:
    the expert and those above them read it (each read logged), never a guardian."""

    class Status(models.TextChoices):
        BOOKED = "booked", _("booked")
        CANCELLED = "cancelled", _("cancelled")

    slot = models.ForeignKey(ClinicSlot, on_delete=models.CASCADE, related_name="bookings")
    student = models.ForeignKey("directory.Student", on_delete=models.CASCADE, related_name="+")
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clinic_bookings")
    topic = models.CharField(_("what you want to discuss"), max_length=300)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.BOOKED)
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField(blank=True, max_length=2000)
    outcome_at = models.DateTimeField(null=True, blank=True)
    follow_up_question = models.ForeignKey(Question, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["slot__starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "student"], condition=models.Q(status="booked"), name="clinicbooking_one_per_family"
            )
        ]
        indexes = [models.Index(fields=["slot", "status"]), models.Index(fields=["booked_by", "status"])]
