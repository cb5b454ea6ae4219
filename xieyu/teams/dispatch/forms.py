"""Forms of the dispatch pages. Units, towns and skills come from the view (dispatch.access); each field's error
message names it."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from xieyu.core.forms import field_messages
from xieyu.directory.models import Stage

from ..models import Need, Team

DATETIME: dict[str, Any] = {
    "input_formats": ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    "widget": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
}


class NeedForm(forms.Form):
    unit = forms.ChoiceField(label=_("Posted for"))
    kind = forms.ChoiceField(label=_("kind of need"), choices=Need.Kind.choices)
    topic = forms.CharField(label=pgettext_lazy("need", "topic"), max_length=80)
    stage = forms.ChoiceField(label=_("stage"), choices=[("", _("any stage")), *Stage.choices], required=False)
    starts_at = forms.DateTimeField(label=_("starts at"), **DATETIME)
    ends_at = forms.DateTimeField(label=_("ends at"), **DATETIME)
    place = forms.CharField(label=_("place"), max_length=200)
    town: forms.ModelChoiceField = forms.ModelChoiceField(label=_("town"), queryset=None, required=False)
    skills: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("skills needed"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    team_kind = forms.ChoiceField(
        label=_("from which team"), choices=[("", _("any team")), *Team.Kind.choices], required=False
    )
    people = forms.IntegerField(label=_("people needed"), min_value=1, max_value=50, initial=1)
    with_children = forms.BooleanField(label=_("works with children"), required=False, initial=True)
    description = forms.CharField(label=_("description"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                                  max_length=2000)  # fmt: skip

    def __init__(self, *args, units, towns, skills, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = {u.key: u for u in units}
        unit_field = cast(forms.ChoiceField, self.fields["unit"])
        unit_field.choices = [(u.key, u.label) for u in units]
        if len(units) == 1:
            unit_field.initial = units[0].key
            unit_field.widget = forms.HiddenInput()
        cast(forms.ModelChoiceField, self.fields["town"]).queryset = towns
        cast(forms.ModelMultipleChoiceField, self.fields["skills"]).queryset = skills
        field_messages(self, {
            "unit": _("Choose whom the need is posted for."),
            "kind": _("Choose what kind of help is needed."),
            "topic": _("Give the topic of the need (at most 80 characters)."),
            "stage": _("Choose a school stage from the list."),
            "starts_at": _("Give the start as a date and time."),
            "ends_at": _("Give the end as a date and time."),
            "place": _("Give the place (at most 200 characters)."),
            "town": _("Choose a town of the county."),
            "skills": _("Choose skills from the county's list."),
            "team_kind": _("Choose a team from the list."),
            "people": _("Ask for between 1 and 50 people."),
            "description": _("The description is too long: at most 2000 characters."),
        }, codes=(*("required", "invalid", "invalid_choice", "max_length", "min_value", "max_value"),
                  "invalid_list", "invalid_pk_value"))  # fmt: skip


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=200, required=False)

    def __init__(self, *args, required: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = required
        field_messages(self, {"reason": _("Say why, in at most 200 characters.")})
