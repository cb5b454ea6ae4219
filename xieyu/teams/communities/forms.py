"""Forms of the communities subdomain: every field answers bad input with a Chinese message naming what is wrong."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xieyu.directory.models import Community, School
from xieyu.events.forms import DT_FORMATS, DateTimeInput
from xieyu.events.models import Event

from .models import Facility


def _messages(form: forms.Form, msgs: dict[str, str]) -> None:
    for name, text in msgs.items():
        for code in ("required", "invalid", "invalid_choice", "min_value", "max_value", "max_length"):
            form.fields[name].error_messages[code] = text


class FacilityForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind of facility"), choices=Facility.Kind.choices)
    name = forms.CharField(label=gettext_lazy("Facility name"), max_length=60)
    opening_times = forms.CharField(
        label=gettext_lazy("Opening times"), max_length=200, required=False,
        help_text=gettext_lazy("For example: Tuesday to Sunday 9:00–12:00, 14:30–17:30"),
    )  # fmt: skip
    capacity = forms.IntegerField(label=gettext_lazy("Capacity (people)"), min_value=0, max_value=100000, initial=0)
    open_to_children = forms.BooleanField(label=gettext_lazy("Open to children"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _messages(self, {
            "kind": _("Choose the kind of facility."),
            "name": _("Give the facility a name (at most 60 characters)."),
            "opening_times": _("The opening times are too long: at most 200 characters."),
            "capacity": _("The capacity must be a number from 0 to 100000."),
        })  # fmt: skip


class ActivityForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=80)
    starts_at = forms.DateTimeField(label=gettext_lazy("Starts at"), input_formats=DT_FORMATS, widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=gettext_lazy("Ends at"), input_formats=DT_FORMATS, widget=DateTimeInput())
    place = forms.CharField(label=gettext_lazy("Place"), max_length=200, required=False)
    capacity = forms.IntegerField(label=gettext_lazy("Capacity (0 = no limit)"), min_value=0, max_value=100000,
                                  initial=0)  # fmt: skip
    description = forms.CharField(label=gettext_lazy("Description"), required=False, max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _messages(self, {
            "title": _("Give the event a title."),
            "starts_at": _("Enter the start time, for example 2026-03-20 19:00."),
            "ends_at": _("Enter the end time, for example 2026-03-20 20:30."),
            "place": _("Give the place (at most 200 characters)."),
            "capacity": _("Capacity must be between 0 (no limit) and 100000."),
            "description": _("The description is too long: at most 2000 characters."),
        })  # fmt: skip


EXCHANGE_KINDS = [(k, label) for k, label in Event.Kind.choices if k in ("into_community", "into_school")]


class ExchangeForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Which way"), choices=EXCHANGE_KINDS)
    school: forms.ModelChoiceField[School] = forms.ModelChoiceField(label=gettext_lazy("School"), queryset=None)
    community: forms.ModelChoiceField[Community] = forms.ModelChoiceField(
        label=gettext_lazy("Community"), queryset=None
    )
    title = forms.CharField(label=gettext_lazy("Title"), max_length=80)
    starts_at = forms.DateTimeField(label=gettext_lazy("Starts at"), input_formats=DT_FORMATS, widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=gettext_lazy("Ends at"), input_formats=DT_FORMATS, widget=DateTimeInput())
    place = forms.CharField(label=gettext_lazy("Place (optional)"), max_length=200, required=False)
    description = forms.CharField(label=gettext_lazy("What was done"), required=False, max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip

    def __init__(self, *args, schools, communities, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["school"]).queryset = schools
        cast(forms.ModelChoiceField, self.fields["community"]).queryset = communities
        _messages(self, {
            "kind": _("Choose teachers into the community or community volunteers into the school."),
            "school": _("Choose a school of the county."),
            "community": _("Choose a community of the county."),
            "title": _("Give the event a title."),
            "starts_at": _("Enter the start time, for example 2026-03-20 19:00."),
            "ends_at": _("Enter the end time, for example 2026-03-20 20:30."),
            "place": _("Give the place (at most 200 characters)."),
            "description": _("The description is too long: at most 2000 characters."),
        })  # fmt: skip
