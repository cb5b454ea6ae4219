from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from ..catalogue.models import Part


class BookingForm(forms.Form):
    school_class = forms.TypedChoiceField(label=_("Class"), coerce=int)
    date = forms.DateField(label=_("Date of the visit"), widget=forms.DateInput(attrs={"type": "date"}))
    part = forms.ChoiceField(label=_("Half-day"), choices=Part.choices)
    group_size = forms.IntegerField(label=_("Group size (students and teachers)"), min_value=1, max_value=100000)
    note = forms.CharField(label=_("Note to the venue"), max_length=200, required=False)

    def __init__(self, data=None, *, classes=(), **kwargs):
        super().__init__(data, **kwargs)
        cast(Any, self.fields["school_class"]).choices = [
            (c.pk, f"{c.school.name} {c.grade.name}{c.name}") for c in classes
        ]


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Reason for declining"), max_length=200)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), max_length=200, required=False)


class FamilyDayForm(forms.Form):
    title = forms.CharField(label=_("Title of the family day"), max_length=80)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label=_("Ends at"), widget=forms.TimeInput(attrs={"type": "time"}))
    capacity = forms.IntegerField(label=_("Families that may register"), min_value=1, max_value=5000)
    town: forms.ModelChoiceField = forms.ModelChoiceField(label=_("For the families of one town (empty: the whole county)"),
                                  queryset=None, required=False)  # fmt: skip
    description = forms.CharField(label=_("Description"), required=False, max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip

    def __init__(self, data=None, *, towns, **kwargs):
        super().__init__(data, **kwargs)
        cast(Any, self.fields["town"]).queryset = towns
