"""Leadership groups (领导小组) of the county and of each school, their members by term, and the academic-year work
arrangements (工作安排): tasks with an owner, a due date on the deadline engine, a status and evidence.

A county task may be assigned to schools: each school then holds its own instance (`parent` is the county's task)
in its own arrangement for the year, which the school completes and the county follows."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class LeadershipGroup(models.Model):
    """The county's group (no school) or one school's group; one of each."""

    county = models.ForeignKey("directory.Region", on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey(
        "directory.School", null=True, blank=True, on_delete=models.PROTECT, related_name="leadership_groups"
    )
    name = models.CharField(_("group name"), max_length=80)
    duties = models.TextField(_("duties of the group"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("leadership group")
        constraints = [
            models.UniqueConstraint(fields=["county"], condition=Q(school__isnull=True), name="one_county_group"),
            models.UniqueConstraint(fields=["school"], condition=Q(school__isnull=False), name="one_school_group"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_county(self) -> bool:
        return self.school_id is None


class LeadershipMember(models.Model):
    """A seat in a group for one term: a platform user or a named person without an account. An ended seat keeps
    its row (the history of past terms)."""

    class Post(models.TextChoices):
        LEADER = "leader", _("group leader (组长)")
        DEPUTY = "deputy", _("deputy leader (副组长)")
        MEMBER = "member", _("group member (成员)")

    group = models.ForeignKey(LeadershipGroup, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(_("name"), max_length=50)
    title = models.CharField(_("job title"), max_length=60, blank=True)  # 局长, 副校长 …
    post = models.CharField(_("post in the group"), max_length=10, choices=Post.choices, default=Post.MEMBER)
    department = models.CharField(_("department (股室)"), max_length=60, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"))
    ended_at = models.DateTimeField(null=True, blank=True)
    end_note = models.CharField(_("why the seat ended"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("leadership group member")
        indexes = [models.Index(fields=["group", "ended_at"])]
        constraints = [
            models.CheckConstraint(name="leadership_term_in_order", condition=Q(term_end__gte=F("term_start"))),
        ]

    def __str__(self) -> str:
        return self.name


class WorkPlan(models.Model):
    """The county's or one school's work arrangement (工作安排) for one academic year."""

    county = models.ForeignKey("directory.Region", on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey(
        "directory.School", null=True, blank=True, on_delete=models.PROTECT, related_name="work_plans"
    )
    year = models.PositiveSmallIntegerField(_("academic year"))  # the calendar year it starts in
    title = models.CharField(_("arrangement title"), max_length=100)
    summary = models.TextField(_("summary"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("work arrangement")
        constraints = [
            models.UniqueConstraint(
                fields=["county", "year"], condition=Q(school__isnull=True), name="one_county_plan_per_year"
            ),
            models.UniqueConstraint(
                fields=["school", "year"], condition=Q(school__isnull=False), name="one_school_plan_per_year"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class WorkTask(models.Model):
    """One task of an arrangement. Its status is 未开始, 进行中 or 已完成; a task not done after its due date reads
    逾期 (late). County and school are copied from the plan, so lists and counts need no join."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("not started")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", pgettext_lazy("task", "done")

    plan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="tasks")
    county = models.ForeignKey("directory.Region", on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey("directory.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="instances"
    )  # a school's instance of a county task
    title = models.CharField(_("task title"), max_length=100)
    description = models.TextField(_("task description"), blank=True)
    owner_member = models.ForeignKey(
        LeadershipMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks"
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    owner_name = models.CharField(_("owner"), max_length=50, blank=True)
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("task status"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")  # fmt: skip
    reminded_at = models.DateTimeField(null=True, blank=True)  # the county's last reminder to late schools
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("work task")
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["county", "school", "status"]),
            models.Index(fields=["parent", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "school"], condition=Q(parent__isnull=False), name="one_instance_per_school"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_late(self, today=None) -> bool:
        return self.status != self.Status.DONE and self.due_on < (today or timezone.localdate())

    @property
    def shown_status(self) -> str:
        return "late" if self.is_late() else self.status

    def shown_status_label(self) -> str:
        return str(_("late")) if self.is_late() else str(self.get_status_display())


class TaskEvidence(models.Model):
    """What shows a task was done: an uploaded document, one of the unit's events, or a notice the unit sent."""

    class Kind(models.TextChoices):
        DOCUMENT = "document", _("document")
        EVENT = "event", _("event")
        NOTICE = "notice", _("notice")

    task = models.ForeignKey(WorkTask, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("evidence type"), max_length=10, choices=Kind.choices)
    file = models.FileField(upload_to="dashboard/evidence/%Y/%m/", blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    event = models.ForeignKey("events.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    notice = models.ForeignKey("notices.Notice", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    note = models.CharField(_("note"), max_length=200, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("task evidence")
        ordering = ["added_at", "pk"]
        constraints = [
            models.CheckConstraint(
                name="evidence_matches_kind",
                condition=(
                    Q(kind="document", event__isnull=True, notice__isnull=True)
                    | Q(kind="event", notice__isnull=True)
                    | Q(kind="notice", event__isnull=True)
                ),
            ),
        ]
