"""The joint registry (建档立卡) of left-behind children and children in difficulty.

One entry per child: its categories, the entrusted carer (委托照护人, 未成年人保护法 §22), the absent parents and where
the child lives, each fact with the date it was noted and where it came from (a school survey, 妇联, 民政, a home
visit). A head teacher proposes an entry, a school admin confirms it; 妇联 and 民政 partners see and add to the
registry of their county, field by field as their agency's kind allows (registry/access.py). Every change leaves a
RegistryChange with who and why; every read leaves an audit AccessEvent. Each confirmed entry has a review
(RegistryReview) on the deadline engine, once a semester by default.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    """Where a fact in the registry came from."""

    SCHOOL_SURVEY = "school_survey", _("school survey")
    HEAD_TEACHER = "head_teacher", _("head teacher")
    HOME_VISIT = "home_visit", _("home visit")
    WOMEN_FEDERATION = "women_federation", _("women's federation")
    CIVIL_AFFAIRS = "civil_affairs", _("civil affairs bureau")
    GUARDIAN = "guardian", _("the guardian")
    OTHER = "other", _("other source")


class Category(models.TextChoices):
    LEFT_BEHIND_ONE = "left_behind_one", _("left behind: one parent away")
    LEFT_BEHIND_BOTH = "left_behind_both", _("left behind: both parents away")
    HARDSHIP_ECONOMIC = "hardship_economic", _("in difficulty: economic")
    HARDSHIP_DISABILITY = "hardship_disability", _("in difficulty: a disabled family member")
    HARDSHIP_ILLNESS = "hardship_illness", _("in difficulty: serious illness in the family")
    HARDSHIP_FAMILY = "hardship_family", _("in difficulty: family circumstances")
    ORPHAN = "orphan", _("orphan or without de facto carer")
    DIVORCED_SINGLE = "divorced_single", _("divorced or single-parent family")
    BEHAVIOUR = "behaviour", _("behavioural problems")
    DISABILITY = "disability", _("psychological or physical disability")
    OTHER = "other", _("other special needs")


LEFT_BEHIND = (Category.LEFT_BEHIND_ONE, Category.LEFT_BEHIND_BOTH)


class CarerType(models.TextChoices):
    """Who looks after the child day to day (the figures count registered children by it)."""

    PARENT = "parent", _("a parent")
    GRANDPARENT = "grandparent", _("grandparent")
    RELATIVE = "relative", _("other relative")
    OTHER = "other", _("other person")
    NONE = "none", _("nobody (living alone)")


class RegistryEntry(models.Model):
    class State(models.TextChoices):
        PROPOSED = "proposed", _("proposed, awaiting confirmation")
        CONFIRMED = "confirmed", _("in the registry")
        DECLINED = "declined", _("not taken into the registry")
        REMOVED = "removed", _("removed from the registry")

    student = models.OneToOneField("directory.Student", on_delete=models.PROTECT, related_name="care_entry")
    # Denormalised from the student when the entry is written (and on transfer) so scopes filter without joins.
    county = models.ForeignKey("directory.Region", on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey("directory.School", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.PROPOSED)
    community = models.ForeignKey(
        "directory.Community", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    village = models.CharField(_("village or community"), max_length=80, blank=True)
    # The entrusted carer (委托照护人, 未成年人保护法 §22–23)
    carer_name = models.CharField(_("carer's name"), max_length=50, blank=True)
    carer_relationship = models.CharField(_("carer's relationship to the child"), max_length=24, blank=True)
    carer_type = models.CharField(_("carer type"), max_length=12, choices=CarerType.choices, blank=True)
    carer_phone = models.CharField(_("carer's mobile number"), max_length=11, blank=True)
    carer_source = models.CharField(_("source"), max_length=20, choices=Source.choices, blank=True)
    carer_noted_on = models.DateField(_("noted on"), null=True, blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("reason"), max_length=200, blank=True)
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("registry entry")
        indexes = [models.Index(fields=["county", "state"]), models.Index(fields=["school", "state"])]

    def __str__(self) -> str:
        return f"registry entry {self.pk}"


class RegistryCategory(models.Model):
    """One category of a registered child, with its detail, source and date; ended rather than deleted."""

    entry = models.ForeignKey(RegistryEntry, on_delete=models.CASCADE, related_name="categories")
    category = models.CharField(_("category"), max_length=24, choices=Category.choices)
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    noted_on = models.DateField(_("noted on"), default=timezone.localdate)
    noted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    class Meta:
        verbose_name = _("registry category")
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "category"], condition=models.Q(ended_on__isnull=True), name="registry_category_open"
            )
        ]


class AbsentParent(models.Model):
    """A parent who lives away from a left-behind child: where, since when, and how to reach them."""

    class Who(models.TextChoices):
        FATHER = "father", _("father")
        MOTHER = "mother", _("mother")

    entry = models.ForeignKey(RegistryEntry, on_delete=models.CASCADE, related_name="absent_parents")
    who = models.CharField(_("parent"), max_length=8, choices=Who.choices)
    name = models.CharField(_("name"), max_length=50, blank=True)
    phone = models.CharField(_("mobile number"), max_length=11, blank=True)
    works_in = models.CharField(_("works in"), max_length=80, blank=True)
    away_since = models.DateField(_("away since"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    noted_on = models.DateField(_("noted on"), default=timezone.localdate)

    class Meta:
        verbose_name = _("absent parent")
        constraints = [models.UniqueConstraint(fields=["entry", "who"], name="absent_parent_once")]


class RegistryChange(models.Model):
    """The history of an entry: who changed what and why (the changed fields as {field: [old, new]})."""

    entry = models.ForeignKey(RegistryEntry, on_delete=models.CASCADE, related_name="changes")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    actor_role = models.CharField(max_length=20, blank=True)
    action = models.CharField(max_length=40)
    reason = models.CharField(_("reason"), max_length=200)
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]


class RegistryReview(models.Model):
    """One periodic review of a registered child (each semester by default), on the deadline engine."""

    entry = models.ForeignKey(RegistryEntry, on_delete=models.CASCADE, related_name="reviews")
    due_on = models.DateField(_("due on"))
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(_("review note"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-due_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["entry"], condition=models.Q(done_at__isnull=True), name="one_open_review")
        ]


class CarerSurvey(models.Model):
    """A short structured survey of a registered child's carer: what guidance they need (figures suppressed)."""

    class Need(models.TextChoices):
        STUDY = "study", _("help with homework and study")
        FEELINGS = "feelings", _("understanding the child's feelings")
        SAFETY = "safety", _("safety (water, traffic, online)")
        HEALTH = "health", _("health and nutrition")
        PARENT_CONTACT = "parent_contact", _("keeping the child in touch with the parents")
        SCREEN = "screen", _("phones and games")
        POLICY = "policy", _("support and benefits the family may claim")

    class Contact(models.TextChoices):
        DAILY = "daily", _("every day")
        WEEKLY = "weekly", _("every week")
        MONTHLY = "monthly", _("every month")
        RARELY = "rarely", _("rarely")

    entry = models.ForeignKey(RegistryEntry, on_delete=models.CASCADE, related_name="surveys")
    needs = models.JSONField(_("guidance needed"), default=list)  # Need values
    parent_contact = models.CharField(_("how often the child talks with the parents"), max_length=10,
                                      choices=Contact.choices)  # fmt: skip
    carer_age = models.PositiveSmallIntegerField(_("carer's age"), null=True, blank=True)
    carer_reads = models.BooleanField(_("the carer can read notices"), default=True)
    note = models.CharField(_("other needs"), max_length=300, blank=True)
    answered_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-answered_at"]

    @property
    def need_labels(self) -> list[str]:
        return [str(self.Need(n).label) for n in self.needs if n in self.Need.values]
