"""Communities' facilities (活动室, 篮球场, 书屋 …): what a community (社区/村) offers, its opening times, its capacity, and
whether children may use it. A community's activities for children, and the exchanges with schools (进社区/进学校),
are events of the events engine."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Facility(models.Model):
    class Kind(models.TextChoices):
        ACTIVITY_ROOM = "activity_room", _("activity room")
        COURT = "court", _("basketball court")
        BOOK_ROOM = "book_room", _("book room")
        OTHER = "other", pgettext_lazy("facility", "other")

    community = models.ForeignKey("directory.Community", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind of facility"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("facility name"), max_length=60)
    opening_times = models.CharField(_("opening times"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), default=0)
    open_to_children = models.BooleanField(_("open to children"), default=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["community", "kind", "pk"]
        verbose_name_plural = "facilities"
        constraints = [
            models.CheckConstraint(condition=models.Q(capacity__lte=100_000), name="facility_capacity_at_most_100000")
        ]

    def __str__(self) -> str:
        return self.name
