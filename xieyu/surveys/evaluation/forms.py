from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xieyu.core.forms import field_messages

from .models import FallSuggestion


class ResolveForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[(FallSuggestion.Status.TALKED, _("We talked")), (FallSuggestion.Status.DISMISSED, _("Dismiss"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=300, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field_messages(self, {
            "outcome": _("Choose whether you talked with the family or dismiss the suggestion."),
            "note": _("The note is too long: at most 300 characters."),
        })  # fmt: skip


class InstrumentForm(forms.Form):
    questionnaire = forms.TypedChoiceField(label=_("Questionnaire"), coerce=int)

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["questionnaire"].choices = [(q.pk, q.title) for q in choices]  # type: ignore[attr-defined]
        field_messages(self, {"questionnaire": _("Choose one of the county's questionnaires.")})
