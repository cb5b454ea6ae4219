from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _


class TourForm(forms.Form):
    title = forms.CharField(label=_("Tour title"), max_length=80)
    theme = forms.CharField(label=_("Tour theme"), max_length=60, help_text=_("For example 家风家训·客家文化"))
    description = forms.CharField(label=_("Description"), required=False, max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 4}))  # fmt: skip


class StopForm(forms.Form):
    school = forms.TypedChoiceField(label=_("At a school"), required=False, coerce=int, empty_value=None)
    community = forms.TypedChoiceField(label=_("Or at a village or community"), required=False, coerce=int,
                                       empty_value=None)  # fmt: skip
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label=_("Ends at"), widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    people = forms.IntegerField(label=_("Staff needed"), min_value=1, max_value=50, initial=1)
    capacity = forms.IntegerField(label=_("Families that may register (0: no limit)"), min_value=0,
                                  max_value=100000, initial=0)  # fmt: skip

    def __init__(self, data=None, *, schools=(), communities=(), **kwargs):
        super().__init__(data, **kwargs)
        cast(Any, self.fields["school"]).choices = [("", "—"), *[(s.pk, s.name) for s in schools]]
        cast(Any, self.fields["community"]).choices = [("", "—"), *[(c.pk, c.name) for c in communities]]
