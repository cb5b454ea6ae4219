from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .combos import FIRSTS
from .models import FirstChoice, MajorRequirement, Subject
from .services import RequirementFields


class ChoiceForm(forms.Form):
    """The helper: one first-choice subject and two re-chosen subjects."""

    first = forms.ChoiceField(label=_("First choice (pick one)"), choices=[(f.value, f.label) for f in FIRSTS],
                              widget=forms.RadioSelect)  # fmt: skip
    subjects = forms.MultipleChoiceField(label=_("Re-chosen subjects (pick two)"), choices=Subject.choices,
                                         widget=forms.CheckboxSelectMultiple)  # fmt: skip
    county = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean_subjects(self):
        subjects = self.cleaned_data["subjects"]
        if len(subjects) != 2:
            raise forms.ValidationError(_("Pick exactly two re-chosen subjects (you picked %(n)s).") % {"n": len(subjects)})
        return subjects


class RequirementForm(forms.Form):
    discipline = forms.CharField(label=_("Discipline"), max_length=20)
    major = forms.CharField(label=_("Major"), max_length=40)
    first = forms.ChoiceField(label=_("First-choice subject asked for"), choices=FirstChoice.choices)
    subjects = forms.MultipleChoiceField(label=_("Re-chosen subjects asked for"), choices=Subject.choices,
                                         required=False, widget=forms.CheckboxSelectMultiple)  # fmt: skip
    mode = forms.ChoiceField(label=_("How the re-chosen subjects are asked for"), choices=MajorRequirement.Mode.choices)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    @staticmethod
    def initial_of(row: MajorRequirement) -> dict:
        return {"discipline": row.discipline, "major": row.major, "first": row.first, "subjects": row.subjects,
                "mode": row.mode, "note": row.note}  # fmt: skip

    def fields_value(self) -> RequirementFields:
        d = self.cleaned_data
        return RequirementFields(discipline=d["discipline"], major=d["major"], first=d["first"],
                                 subjects=list(d["subjects"]), mode=d["mode"], note=d["note"])  # fmt: skip


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))
