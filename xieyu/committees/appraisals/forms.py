from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xieyu.core.forms import field_messages

from .models import SECTIONS, Section
from .services import COMMENT_CHARS, TERM_CHARS

RATINGS = [
    (5, gettext_lazy("5 very satisfied")),
    (4, gettext_lazy("4 satisfied")),
    (3, gettext_lazy("3 so-so")),
    (2, gettext_lazy("2 dissatisfied")),
    (1, gettext_lazy("1 very dissatisfied")),
]


class OpenForm(forms.Form):
    school: forms.ModelChoiceField = forms.ModelChoiceField(queryset=None, label=gettext_lazy("School"))
    term = forms.CharField(max_length=TERM_CHARS, label=gettext_lazy("Term"))

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["school"]).queryset = schools
        if schools.count() == 1:
            self.fields["school"].initial = schools.first()
        field_messages(self, {"school": _("School: choose one of your schools."),
                              "term": _("Term: say which term the appraisal is for (at most 40 characters).")})  # fmt: skip


class AnswerForm(forms.Form):
    student: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None, label=gettext_lazy("Which child you answer for"), empty_label=None
    )

    def __init__(self, *args, children, **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(Any, self.fields["student"])
        field.queryset = children
        field.label_from_instance = lambda s: s.name
        messages = {"student": _("Child: choose the child you answer for.")}
        for s in SECTIONS:
            label = Section(s).label
            self.fields[s] = forms.TypedChoiceField(choices=RATINGS, coerce=int, widget=forms.RadioSelect, label=label)
            self.fields[f"{s}_comment"] = forms.CharField(
                required=False, max_length=COMMENT_CHARS, widget=forms.Textarea(attrs={"rows": 2}),
                label=_("Comment on %(section)s (optional)") % {"section": label},
            )  # fmt: skip
            messages[s] = _("%(section)s: choose a rating from 1 to 5.") % {"section": label}
            messages[f"{s}_comment"] = _("%(section)s: a comment has at most %(n)s characters.") % {
                "section": label, "n": COMMENT_CHARS}  # fmt: skip
        field_messages(self, messages)

    def sections(self):
        return [(self[s], self[f"{s}_comment"]) for s in SECTIONS]


class ModerateForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", gettext_lazy("Approve")), ("reject", gettext_lazy("Reject"))],
        label=gettext_lazy("Decision"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field_messages(self, {"decision": _("Decision: approve or reject the comment.")})
