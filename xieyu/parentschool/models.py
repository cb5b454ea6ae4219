"""家长学校: each school's parent school, its rules, instructors, curriculum, term sessions and follow-ups.

Learners are not stored: the guardians of a school's enrolled students are its learners (孩子入园,家长入校), so a
transfer moves them with the child.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xieyu.directory.models import Stage


class Theme(models.TextChoices):
    HABITS = "habits", _("habit building")
    MENTAL_HEALTH = "mental_health", _("mental health")
    COMMUNICATION = "communication", _("parent-child communication")
    SAFETY = "safety", _("safety education")
    DOUBLE_REDUCTION = "double_reduction", _("double reduction policy")
    FAMILY_EDUCATION_LAW = "family_education_law", _("Family Education Promotion Law")
    CAREER = "career", _("career planning and the new gaokao")
    RED_TRADITION = "red_tradition", _("red family traditions")
    HAKKA_TRADITION = "hakka_tradition", _("Hakka family traditions")


class ParentSchool(models.Model):
    school = models.OneToOneField("directory.School", on_delete=models.CASCADE, related_name="parent_school")
    established_on = models.DateField(_("established on"))
    person_in_charge = models.CharField(_("person in charge"), max_length=50)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.school.name} 家长学校"


class RulesDocument(models.Model):
    parent_school = models.ForeignKey(ParentSchool, on_delete=models.CASCADE, related_name="rules")
    title = models.CharField(_("title"), max_length=100)
    url = models.URLField(_("link"), blank=True)
    text = models.TextField(_("text"), blank=True)
    file = models.FileField(_("file"), upload_to="parentschool/rules/%Y/", blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    adopted_on = models.DateField(_("adopted on"), default=timezone.localdate)

    class Meta:
        ordering = ["adopted_on", "pk"]


class Instructor(models.Model):
    class Kind(models.TextChoices):
        TEACHER = "teacher", _("teacher")
        EXPERT = "expert", _("expert")
        OTHER = "other", _("other")

    parent_school = models.ForeignKey(ParentSchool, on_delete=models.CASCADE, related_name="instructors")
    name = models.CharField(_("name"), max_length=50)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["kind", "name", "pk"]

    def __str__(self) -> str:
        return self.name


class Course(models.Model):
    parent_school = models.ForeignKey(ParentSchool, on_delete=models.CASCADE, related_name="courses")
    title = models.CharField(_("title"), max_length=80)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    theme = models.CharField(_("theme"), max_length=24, choices=Theme.choices)
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1, default=1)

    class Meta:
        ordering = ["stage", "theme", "title", "pk"]

    def __str__(self) -> str:
        return self.title


class Session(models.Model):
    """One session of the term plan; the activity itself (time, place, registration, check-in) is the event."""

    event = models.OneToOneField("events.Event", on_delete=models.CASCADE, related_name="ps_session")
    parent_school = models.ForeignKey(ParentSchool, on_delete=models.CASCADE, related_name="sessions")
    semester = models.CharField(max_length=12, db_index=True)  # "2025-autumn", "2026-spring"
    course = models.ForeignKey(Course, null=True, blank=True, on_delete=models.SET_NULL, related_name="sessions")
    instructor = models.ForeignKey(Instructor, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The optional before/after questionnaire (guardians rate statements 1–5 in the waves 课前 and 课后), on the
    # questionnaire engine; created with its first statement.
    questionnaire = models.OneToOneField(
        "surveys.Questionnaire", null=True, blank=True, on_delete=models.SET_NULL, related_name="ps_session"
    )

    class Meta:
        indexes = [models.Index(fields=["parent_school", "semester"])]


class FollowUp(models.Model):
    """A head teacher reached a family that attended nothing this semester."""

    class Method(models.TextChoices):
        PHONE = "phone", _("phone call")
        VISIT = "visit", _("home visit")
        MESSAGE = "message", _("message")
        OTHER = "other", _("other")

    student = models.ForeignKey("directory.Student", on_delete=models.CASCADE, related_name="+")
    semester = models.CharField(max_length=12)
    method = models.CharField(_("how"), max_length=10, choices=Method.choices)
    reason = models.CharField(_("reason for not attending"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        indexes = [models.Index(fields=["student", "semester"])]
