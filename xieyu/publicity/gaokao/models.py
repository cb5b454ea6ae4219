"""新高考 in Jiangxi (3+1+2): which university majors a subject combination keeps open, from a table the county can
update. A requirement names the first choice (physics, history or either) and the re-chosen subjects a major asks
for (all of them, or any one)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class FirstChoice(models.TextChoices):
    PHYSICS = "physics", pgettext_lazy("gaokao subject", "physics")
    HISTORY = "history", pgettext_lazy("gaokao subject", "history")
    EITHER = "either", pgettext_lazy("gaokao subject", "physics or history")


class Subject(models.TextChoices):  # the four re-chosen subjects (再选科目)
    CHEMISTRY = "chemistry", pgettext_lazy("gaokao subject", "chemistry")
    BIOLOGY = "biology", pgettext_lazy("gaokao subject", "biology")
    POLITICS = "politics", pgettext_lazy("gaokao subject", "politics")
    GEOGRAPHY = "geography", pgettext_lazy("gaokao subject", "geography")


class MajorRequirement(models.Model):
    class Mode(models.TextChoices):
        NONE = "none", pgettext_lazy("subject requirement", "no requirement")
        ALL = "all", pgettext_lazy("subject requirement", "all of them")
        ANY = "any", pgettext_lazy("subject requirement", "any one of them")

    county = models.ForeignKey("directory.Region", on_delete=models.CASCADE, related_name="+")
    discipline = models.CharField(_("discipline"), max_length=20)  # 学科门类: 工学, 医学 …
    major = models.CharField(_("major"), max_length=40)
    first = models.CharField(_("first choice"), max_length=8, choices=FirstChoice.choices)
    subjects = models.JSONField(_("re-chosen subjects required"), default=list)  # Subject values
    mode = models.CharField(max_length=4, choices=Mode.choices, default=Mode.NONE)
    note = models.CharField(_("note"), max_length=200, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["county", "major"], name="gaokao_major_unique")]

    def __str__(self) -> str:
        return self.major

    @property
    def requirement_display(self) -> str:
        from .combos import requirement_text

        return requirement_text(self)
