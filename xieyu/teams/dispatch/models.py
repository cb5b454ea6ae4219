"""Dispatch: a school, a community or the county posts a need (a lecture, a clinic, a case follow-up, after-school
sessions, a lecture-tour stop); the platform proposes members; the coordinator invites; the member accepts or
declines; an accepted assignment places the member as staff of the need's event (events.Staff)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Need(models.Model):
    class Kind(models.TextChoices):
        LECTURE = "lecture", pgettext_lazy("need", "lecture")
        CLINIC = "clinic", pgettext_lazy("need", "clinic")
        CASE_FOLLOWUP = "case_followup", _("case follow-up")
        AFTER_SCHOOL = "after_school", _("after-school service")
        TOUR_STOP = "tour_stop", pgettext_lazy("need", "lecture tour stop")
        COMMUNITY = "community", _("community activity")
        OTHER = "other", pgettext_lazy("need", "other")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("need", "open")
        FILLED = "filled", pgettext_lazy("need", "filled")
        CANCELLED = "cancelled", pgettext_lazy("need", "cancelled")
        DONE = "done", pgettext_lazy("need", "done")

    county = models.ForeignKey("directory.Region", on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey("directory.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    community = models.ForeignKey(
        "directory.Community", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind of need"), max_length=16, choices=Kind.choices)
    topic = models.CharField(pgettext_lazy("need", "topic"), max_length=80)
    stage = models.CharField(_("stage"), max_length=20, blank=True)  # directory.Stage values; blank for any
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200)
    town = models.ForeignKey("directory.Town", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    skills = models.ManyToManyField("teams.Skill", blank=True, related_name="+", verbose_name=_("skills needed"))
    team_kind = models.CharField(_("from which team"), max_length=10, blank=True)  # Team.Kind values; blank: any
    people = models.PositiveSmallIntegerField(_("people needed"), default=1)
    with_children = models.BooleanField(_("works with children"), default=True)
    event = models.ForeignKey("events.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["county", "status", "starts_at"]), models.Index(fields=["school", "status"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="need_ends_after_start"),
            models.CheckConstraint(condition=models.Q(people__gte=1, people__lte=50), name="need_people_1_50"),
        ]

    def __str__(self) -> str:
        return self.topic


class Assignment(models.Model):
    """A member invited to a need: invited → accepted / declined; an accepted one may later be withdrawn (by the
    member, with a reason) or cancelled (by the coordinator). Its copy of the need's times is what the clash check
    and the member's calendar read."""

    class Status(models.TextChoices):
        INVITED = "invited", pgettext_lazy("assignment", "invited")
        ACCEPTED = "accepted", pgettext_lazy("assignment", "accepted")
        DECLINED = "declined", pgettext_lazy("assignment", "declined")
        WITHDRAWN = "withdrawn", pgettext_lazy("assignment", "withdrawn")
        CANCELLED = "cancelled", pgettext_lazy("assignment", "cancelled")

    LIVE = (Status.INVITED, Status.ACCEPTED)

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="assignments")
    member = models.ForeignKey("teams.Member", on_delete=models.PROTECT, related_name="assignments")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.INVITED)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    invited_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["need", "member"],
                condition=models.Q(status__in=["invited", "accepted"]),
                name="assignment_one_live_per_member",
            )
        ]
        indexes = [
            models.Index(fields=["member", "status", "starts_at"]),
            models.Index(fields=["need", "status"]),
        ]
