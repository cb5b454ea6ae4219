"""The family-education evaluation's own records, on top of the questionnaire engine's.

- Instrument: which published questionnaire is a county's evaluation (the standard one `evaluation_install` writes,
  or one the county chose to replace it). Its dimensions are read from its questions.
- FallSuggestion: a family whose total fell sharply since its previous wave, suggested to the head teacher of the
  child's class for a talk. Private to that head teacher: nobody else sees it, not even the school's admin.
- CandidateConsent: a family's consent, given and revocable on its profile page, to be put forward as a candidate
  for the model-family campaign when its scores are high and improving.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Instrument(models.Model):
    county = models.OneToOneField("directory.Region", on_delete=models.PROTECT, related_name="+")
    questionnaire = models.ForeignKey("surveys.Questionnaire", on_delete=models.PROTECT, related_name="+")
    chosen_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    chosen_at = models.DateTimeField(default=timezone.now)


class FallSuggestion(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("to talk to")
        TALKED = "talked", _("talked")
        DISMISSED = "dismissed", _("dismissed")

    response = models.OneToOneField("surveys.Response", on_delete=models.CASCADE, related_name="+")
    previous = models.ForeignKey("surveys.Response", on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey("directory.Student", on_delete=models.CASCADE, related_name="+")
    # The class the family answered in: its head teacher is the one who sees the suggestion.
    school_class = models.ForeignKey("directory.SchoolClass", on_delete=models.CASCADE, related_name="+")
    total_drop = models.FloatField(default=0)
    drops = models.JSONField(default=dict)  # {dimension: points fallen} for the dimensions that fell ≥ 25
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    note = models.CharField(_("note"), max_length=300, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["school_class", "status"])]


class CandidateConsent(models.Model):
    student = models.OneToOneField("directory.Student", on_delete=models.CASCADE, related_name="+")
    agreed = models.BooleanField(default=False)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)

