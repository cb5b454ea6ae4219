"""The term appraisal (评议): one questionnaire per school and term, answered once per family (for one child), kept
anonymous to the school.

A response holds the ratings and the class they are about, and nothing that leads back to a family: no guardian, no
student, no time of day. Uniqueness is kept by a separate marker (`AppraisalAnswered`: this child's family has
answered this appraisal) that no page of the school reads and that has no link to the response. Comments are masked
when written (names, phone numbers, insults) and wait for a county moderator before the school sees them. Results are
rolled up per appraisal and class (`AppraisalClassRollup`), and the suppressed table the pages show is kept on the
appraisal (`results`), computed when it closes or by the scheduler while it is open.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Section(models.TextChoices):
    """The fixed sections of the questionnaire, each rated 1–5 with an optional comment."""

    MANAGEMENT = "management", _("school management")
    ETHICS = "ethics", _("teachers' ethics and conduct in the class")
    HOMEWORK = "homework", _("homework")
    AFTERSCHOOL = "afterschool", _("after-school service")
    COMMUNICATION = "communication", _("home-school communication")


SECTIONS = [s.value for s in Section]


class Appraisal(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("open for answers")
        CLOSED = "closed", _("closed")

    county = models.ForeignKey("directory.Region", on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey("directory.School", on_delete=models.PROTECT, related_name="appraisals")
    term = models.CharField(_("school term"), max_length=40)
    status = models.CharField(_("appraisal status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    responses = models.PositiveIntegerField(default=0)  # kept by the answer service
    # The suppressed results table (see rollups.py), as the pages and the API show it; and when it was computed.
    results = models.JSONField(default=dict, blank=True)
    results_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("appraisal")
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["school"], condition=Q(status="open"), name="one_open_appraisal_per_school"
            ),
            models.UniqueConstraint(fields=["school", "term"], name="one_appraisal_per_school_term"),
        ]

    def __str__(self) -> str:
        return f"{self.term}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class AppraisalAnswered(models.Model):
    """This child's family has answered this appraisal: the one-way marker that keeps one response per family. It
    names no response, and no page of the school reads it."""

    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey("directory.Student", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["appraisal", "student"], name="one_answer_per_family")]


def unordered_id() -> int:
    """A random primary key: responses and comments carry no order, so their ids cannot be matched, by order of
    writing, against the rows that record which family has answered."""
    return secrets.randbelow(2**62) + 1


def _rating(label):
    return models.PositiveSmallIntegerField(label, validators=[MinValueValidator(1), MaxValueValidator(5)])


class AppraisalResponse(models.Model):
    """One family's ratings, about one class: nothing else (no family, no time, no order)."""

    id = models.BigIntegerField(primary_key=True, default=unordered_id, editable=False)
    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="answers")
    school_class = models.ForeignKey("directory.SchoolClass", on_delete=models.PROTECT, related_name="+")
    management = _rating(_("school management"))
    ethics = _rating(_("teachers' ethics and conduct in the class"))
    homework = _rating(_("homework"))
    afterschool = _rating(_("after-school service"))
    communication = _rating(_("home-school communication"))

    class Meta:
        constraints = [
            models.CheckConstraint(name=f"appraisal_{s}_1_to_5", condition=Q(**{f"{s}__gte": 1, f"{s}__lte": 5}))
            for s in SECTIONS
        ]


class AppraisalComment(models.Model):
    """A comment on one section, masked when written; the school sees it once a county moderator approves it."""

    class State(models.TextChoices):
        PENDING = "pending", _("awaiting moderation")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    id = models.BigIntegerField(primary_key=True, default=unordered_id, editable=False)
    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="comments")
    school_class = models.ForeignKey("directory.SchoolClass", on_delete=models.PROTECT, related_name="+")
    section = models.CharField(_("questionnaire section"), max_length=16, choices=Section.choices)
    text = models.TextField(_("comment"))  # already masked: the words as written are never stored
    masked = models.PositiveSmallIntegerField(default=0)  # how many pieces were masked
    state = models.CharField(_("moderation"), max_length=10, choices=State.choices, default=State.PENDING)
    moderated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    moderated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("appraisal comment")
        indexes = [models.Index(fields=["state", "appraisal"])]


class AppraisalClassRollup(models.Model):
    """The counts of one appraisal in one class: responses and the sum of each section's ratings (raw, for the
    figures; pages read the appraisal's suppressed `results`)."""

    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="rollups")
    school_class = models.ForeignKey("directory.SchoolClass", on_delete=models.PROTECT, related_name="+")
    responses = models.PositiveIntegerField(default=0)
    sum_management = models.PositiveIntegerField(default=0)
    sum_ethics = models.PositiveIntegerField(default=0)
    sum_homework = models.PositiveIntegerField(default=0)
    sum_afterschool = models.PositiveIntegerField(default=0)
    sum_communication = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["appraisal", "school_class"], name="one_rollup_per_class")]
