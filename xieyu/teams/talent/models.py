"""The parent talent pool (家长人才库): a guardian offers skills and time to the school of one of her children, with a
separate, explicit consent to show her name and skill to that school; the school invites her to an after-school
service session or to apply to the parent mutual-aid team."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class TalentProfile(models.Model):
    """What one guardian offers one school. Shown to that school only while `consent_at` is set (the consent's
    time); withdrawing the consent clears it and keeps when it was withdrawn. Editing keeps the consent."""

    guardian = models.ForeignKey("directory.Guardian", on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey("directory.School", on_delete=models.PROTECT, related_name="+")
    skills = models.ManyToManyField("teams.Skill", blank=True, related_name="+", verbose_name=_("skills"))
    other_skill = models.CharField(_("other skill"), max_length=30, blank=True)
    description = models.CharField(_("what I can offer"), max_length=500, blank=True)
    consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    consent_withdrawn_at = models.DateTimeField(_("consent withdrawn at"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["school", "pk"]
        constraints = [models.UniqueConstraint(fields=["guardian", "school"], name="talent_once_per_school")]
        indexes = [models.Index(fields=["school", "consent_at"])]

    def __str__(self) -> str:
        return f"{self.guardian} · {self.school}"

    @property
    def consented(self) -> bool:
        return self.consent_at is not None


class TalentSlot(models.Model):
    """One weekly time the guardian can give: a weekday and a part of the day."""

    class Part(models.TextChoices):
        MORNING = "morning", _("morning")
        AFTERNOON = "afternoon", _("afternoon")
        EVENING = "evening", _("evening")

    profile = models.ForeignKey(TalentProfile, on_delete=models.CASCADE, related_name="slots")
    weekday = models.PositiveSmallIntegerField(_("weekday"))  # 0 Monday … 6 Sunday
    part = models.CharField(_("part of the day"), max_length=10, choices=Part.choices)

    class Meta:
        ordering = ["weekday", "part"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "weekday", "part"], name="talent_slot_once"),
            models.CheckConstraint(condition=models.Q(weekday__lte=6), name="talent_slot_weekday_0_6"),
        ]

    @property
    def weekday_label(self) -> str:
        return str(WEEKDAYS[self.weekday])


class TalentInvitation(models.Model):
    """The school invites a guardian of its pool: to help at an after-school service session (`event`), or to apply
    to the county's parent mutual-aid team (`team`). Accepting a session places her as the event's helper when her
    background check covers the session's date; otherwise the invitation waits for the check."""

    class Kind(models.TextChoices):
        SESSION = "session", _("after-school service session")
        TEAM = "team", _("apply to the parent team")

    class Status(models.TextChoices):
        INVITED = "invited", pgettext_lazy("talent invitation", "invited")
        AWAITING_CHECK = "awaiting_check", _("awaiting background check")
        PLACED = "placed", _("placed as helper")
        APPLIED = "applied", pgettext_lazy("talent invitation", "applied to the team")
        DECLINED = "declined", pgettext_lazy("talent invitation", "declined")
        CANCELLED = "cancelled", pgettext_lazy("talent invitation", "cancelled")

    LIVE = (Status.INVITED, Status.AWAITING_CHECK)

    profile = models.ForeignKey(TalentProfile, on_delete=models.CASCADE, related_name="invitations")
    kind = models.CharField(_("invited to"), max_length=10, choices=Kind.choices)
    event = models.ForeignKey("events.Event", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey("teams.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("note"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.INVITED)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    invited_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)
    placed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-invited_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "event"],
                condition=models.Q(status__in=["invited", "awaiting_check"], event__isnull=False),
                name="talent_invitation_one_live_per_event",
            ),
            models.UniqueConstraint(
                fields=["profile", "team"],
                condition=models.Q(status__in=["invited", "awaiting_check"], team__isnull=False),
                name="talent_invitation_one_live_per_team",
            ),
        ]
        indexes = [models.Index(fields=["profile", "status"]), models.Index(fields=["status", "kind"])]
