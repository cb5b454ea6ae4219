"""Topic requests (点单): guidance topics guardians ask their school's parent school to cover, and the families'
votes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xieyu.questions.asking.models import Category


class TopicRequest(models.Model):
    """A guidance topic guardians ask their school's parent school to cover.

    `scheduled_event_id` will point at an events.Event once the parent school plans a session on it (kept as a plain
    id so this module does not depend on events)."""

    class Status(models.TextChoices):
        OPEN = "open", _("collecting votes")
        PLANNED = "planned", _("planned")
        SCHEDULED = "scheduled", _("session scheduled")
        HELD = "held", _("held")
        DECLINED = "declined", _("declined")

    school = models.ForeignKey("directory.School", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("topic"), max_length=40)
    description = models.CharField(_("details"), max_length=300, blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, default=Category.OTHER)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    scheduled_event_id = models.BigIntegerField(null=True, blank=True)
    votes_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-votes_count", "-created_at", "-pk"]
        indexes = [models.Index(fields=["school", "status", "-votes_count"])]

    def __str__(self) -> str:
        return self.title


class TopicVote(models.Model):
    """One family's vote: a family is the set of guardians of one child, so the unique key is (topic, student)."""

    topic = models.ForeignKey(TopicRequest, on_delete=models.CASCADE, related_name="votes")
    student = models.ForeignKey("directory.Student", on_delete=models.CASCADE, related_name="+")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["topic", "student"], name="topicvote_one_per_family")]
        indexes = [models.Index(fields=["created_at"])]
