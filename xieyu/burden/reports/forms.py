from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xieyu.core.forms import field_messages

from .models import BurdenReport
from .services import TEXT_CHARS


class ReportForm(forms.Form):
    student: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None, label=gettext_lazy("Which child's school"), empty_label=None
    )
    kind = forms.ChoiceField(choices=BurdenReport.Kind.choices, widget=forms.RadioSelect,
                             label=gettext_lazy("What kind of problem"))  # fmt: skip
    school_class = forms.ChoiceField(required=False, label=gettext_lazy("Class (optional)"))
    what_happened = forms.CharField(max_length=TEXT_CHARS, widget=forms.Textarea(attrs={"rows": 4}),
                                    label=gettext_lazy("What happened"))  # fmt: skip
    happened_on = forms.DateField(
        label=gettext_lazy("When it happened"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, children, **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(Any, self.fields["student"])
        field.queryset = children
        field.label_from_instance = lambda s: f"{s.name} · {s.school.name}"
        classes = {s.school_class_id: s.school_class for s in children if s.school_class_id}
        self.classes = classes
        cast(forms.ChoiceField, self.fields["school_class"]).choices = [("", _("Not sure / not given"))] + [
            (str(pk), f"{c.grade.name}{c.name}") for pk, c in classes.items()
        ]
        field_messages(self, {
            "student": _("Child: choose the child whose school it is about."),
            "kind": _("Kind: choose what kind of problem it is."),
            "school_class": _("Class: choose your child's class or leave it empty."),
            "what_happened": _("What happened: say what happened (at most 2000 characters)."),
            "happened_on": _("When: give the day it happened, like 2025-03-18."),
        })  # fmt: skip

    def clean(self):
        data = super().clean() or {}
        pk = data.get("school_class")
        data["school_class"] = self.classes.get(int(pk)) if pk else None
        return data


class HandleForm(forms.Form):
    outcome = forms.CharField(max_length=TEXT_CHARS, widget=forms.Textarea(attrs={"rows": 4}),
                              label=gettext_lazy("Outcome (the family reads it)"))  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field_messages(self, {"outcome": _("Outcome: say what was done, for the family to read.")})


class SummaryForm(forms.Form):
    summary = forms.CharField(max_length=TEXT_CHARS, widget=forms.Textarea(attrs={"rows": 3}),
                              label=gettext_lazy("Summary for the school (no names)"))  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field_messages(self, {"summary": _("Summary: write what the school should know (without any name).")})
