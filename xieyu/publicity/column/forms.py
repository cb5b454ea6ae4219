"""The column's search and the push form."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from xieyu.core.forms import field_messages
from xieyu.notices.audience import Audience

from ..articles.models import Category


class ColumnSearchForm(forms.Form):
    category = forms.ChoiceField(label=_("category"), required=False,
                                 choices=[("", _("All categories"))] + list(Category.choices))
    where = forms.ChoiceField(label=_("Which column"), required=False, choices=[
        ("", _("Everything I can read")), ("county", _("The county column")), ("school", _("My school's column")),
    ])  # fmt: skip
    q = forms.CharField(label=_("Words in the title"), max_length=40, required=False)


class PushForm(forms.Form):
    to = forms.MultipleChoiceField(label=_("Push to the families of"), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["to"]).choices = targets
        field_messages(self, {"to": _("Choose whom to push it to.")})

    def audience(self) -> Audience:
        audience = Audience()
        for key in self.cleaned_data["to"]:
            kind, pk = key.split(":")
            {"county": audience.counties, "school": audience.schools, "class": audience.classes}[kind].append(int(pk))
        return audience
