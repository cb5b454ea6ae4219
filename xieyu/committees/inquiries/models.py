"""Inquiries (质询) and private teacher-ethics concerns (师德师风).

An inquiry is raised on one unit (a school, a grade or a class): by a committee, citing a resolution its meeting
passed, or by the unit's guardians, who co-sign a draft until the county's threshold is reached and it is filed.
Each round of answering (the first, a follow-up of the inquirers, a second answer the county directs) is a Round
with its own clock on the deadline engine (`inquiry.default`); its answers are signed and versioned.

A concern is one family's private report on a teacher's conduct, to the school's discipline office or the county,
on the `ethics.concern` clock.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DEFAULT_THRESHOLD = 10
FACTS_MIN = 20


class Subject(models.TextChoices):
    MANAGEMENT = "management", _("school management")
    ETHICS = "ethics", _("teacher ethics (师德师风)")
    HOMEWORK = "homework", _("homework burden")
    FIVE = "five", _("the five managements (五项管理)")
    AFTERSCHOOL = "afterschool", _("after-school service")
    FEES = "fees", _("fees")
    SAFETY = "safety", _("safety")
    OTHER = "other", _("other matters")


class InquirySettings(models.Model):
    """A county's rule for inquiries: how many guardians of a unit must co-sign before an inquiry is filed."""

    county = models.OneToOneField("directory.Region", on_delete=models.CASCADE, related_name="inquiry_settings")
    threshold = models.PositiveSmallIntegerField(_("co-signatures needed"), default=DEFAULT_THRESHOLD)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("inquiry settings")
        verbose_name_plural = _("inquiry settings")


class Inquiry(models.Model):
    class Level(models.TextChoices):
        SCHOOL = "school", _("the whole school")
        GRADE = "grade", _("a grade")
        CLASS = "class", _("a class")

    class Origin(models.TextChoices):
        COMMITTEE = "committee", _("raised by a committee")
        GUARDIANS = "guardians", _("raised by guardians")

    class State(models.TextChoices):
        DRAFT = "draft", _("gathering signatures")
        FILED = "filed", _("awaiting acknowledgement")
        ACKNOWLEDGED = "acknowledged", _("acknowledged, answer due")
        ANSWERED = "answered", _("answered")
        ACCEPTED = "accepted", _("answer accepted")
        WITHDRAWN = "withdrawn", _("withdrawn")

    OPEN_STATES = (State.FILED, State.ACKNOWLEDGED)

    county = models.ForeignKey("directory.Region", on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey("directory.School", on_delete=models.PROTECT, related_name="inquiries")
    level = models.CharField(_("unit"), max_length=10, choices=Level.choices)
    grade = models.ForeignKey("directory.Grade", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    school_class = models.ForeignKey(
        "directory.SchoolClass", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    origin = models.CharField(_("raised by"), max_length=10, choices=Origin.choices)
    committee = models.ForeignKey(
        "committees.Committee", null=True, blank=True, on_delete=models.PROTECT, related_name="inquiries"
    )
    resolution = models.ForeignKey(
        "committees.Resolution", null=True, blank=True, on_delete=models.PROTECT, related_name="inquiries"
    )
    subject = models.CharField(_("subject"), max_length=12, choices=Subject.choices)
    title = models.CharField(_("inquiry title"), max_length=80)
    facts = models.TextField(_("the facts"))
    asked = models.TextField(_("what is asked"))
    state = models.CharField(_("inquiry state"), max_length=12, choices=State.choices, default=State.DRAFT)
    # The guardian who started the draft, or the committee officer who filed it.
    proposer = models.ForeignKey("directory.Guardian", on_delete=models.PROTECT, related_name="+")
    proposer_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    threshold = models.PositiveSmallIntegerField(default=DEFAULT_THRESHOLD)  # the county's, when the draft began
    signature_count = models.PositiveIntegerField(default=0)  # kept by the services
    created_at = models.DateTimeField(default=timezone.now)
    filed_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdraw_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["school", "state"]),
            models.Index(fields=["county", "state"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="inquiry_unit_matches_level",
                condition=(
                    Q(level="school", grade__isnull=True, school_class__isnull=True)
                    | Q(level="grade", grade__isnull=False, school_class__isnull=True)
                    | Q(level="class", school_class__isnull=False)
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES

    def unit_name(self) -> str:
        if self.level == self.Level.CLASS and self.school_class is not None:
            return f"{self.school.name} {self.school_class}"
        if self.level == self.Level.GRADE and self.grade is not None:
            return f"{self.school.name} {self.grade}"
        return self.school.name


class Signature(models.Model):
    """A guardian's co-signature on a guardians' inquiry. Her name is shown only if she chose so."""

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="signatures")
    guardian = models.ForeignKey("directory.Guardian", on_delete=models.PROTECT, related_name="+")
    show_name = models.BooleanField(_("show my name"), default=False)
    signed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("co-signature")
        ordering = ["signed_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["inquiry", "guardian"], name="one_signature_per_guardian")]


class Round(models.Model):
    """One round of answering, with its own clock: the first (on filing), the inquirers' follow-up, or a second
    answer the county directs."""

    class Kind(models.TextChoices):
        FIRST = "first", _("first answer")
        FOLLOW_UP = "follow_up", _("follow-up of the inquirers")
        COUNTY = "county", _("second answer directed by the county")

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.TextField(blank=True)  # what the follow-up or the county's direction asks
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("answering round")
        ordering = ["inquiry_id", "number"]
        constraints = [models.UniqueConstraint(fields=["inquiry", "number"], name="one_round_number_per_inquiry")]


class Answer(models.Model):
    """The school's signed answer; an amendment is a new version, every version kept."""

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="answers")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="answers")
    version = models.PositiveSmallIntegerField()
    body = models.TextField(_("answer"))
    signer_name = models.CharField(_("signed by"), max_length=40)
    signer_role = models.CharField(_("signer's role"), max_length=40)
    signed_on = models.DateField(_("signed on"))
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("inquiry answer")
        ordering = ["inquiry_id", "-version"]
        constraints = [models.UniqueConstraint(fields=["inquiry", "version"], name="one_answer_version")]


class Pause(models.Model):
    """The school stopped the clock, with its reason (shown to the inquirers), until it resumed."""

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="pauses")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="pauses")
    reason = models.CharField(_("reason for pausing"), max_length=200)
    paused_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    paused_at = models.DateTimeField(default=timezone.now)
    resumed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("clock pause")
        ordering = ["paused_at", "pk"]


class InquiryTally(models.Model):
    """Counts per school kept by the services, for the county's overview (never counted from the rows)."""

    county = models.ForeignKey("directory.Region", on_delete=models.CASCADE, related_name="+")
    school = models.OneToOneField("directory.School", on_delete=models.CASCADE, related_name="inquiry_tally")
    filed = models.PositiveIntegerField(default=0)
    answered = models.PositiveIntegerField(default=0)  # first answers
    answered_on_time = models.PositiveIntegerField(default=0)
    accepted = models.PositiveIntegerField(default=0)
    withdrawn = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("inquiry tally")


class Concern(models.Model):
    """A family's private teacher-ethics concern. Never shown to teachers or head teachers; a concern about the
    school's leadership goes to the county only."""

    class Route(models.TextChoices):
        SCHOOL = "school", _("the school's discipline office")
        COUNTY = "county", _("the county education bureau")

    class State(models.TextChoices):
        OPEN = "open", _("received")
        ACKNOWLEDGED = "acknowledged", _("being looked into")
        ANSWERED = "answered", _("answered")

    county = models.ForeignKey("directory.Region", on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey("directory.School", on_delete=models.PROTECT, related_name="+")
    student = models.ForeignKey("directory.Student", on_delete=models.PROTECT, related_name="+")
    guardian = models.ForeignKey("directory.Guardian", on_delete=models.PROTECT, related_name="+")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    route = models.CharField(_("sent to"), max_length=10, choices=Route.choices)
    teacher_name = models.CharField(_("teacher concerned"), max_length=40)
    about_leadership = models.BooleanField(_("about the school's leadership"), default=False)
    facts = models.TextField(_("what happened"))
    state = models.CharField(_("concern state"), max_length=12, choices=State.choices, default=State.OPEN)
    outcome = models.TextField(_("outcome"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    answered_by_name = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("teacher-ethics concern")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["school", "route", "state"]), models.Index(fields=["county", "state"])]
        constraints = [
            models.CheckConstraint(
                name="concern_leadership_to_county", condition=Q(about_leadership=False) | Q(route="county")
            )
        ]
