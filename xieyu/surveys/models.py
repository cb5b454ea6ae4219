"""The questionnaire engine: instruments, their versions, waves and the answers families give in each wave.

- A Questionnaire is the instrument as people name it ("家庭教育评价"); its content lives in versions. A published
  version is never edited in place: a change is a new draft version, copied from the last one, then published.
- Questions carry a stable `code` across versions, so a family's answers compare from wave to wave even when the
  wording changes; a question may belong to a dimension (scored 0–100 per response) and be reverse-scored.
- A Wave asks one version of a questionnaire of one audience between two dates (its close is on the deadline
  engine); reminders go out as notices.
- A Respondent is a family (a child and its guardians) or one guardian, under a pseudonym stable across the
  waves of one questionnaire, so analysts follow change over time without names. A Response is one respondent's
  answer (or its declared skip) in one wave, with the consent given for that wave.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Questionnaire(models.Model):
    class RespondentKind(models.TextChoices):
        FAMILY = "family", _("one answer per family (child)")
        GUARDIAN = "guardian", _("one answer per guardian")

    title = models.CharField(_("title"), max_length=80)
    description = models.TextField(_("description"), blank=True)
    # A standard instrument the platform knows by name ("family_evaluation"); blank for any other.
    key = models.CharField(max_length=40, blank=True, db_index=True)
    respondent_kind = models.CharField(
        _("who answers"), max_length=10, choices=RespondentKind.choices, default=RespondentKind.FAMILY
    )
    # Who owns it: the county's (school empty) or one school's.
    county = models.ForeignKey("directory.Region", on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey("directory.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    is_archived = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["county", "school"])]

    def __str__(self) -> str:
        return self.title


class Version(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        RETIRED = "retired", _("retired")

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    note = models.CharField(_("what changed"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["questionnaire", "number"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "number"], name="survey_version_number_unique"),
            models.UniqueConstraint(
                fields=["questionnaire"], condition=Q(status="draft"), name="survey_one_draft_per_questionnaire"
            ),
        ]


class Section(models.Model):
    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(_("section title"), max_length=80)
    description = models.TextField(_("section description"), blank=True)

    class Meta:
        ordering = ["version", "position"]


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("single choice")
        MULTIPLE = "multiple", _("multiple choice")
        SCALE = "scale", _("scale")
        NUMBER = "number", _("number")
        TEXT = "text", _("short text")
        DATE = "date", _("date")

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="questions")
    section = models.ForeignKey(Section, null=True, blank=True, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    code = models.SlugField(max_length=40)  # stable across versions: the longitudinal key of a question
    kind = models.CharField(_("question type"), max_length=10, choices=Kind.choices)
    text = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("explanation"), max_length=300, blank=True)
    required = models.BooleanField(_("required"), default=True)
    # single/multiple: [{"value": "a", "label": "…", "score": 0-100 or null}]; scale: [{"value": "1", "label": "从不"}…]
    options = models.JSONField(default=list, blank=True)
    scale_min = models.SmallIntegerField(null=True, blank=True)
    scale_max = models.SmallIntegerField(null=True, blank=True)
    number_min = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    number_max = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    max_choices = models.PositiveSmallIntegerField(null=True, blank=True)
    # Skip logic: shown only when an earlier question's answer is one of the values: {"code": "q1", "in": ["a"]}.
    show_if = models.JSONField(null=True, blank=True)
    dimension = models.SlugField(max_length=40, blank=True)  # scored into this dimension (0–100), if any
    reverse = models.BooleanField(default=False)  # a higher scale answer means a lower score

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="survey_question_code_unique"),
            models.UniqueConstraint(fields=["version", "position"], name="survey_question_position_unique"),
        ]

    def __str__(self) -> str:
        return self.text


class Wave(models.Model):
    class Audience(models.TextChoices):
        SCHOOL_CLASS = "class", _("a class")
        SCHOOL = "school", _("a school")
        COUNTY = "county", _("the county")
        CARERS = "carers", _("carers on the care registry")
        HOOK = "hook", _("attendees of an activity")  # filled by a higher app (a parent-school session)

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="waves")
    version = models.ForeignKey(Version, on_delete=models.PROTECT, related_name="waves")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(_("wave title"), max_length=80)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices)
    county = models.ForeignKey("directory.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey("directory.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    school_class = models.ForeignKey(
        "directory.SchoolClass", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    hook = models.CharField(max_length=60, blank=True)  # "parentschool.session:12"
    invited = models.PositiveIntegerField(default=0)  # respondents in the audience when the wave opened
    reminder_notice = models.ForeignKey(
        "notices.Notice", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reminded_at = models.DateTimeField(null=True, blank=True)  # the last notice or messages asking it (first or reminder)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["questionnaire", "number"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "number"], name="survey_wave_number_unique"),
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="survey_wave_closes_after"),
        ]
        indexes = [models.Index(fields=["closes_at"])]

    def __str__(self) -> str:
        return self.title

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at


def new_pseudonym() -> str:
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud and copied by hand
    return "F" + "".join(secrets.choice(alphabet) for _ in range(7))


class Respondent(models.Model):
    """A family (or a guardian) under the pseudonym analysts see, stable across the waves of one questionnaire."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="respondents")
    pseudonym = models.CharField(max_length=12, unique=True, default=new_pseudonym)
    student = models.ForeignKey("directory.Student", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    guardian = models.ForeignKey(
        "directory.Guardian", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "student"], name="survey_respondent_family_once"),
            models.UniqueConstraint(fields=["questionnaire", "guardian"], name="survey_respondent_guardian_once"),
            models.CheckConstraint(
                condition=Q(student__isnull=False, guardian__isnull=True)
                | Q(student__isnull=True, guardian__isnull=False),
                name="survey_respondent_family_or_guardian",
            ),
        ]


class Response(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", pgettext_lazy("survey response", "answered")
        SKIPPED = "skipped", _("skipped this wave")

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="responses")
    respondent = models.ForeignKey(Respondent, on_delete=models.CASCADE, related_name="responses")
    status = models.CharField(max_length=10, choices=Status.choices)
    # Where the family was when it answered: change per class is computed on these, not today's roster.
    school = models.ForeignKey("directory.School", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    school_class = models.ForeignKey(
        "directory.SchoolClass", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    consent = models.BooleanField(default=False)  # consent for this wave's use of the answers, given when answering
    scores = models.JSONField(default=dict, blank=True)  # {dimension: 0–100}, computed on submit
    total = models.FloatField(null=True, blank=True)  # mean of the dimension scores
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["wave", "respondent"], name="survey_response_once_per_wave")]
        indexes = [models.Index(fields=["wave", "school_class"]), models.Index(fields=["wave", "school"])]


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    choices = models.JSONField(default=list, blank=True)  # single/multiple: the chosen option values
    number = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)  # scale and number
    text = models.CharField(max_length=500, blank=True)
    date = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="survey_answer_once")]


from .evaluation.models import CandidateConsent, FallSuggestion, Instrument  # noqa: E402, F401  the evaluation's own
