"""The venue catalogue: a county's cultural and practice venues (爱国主义教育基地, 劳动实践基地, 科技馆 …), their themes,
the half-days a class may book, the places per half-day, the terms for students and the booking rules, the contact
people who answer bookings, and photos."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Part(models.TextChoices):
    """The two bookable parts of a day."""

    MORNING = "morning", pgettext_lazy("venue slot", "morning")
    AFTERNOON = "afternoon", pgettext_lazy("venue slot", "afternoon")


# When a booked half-day starts and ends (local time).
PART_TIMES = {
    Part.MORNING: (datetime.time(9, 0), datetime.time(11, 30)),
    Part.AFTERNOON: (datetime.time(14, 30), datetime.time(17, 0)),
}
WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class Venue(models.Model):
    class Kind(models.TextChoices):
        PATRIOTIC = "patriotic", pgettext_lazy("venue type", "patriotic education base")
        LABOUR = "labour", pgettext_lazy("venue type", "labour practice base")
        SCIENCE = "science", pgettext_lazy("venue type", "science museum")
        SPORTS = "sports", pgettext_lazy("venue type", "sports hall")
        LIBRARY = "library", pgettext_lazy("venue type", "library")
        MUSEUM = "museum", pgettext_lazy("venue type", "museum")
        YOUTH = "youth", pgettext_lazy("venue type", "youth activity centre")
        OTHER = "other", pgettext_lazy("venue type", "other")

    class Terms(models.TextChoices):
        FREE = "free", pgettext_lazy("venue terms", "free")
        DISCOUNT = "discount", pgettext_lazy("venue terms", "discount")
        PAID = "paid", pgettext_lazy("venue terms", "paid")

    county = models.ForeignKey("directory.Region", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("venue name"), max_length=80)
    kind = models.CharField(_("venue type"), max_length=12, choices=Kind.choices)
    address = models.CharField(_("address"), max_length=200)
    town = models.ForeignKey("directory.Town", on_delete=models.PROTECT, related_name="+", verbose_name=_("town"))
    opening_text = models.CharField(_("opening times"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("places per half-day"), default=50)
    terms = models.CharField(_("terms for students"), max_length=10, choices=Terms.choices, default=Terms.FREE)
    terms_text = models.CharField(_("about the terms"), max_length=200, blank=True)
    rules_text = models.TextField(_("booking rules"), blank=True)
    min_days_ahead = models.PositiveSmallIntegerField(_("book at least this many days ahead"), default=3)
    max_group = models.PositiveIntegerField(_("largest group"), default=60)
    contact_name = models.CharField(_("contact name"), max_length=30, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    contacts = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    description = models.TextField(_("description"), blank=True)
    published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["town__order", "name", "pk"]
        indexes = [models.Index(fields=["county", "published", "town"]), models.Index(fields=["county", "kind"])]
        constraints = [
            models.UniqueConstraint(fields=["county", "name"], name="venue_unique_name_in_county"),
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="venue_capacity_positive"),
            models.CheckConstraint(condition=models.Q(max_group__gte=1), name="venue_max_group_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class VenueTheme(models.Model):
    """One theme of a venue (a venue has several)."""

    class Theme(models.TextChoices):
        RED = "red", pgettext_lazy("venue theme", "red culture")
        HAKKA = "hakka", pgettext_lazy("venue theme", "Hakka culture")
        FAMILY = "family", pgettext_lazy("venue theme", "good family traditions")
        LABOUR = "labour", pgettext_lazy("venue theme", "labour")
        SCIENCE = "science", pgettext_lazy("venue theme", "science and technology")
        SPORTS = "sports", pgettext_lazy("venue theme", "sports")
        READING = "reading", pgettext_lazy("venue theme", "reading")
        ECOLOGY = "ecology", pgettext_lazy("venue theme", "ecology")

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="themes")
    theme = models.CharField(_("theme"), max_length=10, choices=Theme.choices)

    class Meta:
        ordering = ["venue", "pk"]
        constraints = [models.UniqueConstraint(fields=["venue", "theme"], name="venue_theme_once")]
        indexes = [models.Index(fields=["theme", "venue"])]


class VenueSlot(models.Model):
    """A half-day the venue takes class visits: a weekday's morning or afternoon."""

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="slots")
    weekday = models.PositiveSmallIntegerField(choices=WEEKDAYS)  # Monday 0 … Sunday 6
    part = models.CharField(max_length=10, choices=Part.choices)

    class Meta:
        ordering = ["venue", "weekday", "part"]
        constraints = [models.UniqueConstraint(fields=["venue", "weekday", "part"], name="venue_slot_once")]


class VenuePhoto(models.Model):
    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to="venues/%Y/")
    name = models.CharField(max_length=120)
    caption = models.CharField(_("caption"), max_length=80, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["venue", "pk"]
