"""Parents' questions and their thread, experts' skills, the urgent lexicon, in-app alerts and each question's
keywords (for hot topics).

A question is routed to one level — its child's class (head teacher), the school (school admins) or the county
guidance center (experts) — and runs on the deadline engine (xieyu.deadlines) from the moment it is asked.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    STUDY_HABITS = "study_habits", _("Study habits")
    EMOTIONS = "emotions", _("Mental and emotional health")
    COMMUNICATION = "communication", _("Parent-child communication")
    HOMEWORK = "homework", _("Double reduction and homework")
    ADMISSIONS = "admissions", _("Further study and the new gaokao")
    SAFETY = "safety", _("Safety")
    SPECIAL_NEEDS = "special_needs", _("Special needs")
    OTHER = "other", _("Other")


class Level(models.TextChoices):
    """Who the question is addressed to."""

    CLASS = "class", _("the class (head teacher)")
    SCHOOL = "school", _("the school")
    COUNTY = "county", _("the county guidance center (experts)")


class Question(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("waiting for an answer")
        ANSWERED = "answered", _("answered")
        CLOSED = "closed", _("closed")

    class Visibility(models.TextChoices):
        PRIVATE = "private", _("private")
        PUBLISHABLE = "publishable", _("may be published anonymously")

    asker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="questions_asked")
    student = models.ForeignKey("directory.Student", on_delete=models.PROTECT, related_name="+")
    county = models.ForeignKey("directory.Region", on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey("directory.School", on_delete=models.PROTECT, related_name="+")
    school_class = models.ForeignKey(
        "directory.SchoolClass", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    level = models.CharField(_("addressed to"), max_length=10, choices=Level.choices)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    title = models.CharField(_("title"), max_length=60)
    body = models.TextField(_("question"), max_length=2000)
    visibility = models.CharField(_("visibility"), max_length=12, choices=Visibility.choices, default="private")
    photo = models.FileField(upload_to="questions/%Y/%m/", max_length=200, blank=True)
    photo_type = models.CharField(max_length=30, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="questions_assigned"
    )
    # Urgent flag: set when the text matches the county's lexicon; never removed, only cleared with a reason.
    flagged_at = models.DateTimeField(null=True, blank=True)
    flag_terms = models.JSONField(default=list, blank=True)
    flag_cleared_at = models.DateTimeField(null=True, blank=True)
    flag_count = models.PositiveSmallIntegerField(default=0)  # how many times it was flagged urgent
    flag_cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    flag_clear_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    first_response_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    rating_comment = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["asker", "-created_at"]),
            models.Index(fields=["county", "level", "status"]),
            models.Index(fields=["school", "level", "status"]),
            models.Index(fields=["school_class", "status"]),
            models.Index(fields=["county", "created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="question_rating_range",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_flagged(self) -> bool:
        return self.flagged_at is not None

    @property
    def is_urgent(self) -> bool:
        """Flagged and not cleared as a false alarm."""
        return self.flagged_at is not None and self.flag_cleared_at is None


class Message(models.Model):
    """One entry of a question's thread: an answer, the parent's follow-up, or an internal note (staff only)."""

    class Kind(models.TextChoices):
        ANSWER = "answer", _("answer")
        FOLLOW_UP = "follow_up", _("follow-up")
        NOTE = "note", _("internal note")
        EVENT = "event", _("event")

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    body = models.TextField(max_length=4000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["question", "created_at"])]


class ExpertSkill(models.Model):
    """An expert of the guidance center answers questions of these categories."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="question_skills")
    category = models.CharField(max_length=20, choices=Category.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "category"], name="expertskill_unique")]


class UrgentTerm(models.Model):
    """The lexicon that flags a question as urgent (self-harm, suicide, abuse, violence). The county extends it."""

    term = models.CharField(_("term"), max_length=20, unique=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.term


class Alert(models.Model):
    """An in-app alert to one staff member about one question (urgent flag, escalation, assignment).

    Our own, not a notice: notices are broadcasts from a unit; these are person-to-person and must exist the moment
    the question is saved (same transaction)."""

    class Kind(models.TextChoices):
        URGENT = "urgent", _("urgent question")
        ESCALATED = "escalated", _("overdue question")
        ASSIGNED = "assigned", _("question assigned to you")
        NEW = "new", _("new question")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="question_alerts")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # Which flagging of the question an urgent alert is about (Question.flag_count): flagged again after a false
    # alarm was cleared, the question alerts everyone afresh. Other kinds stay at 0 (one per user and question).
    round = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["user", "question", "kind", "round"], name="alert_unique")]
        indexes = [models.Index(fields=["user", "read_at"])]


class QuestionTerm(models.Model):
    """A keyword of a question (jieba), kept with its place and time so hot topics are one grouped count."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="terms")
    term = models.CharField(max_length=24)
    county = models.ForeignKey("directory.Region", on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey("directory.School", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["county", "created_at", "term"]),
            models.Index(fields=["school", "created_at", "term"]),
        ]
