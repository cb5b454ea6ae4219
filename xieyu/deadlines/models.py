"""The deadline engine's rows: the county calendar, policies, deadlines with their history, escalations, leases."""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DEFAULT_DAY_START = datetime.time(8, 0)
DEFAULT_DAY_END = datetime.time(17, 30)


def new_stamp() -> str:
    return uuid.uuid4().hex


class Unit(models.TextChoices):
    HOURS = "hours", _("working hours")
    DAYS = "days", _("working days")


class Level(models.TextChoices):
    """The rungs of an escalation chain, resolved from accounts.Membership when a deadline escalates."""

    OWNER = "owner", _("owner")
    HEAD_TEACHER = "head_teacher", _("head teacher of the class")
    SCHOOL_ADMIN = "school_admin", _("school admins")
    COUNTY_ADMIN = "county_admin", _("county admins")
    AGENCY = "agency", _("the partner agency's staff")


class CountyCalendar(models.Model):
    """A county's working hours and the stamp that tells every process when its calendar changed."""

    county = models.OneToOneField("directory.Region", on_delete=models.CASCADE, related_name="work_calendar")
    day_start = models.TimeField(_("working day starts"), default=DEFAULT_DAY_START)
    day_end = models.TimeField(_("working day ends"), default=DEFAULT_DAY_END)
    # A new random value on every change of hours, days or confirmed years: caches compare it (one small query).
    stamp = models.CharField(max_length=32, default=new_stamp)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("county calendar")


class CalendarDay(models.Model):
    """A day the county declares off, or a make-up working day (调休上班) it declares on."""

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("day off")
        WORKDAY = "workday", _("make-up working day")

    county = models.ForeignKey("directory.Region", on_delete=models.CASCADE, related_name="calendar_days")
    date = models.DateField(_("calendar date"))
    kind = models.CharField(_("kind of day"), max_length=10, choices=Kind.choices)
    note = models.CharField(_("calendar note"), max_length=100, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("calendar day")
        ordering = ["county_id", "date"]
        constraints = [models.UniqueConstraint(fields=["county", "date"], name="calendarday_unique_date")]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.get_kind_display()}"


class ScheduleYear(models.Model):
    """The county admin confirms they have entered the State Council schedule for a year the library lacks."""

    county = models.ForeignKey("directory.Region", on_delete=models.CASCADE, related_name="schedule_years")
    year = models.PositiveSmallIntegerField(_("schedule year"))
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    confirmed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("confirmed schedule year")
        constraints = [models.UniqueConstraint(fields=["county", "year"], name="scheduleyear_unique")]

    def __str__(self) -> str:
        return str(self.year)


class DeadlinePolicy(models.Model):
    """Targets and escalation for one kind of item, keyed by name ("question.default", "inquiry.default")."""

    name = models.CharField(_("policy name"), max_length=50, unique=True)
    description = models.CharField(_("policy description"), max_length=200, blank=True)
    first_response_amount = models.DecimalField(
        _("first response within"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    first_response_unit = models.CharField(max_length=5, choices=Unit.choices, default=Unit.HOURS)
    resolution_amount = models.DecimalField(_("resolution within"), max_digits=6, decimal_places=2)
    resolution_unit = models.CharField(max_length=5, choices=Unit.choices, default=Unit.DAYS)
    due_soon_amount = models.DecimalField(_("due soon from"), max_digits=6, decimal_places=2, default=2)
    due_soon_unit = models.CharField(max_length=5, choices=Unit.choices, default=Unit.HOURS)
    escalation_step_amount = models.DecimalField(_("escalate every"), max_digits=6, decimal_places=2, default=1)
    escalation_step_unit = models.CharField(max_length=5, choices=Unit.choices, default=Unit.DAYS)
    escalation_chain = models.JSONField(_("escalation chain"), default=list)
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("deadline policy")
        verbose_name_plural = _("deadline policies")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        chain = self.escalation_chain
        if not isinstance(chain, list) or any(level not in Level.values for level in chain):
            raise ValidationError(
                {"escalation_chain": _("List levels among: owner, head_teacher, school_admin, county_admin, agency.")}
            )
        if self.escalation_step_amount is not None and self.escalation_step_amount <= 0:
            raise ValidationError({"escalation_step_amount": _("The escalation step must be more than zero.")})

    def targets(self, resolution=None) -> dict:
        """The snapshot a deadline keeps, so a later edit of the policy never moves a running deadline.

        `resolution` ((amount, unit)) replaces the policy's resolution time for one item."""

        def pair(amount, unit):
            return None if amount is None else [str(amount), unit]

        return {
            "first_response": pair(self.first_response_amount, self.first_response_unit),
            "resolution": pair(*resolution) if resolution else pair(self.resolution_amount, self.resolution_unit),
            "due_soon": pair(self.due_soon_amount, self.due_soon_unit),
            "step": pair(self.escalation_step_amount, self.escalation_step_unit),
            "chain": list(self.escalation_chain),
        }


class Deadline(models.Model):
    """The clock of one item (a question, an inquiry, a referral …), labelled by target_type and target_id."""

    class State(models.TextChoices):
        RUNNING = "running", _("running")
        PAUSED = "paused", _("paused")
        RESOLVED = "resolved", _("resolved")
        CANCELLED = "cancelled", _("cancelled")

    class DueKind(models.TextChoices):
        FIRST_RESPONSE = "first_response", _("first response")
        RESOLUTION = "resolution", _("resolution")

    OPEN_STATES = (State.RUNNING, State.PAUSED)

    target_type = models.CharField(max_length=100)
    target_id = models.CharField(max_length=64)
    title = models.CharField(_("item title"), max_length=200, blank=True)
    county = models.ForeignKey("directory.Region", on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey("directory.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    school_class = models.ForeignKey(
        "directory.SchoolClass", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A deadline held by a partner agency (a referral to accept): its staff are the chain's "agency" rung.
    agency = models.ForeignKey(
        "directory.PartnerAgency", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="deadlines"
    )
    policy = models.ForeignKey(DeadlinePolicy, on_delete=models.PROTECT, related_name="deadlines")
    targets = models.JSONField(default=dict)

    state = models.CharField(_("deadline state"), max_length=10, choices=State.choices, default=State.RUNNING)
    started_at = models.DateTimeField(_("started at"))
    first_response_due = models.DateTimeField(_("first response due"), null=True, blank=True)
    resolution_due = models.DateTimeField(_("resolution due"))
    first_responded_at = models.DateTimeField(_("first responded at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    paused_seconds = models.PositiveIntegerField(default=0)  # working time paused so far

    # The due now counting (first response until answered, then resolution); null while paused or closed.
    current_due = models.DateTimeField(null=True, blank=True)
    current_due_kind = models.CharField(max_length=14, choices=DueKind.choices, blank=True)
    due_soon_from = models.DateTimeField(null=True, blank=True)
    due_soon_at = models.DateTimeField(null=True, blank=True)  # when the sweep announced "due soon"
    overdue_at = models.DateTimeField(null=True, blank=True)  # when the sweep found the current due passed
    escalation_steps = models.PositiveSmallIntegerField(default=0)  # overdue steps taken for the current due
    escalation_level = models.PositiveSmallIntegerField(default=0)  # chain entries used so far
    next_check_at = models.DateTimeField(null=True, blank=True)  # when the sweep must look again
    used_fallback = models.BooleanField(default=False)  # a due fell in a year without an official schedule
    version = models.PositiveIntegerField(default=0)  # every write bumps it; the sweep updates conditionally
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("deadline")
        constraints = [models.UniqueConstraint(fields=["target_type", "target_id"], name="deadline_unique_target")]
        indexes = [
            models.Index(fields=["state", "next_check_at"], name="deadline_sweep_idx"),
            models.Index(fields=["county", "state", "current_due"], name="deadline_county_idx"),
            models.Index(fields=["school", "state", "current_due"], name="deadline_school_idx"),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.target_type}#{self.target_id}"

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES

    def is_overdue(self, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.state == self.State.RUNNING and self.current_due is not None and self.current_due <= now

    def is_due_soon(self, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        return (
            self.state == self.State.RUNNING
            and self.due_soon_from is not None
            and self.current_due is not None  # always set with due_soon_from
            and self.due_soon_from <= now < self.current_due
        )


class DeadlineEvent(models.Model):
    """The history of every change to a deadline, in order."""

    class Kind(models.TextChoices):
        STARTED = "started", _("started")
        PAUSED = "paused", _("paused")
        RESUMED = "resumed", _("resumed")
        RESPONDED = "responded", _("responded")
        RESOLVED = "resolved", _("resolved")
        CANCELLED = "cancelled", _("cancelled")
        REASSIGNED = "reassigned", _("reassigned")
        RECOMPUTED = "recomputed", _("recomputed")
        DUE_SOON = "due_soon", _("due soon")
        OVERDUE = "overdue", _("overdue")
        ESCALATED = "escalated", _("escalated")

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["deadline", "at"])]


class Escalation(models.Model):
    """One person told about one overdue deadline at one level; the unique row makes telling them idempotent."""

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="escalations")
    level = models.PositiveSmallIntegerField()  # position in the chain
    role = models.CharField(max_length=14, choices=Level.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    due_kind = models.CharField(max_length=14, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["deadline", "level", "user"], name="escalation_unique_person"),
        ]
