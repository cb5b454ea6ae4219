"""Bookings: a school's class visit to a venue on one half-day, within the places that half-day has across all live
bookings; the venue's contact confirms (the visit becomes an event of the school for the class) or declines. Open
family days: a venue's event for the county's (or a town's) families, with registration on the events engine."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..catalogue.models import Part


class Booking(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("booking", "awaiting the venue")
        CONFIRMED = "confirmed", pgettext_lazy("booking", "confirmed")
        DECLINED = "declined", pgettext_lazy("booking", "declined")
        CANCELLED = "cancelled", pgettext_lazy("booking", "cancelled")

    LIVE = (Status.PENDING, Status.CONFIRMED)  # these hold places

    venue = models.ForeignKey("venues.Venue", on_delete=models.PROTECT, related_name="bookings")
    school = models.ForeignKey("directory.School", on_delete=models.PROTECT, related_name="+")
    school_class = models.ForeignKey("directory.SchoolClass", on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date of the visit"))
    part = models.CharField(_("half-day"), max_length=10, choices=Part.choices)
    group_size = models.PositiveIntegerField(_("group size"))
    note = models.CharField(_("note to the venue"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    event = models.ForeignKey("events.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["date", "part", "pk"]
        indexes = [
            models.Index(fields=["venue", "date", "part", "status"]),
            models.Index(fields=["school", "date"]),
            models.Index(fields=["status", "date"]),
        ]
        constraints = [models.CheckConstraint(condition=models.Q(group_size__gte=1), name="booking_group_positive")]

    def __str__(self) -> str:
        return f"{self.venue_id} {self.date} {self.part}"

    @property
    def is_live(self) -> bool:
        return self.status in self.LIVE


class FamilyDay(models.Model):
    """An open day of a venue for families: the event (kind venue_visit, audience the county or a town) carries the
    time, capacity and registrations."""

    venue = models.ForeignKey("venues.Venue", on_delete=models.PROTECT, related_name="family_days")
    event = models.OneToOneField("events.Event", on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["event__starts_at", "pk"]
