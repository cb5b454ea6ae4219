from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .access import SCHOOL_TYPES
from .models import Case, Theme
from .services import TEXT_LIMIT, CaseFields

SCHOOL_TYPE_LABELS = {
    "primary": _("primary school"), "junior": _("junior middle school"), "senior": _("senior middle school"),
    "kindergarten": _("kindergarten"),
}  # fmt: skip


class CaseSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=40)
    theme = forms.ChoiceField(label=_("Theme"), required=False, choices=[("", _("any theme")), *Theme.choices])
    school_type = forms.ChoiceField(label=_("School type"), required=False,
                                    choices=[("", _("any school type")),
                                             *[(k, SCHOOL_TYPE_LABELS[k]) for k in SCHOOL_TYPES]])  # fmt: skip


def _area(label):
    return forms.CharField(label=label, max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 5}))


class CaseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=80)
    theme = forms.ChoiceField(label=_("Theme"), choices=Theme.choices)
    background = _area(_("Background"))
    actions = _area(_("What the school did"))
    results = _area(_("Results"))
    replicable = _area(_("What others can copy"))

    @staticmethod
    def initial_of(case: Case) -> dict:
        return {k: getattr(case, k) for k in ("title", "theme", "background", "actions", "results", "replicable")}

    def fields_value(self) -> CaseFields:
        return CaseFields(**{k: self.cleaned_data[k] for k in
                             ("title", "theme", "background", "actions", "results", "replicable")})  # fmt: skip


class ReturnForm(forms.Form):
    note = forms.CharField(label=_("What should change"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}))


class PhotoForm(forms.Form):
    file = forms.FileField(label=_("Photo (JPG, PNG or WEBP)"))
    caption = forms.CharField(label=_("Caption"), max_length=80, required=False)
