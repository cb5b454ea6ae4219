"""Home visits (家访) and the minutes of 双减 meetings.

- PlannedVisit: a family (one student) in a head teacher's term plan, with the date planned;
- HomeVisit: what happened on a visit: when, who went, who was met, where, what was discussed, concerns;
- VisitFollowUp: what was agreed, each with an owner and a due on the deadline engine (`visit.followup`);
- VisitCoverage: per class and school year, the families visited at least once (kept by the services and a
  nightly job), so coverage pages read counts, never visits;
- MeetingMinutes: for a 双减家长会 or 课后作业恳谈会 (an events.Event), what families raised and what the school
  changed, one line each, published to the audience's guardians as a notice.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PlannedVisit(models.Model):
    """One family in a class's plan for a term (a semester code such as "2025-autumn")."""

    county = models.ForeignKey("directory.Region", on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey("directory.School", on_delete=models.PROTECT, related_name="+")
    school_class = models.ForeignKey("directory.SchoolClass", on_delete=models.CASCADE, related_name="planned_visits")
    student = models.ForeignKey("directory.Student", on_delete=models.CASCADE, related_name="planned_visits")
    term = models.CharField(max_length=12)
    planned_on = models.DateField(_("planned date"))
    planned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("planned home visit")
        constraints = [models.UniqueConstraint(fields=["student", "term"], name="planned_visit_once_a_term")]
        indexes = [models.Index(fields=["school_class", "term"])]


class HomeVisit(models.Model):
    class Place(models.TextChoices):
        HOME = "home", _("at home")
        SCHOOL = "school", _("at school")
        PHONE_VIDEO = "phone_video", _("by phone or video")
        OTHER = "other", _("elsewhere")

    county = models.ForeignKey("directory.Region", on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey("directory.School", on_delete=models.PROTECT, related_name="+")
    school_class = models.ForeignKey("directory.SchoolClass", on_delete=models.PROTECT, related_name="home_visits")
    student = models.ForeignKey("directory.Student", on_delete=models.PROTECT, related_name="home_visits")
    visited_on = models.DateField(_("date of the visit"))
    place = models.CharField(_("where"), max_length=12, choices=Place.choices, default=Place.HOME)
    visitors = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("who went"))
    met = models.ManyToManyField("directory.Guardian", related_name="+", blank=True, verbose_name=_("guardians met"))
    companion = models.CharField(_("also met"), max_length=100, blank=True)
    discussed = models.TextField(_("what was discussed"))
    concerns = models.TextField(_("concerns"), blank=True)
    case_request = models.ForeignKey(
        "care.CaseRequest", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("home visit")
        ordering = ["-visited_on", "-pk"]
        indexes = [
            models.Index(fields=["school_class", "visited_on"]),
            models.Index(fields=["student", "visited_on"]),
        ]

    def __str__(self) -> str:
        return f"home visit {self.pk}"


class VisitFollowUp(models.Model):
    visit = models.ForeignKey(HomeVisit, on_delete=models.CASCADE, related_name="follow_ups")
    text = models.CharField(_("what to follow up"), max_length=200)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(_("due"), null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("visit follow-up")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"visit follow-up {self.pk}"


class VisitCoverage(models.Model):
    """The families of one class visited at least once in one school year (starting in September of `year`)."""

    county = models.ForeignKey("directory.Region", on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey("directory.School", on_delete=models.CASCADE, related_name="+")
    school_class = models.ForeignKey("directory.SchoolClass", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    families = models.PositiveIntegerField(default=0)
    visited = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school_class", "year"], name="visit_coverage_once")]
        indexes = [models.Index(fields=["county", "year"]), models.Index(fields=["school", "year"])]


class MeetingMinutes(models.Model):
    """What families raised at a 双减 meeting and what the school changed, one line each."""

    event = models.OneToOneField("events.Event", on_delete=models.CASCADE, related_name="burden_minutes")
    raised = models.JSONField(_("what families raised"), default=list)
    changes = models.JSONField(_("what the school changed"), default=list)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    notice = models.ForeignKey("notices.Notice", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("meeting minutes")

    def __str__(self) -> str:
        return f"minutes of event {self.event_id}"
