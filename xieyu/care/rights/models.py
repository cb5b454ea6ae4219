"""The guardian's own rights over their child's record (未成年人网络保护条例 §34): see it, copy it, ask for a
correction or a deletion. A request goes to the school admin on the deadline engine and is answered with a reason."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RightsRequest(models.Model):
    class Kind(models.TextChoices):
        CORRECTION = "correction", _("correction")
        DELETION = "deletion", _("deletion")

    class State(models.TextChoices):
        OPEN = "open", _("awaiting an answer")
        DONE = "done", _("done")
        REFUSED = "refused", _("refused")

    student = models.ForeignKey("directory.Student", on_delete=models.PROTECT, related_name="rights_requests")
    school = models.ForeignKey("directory.School", on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("request"), max_length=12, choices=Kind.choices)
    detail = models.TextField(_("what should change"))
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.OPEN)
    requested_at = models.DateTimeField(default=timezone.now)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)

    class Meta:
        ordering = ["-requested_at"]
