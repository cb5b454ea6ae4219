"""One engine for every selection campaign (模范家庭, 优秀家长, 优秀家庭教育指导者, 协同育人先进单位, or the county's own).

A campaign moves through phases — nomination → school review → county review (expert scores on a rubric) → public
vote (optional) → 公示 → result — each phase's end on the deadline engine. A nomination names one nominee: a family
(a confirmed child's guardians, held by the child), a guardian, a person (a teacher, an expert, a volunteer) or a
unit (a school or a community). An objection during 公示 is real-name and carries facts; the county verifies it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Campaign(models.Model):
    class Kind(models.TextChoices):
        MODEL_FAMILY = "model_family", pgettext_lazy("award", "model family")  # 教育模范家庭
        EXCELLENT_PARENT = "excellent_parent", pgettext_lazy("award", "excellent parent")  # 优秀家长
        INSTRUCTOR = "instructor", pgettext_lazy("award", "excellent family-education instructor")
        ADVANCED_UNIT = "advanced_unit", pgettext_lazy("award", "advanced collaborative unit")  # 协同育人先进单位
        CUSTOM = "custom", pgettext_lazy("award", "other")

    class Nominee(models.TextChoices):  # what a nomination names
        FAMILY = "family", pgettext_lazy("nominee", "family")
        GUARDIAN = "guardian", pgettext_lazy("nominee", "parent")
        PERSON = "person", pgettext_lazy("nominee", "person")
        UNIT = "unit", pgettext_lazy("nominee", "unit")

    class Phase(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("campaign phase", "draft")
        NOMINATION = "nomination", pgettext_lazy("campaign phase", "nomination")
        SCHOOL_REVIEW = "school_review", pgettext_lazy("campaign phase", "school review")
        COUNTY_REVIEW = "county_review", pgettext_lazy("campaign phase", "county review")
        VOTE = "vote", pgettext_lazy("campaign phase", "public vote")
        PUBLICITY = "publicity", pgettext_lazy("campaign phase", "public notice (公示)")
        RESULT = "result", pgettext_lazy("campaign phase", "result")
        CANCELLED = "cancelled", pgettext_lazy("campaign phase", "cancelled")

    county = models.ForeignKey("directory.Region", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("award"), max_length=20, choices=Kind.choices)
    nominee = models.CharField(_("who is nominated"), max_length=10, choices=Nominee.choices)
    title = models.CharField(_("title"), max_length=80)
    description = models.TextField(_("what the campaign looks for"), blank=True)
    school_kinds = models.JSONField(default=list, blank=True)  # School.Kind values; empty: every school
    quota = models.PositiveSmallIntegerField(_("number of awards"), default=10)
    rubric = models.JSONField(default=list)  # [{"name": "家风建设", "max": 30}, …]
    has_vote = models.BooleanField(_("public vote"), default=False)
    expert_weight = models.PositiveSmallIntegerField(_("weight of the expert score (%)"), default=100)
    vote_weight = models.PositiveSmallIntegerField(_("weight of the vote (%)"), default=0)
    publicity_days = models.PositiveSmallIntegerField(_("working days of 公示"), default=5)
    phase = models.CharField(max_length=16, choices=Phase.choices, default=Phase.DRAFT)
    phase_started_at = models.DateTimeField(null=True, blank=True)
    phase_ends_at = models.DateTimeField(null=True, blank=True)  # the current phase's end (working days)
    nomination_ends_at = models.DateTimeField(null=True, blank=True)
    vote_starts_at = models.DateTimeField(null=True, blank=True)
    vote_ends_at = models.DateTimeField(null=True, blank=True)
    publicity_starts_at = models.DateTimeField(null=True, blank=True)
    publicity_ends_at = models.DateTimeField(null=True, blank=True)
    result_at = models.DateTimeField(null=True, blank=True)
    # Working days of the phases before 公示 ({"nomination": 10, …}); a phase not named takes DEFAULT_PHASE_DAYS.
    phase_days = models.JSONField(default=dict, blank=True)
    # The experts who score; none assigned: every expert of the county.
    experts = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    cancel_reason = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.title


class Nomination(models.Model):
    class By(models.TextChoices):
        SCHOOL = "school", pgettext_lazy("nominated by", "school")
        COMMITTEE = "committee", pgettext_lazy("nominated by", "parent committee")
        COMMUNITY = "community", pgettext_lazy("nominated by", "community")
        SELF = "self", pgettext_lazy("nominated by", "self")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", pgettext_lazy("nomination status", "submitted")
        SCHOOL_REJECTED = "school_rejected", pgettext_lazy("nomination status", "not recommended by the school")
        RECOMMENDED = "recommended", pgettext_lazy("nomination status", "recommended by the school")
        COUNTY_REJECTED = "county_rejected", pgettext_lazy("nomination status", "not shortlisted")
        SHORTLISTED = "shortlisted", pgettext_lazy("nomination status", "shortlisted")
        REMOVED = "removed", pgettext_lazy("nomination status", "removed after an objection")
        SELECTED = "selected", pgettext_lazy("nomination status", "selected")
        NOT_SELECTED = "not_selected", pgettext_lazy("nomination status", "not selected")
        WITHDRAWN = "withdrawn", pgettext_lazy("nomination status", "withdrawn")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="nominations")
    by = models.CharField(max_length=10, choices=By.choices)
    nominated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The nominee: exactly one of these, as the campaign's `nominee` says.
    student = models.ForeignKey("directory.Student", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    guardian = models.ForeignKey(
        "directory.Guardian", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit_school = models.ForeignKey(
        "directory.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit_community = models.ForeignKey(
        "directory.Community", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    display_name = models.CharField(_("nominee"), max_length=60)  # e.g. 张小明家庭, as published in 公示
    school = models.ForeignKey(  # the school that reviews it (none for county-level nominees)
        "directory.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    statement = models.TextField(_("deeds"))  # 事迹
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    expert_score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)  # mean of experts
    votes = models.PositiveIntegerField(default=0)  # from the closed tally
    final_score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    rank = models.PositiveSmallIntegerField(null=True, blank=True)
    certificate_no = models.CharField(max_length=30, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.display_name


class NominationMaterial(models.Model):
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="materials")
    token = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=120)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    file = models.FileField(upload_to="awards/materials/")
    created_at = models.DateTimeField(default=timezone.now)


class NominationReview(models.Model):
    """A school's or the county's decision on a nomination, with its note."""

    class Step(models.TextChoices):
        SCHOOL = "school", pgettext_lazy("review step", "school review")
        COUNTY = "county", pgettext_lazy("review step", "county review")
        OBJECTION = "objection", pgettext_lazy("review step", "re-review after an objection")

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="reviews")
    step = models.CharField(max_length=10, choices=Step.choices)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved = models.BooleanField()
    note = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(default=timezone.now)


class ExpertScore(models.Model):
    """One expert's scores of one nomination on the campaign's rubric."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="scores")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    points = models.JSONField()  # {"家风建设": 27, …}, each within its criterion's max
    total = models.DecimalField(max_digits=6, decimal_places=2)
    note = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["nomination", "expert"], name="expert_score_unique")]


class Objection(models.Model):
    """A real-name objection to a shortlisted nominee during 公示, verified by the county."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("objection status", "being verified")
        UPHELD = "upheld", pgettext_lazy("objection status", "upheld")
        DISMISSED = "dismissed", pgettext_lazy("objection status", "dismissed")

    nomination = models.ForeignKey(Nomination, on_delete=models.PROTECT, related_name="objections")
    objector = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    real_name = models.CharField(_("your real name"), max_length=30)
    phone = models.CharField(_("phone"), max_length=20)
    facts = models.TextField(_("the facts"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    class Action(models.TextChoices):  # what an upheld objection does to the nominee
        REMOVE = "remove", pgettext_lazy("objection action", "removed from the list")
        REREVIEW = "rereview", pgettext_lazy("objection action", "reviewed again by the experts")

    reason = models.CharField(_("the county's finding"), max_length=300, blank=True)
    action = models.CharField(max_length=10, choices=Action.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
