"""Forms of the question pages. Checks that need the database or the rules live in services.py."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Category, Level


class AskForm(forms.Form):
    student = forms.TypedChoiceField(label=_("Which child is it about?"), coerce=int)
    level = forms.ChoiceField(
        label=_("Ask whom?"),
        choices=Level.choices,
        initial=Level.CLASS,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose who the question is for.")},
    )
    category = forms.ChoiceField(
        label=_("Category"),
        choices=[("", _("— choose —")), *Category.choices],
        error_messages={"required": _("Choose a category for the question.")},
    )
    title = forms.CharField(
        label=_("In one sentence"),
        max_length=60,
        error_messages={"required": _("Write your question in one sentence.")},
        widget=forms.TextInput(attrs={"placeholder": _("e.g. My grandson plays on the phone every night")}),
    )
    body = forms.CharField(
        label=_("Tell us more"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Describe the situation in a few sentences.")},
    )
    publishable = forms.BooleanField(
        label=_("The answer may be published anonymously to help other families"), required=False
    )
    photo = forms.FileField(
        label=_("Photo (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    def __init__(self, *args, children=(), similar_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if similar_url:  # similar answers appear while the parent types (htmx)
            for name in ("title", "body"):
                self.fields[name].widget.attrs.update(
                    {
                        "hx-post": similar_url,
                        "hx-trigger": "input changed delay:500ms",
                        "hx-params": "title,body",
                        "hx-include": "#id_title, #id_body",
                        "hx-target": "#similar",
                        "hx-swap": "outerHTML",
                    }
                )
        self.children = {c.pk: c for c in children}
        student = cast(forms.TypedChoiceField, self.fields["student"])
        student.choices = [(c.pk, f"{c.name}({c.school.name})") for c in children]
        student.error_messages["invalid_choice"] = _("Choose one of your children.")
        student.error_messages["required"] = _("Choose one of your children.")


class AnswerForm(forms.Form):
    body = forms.CharField(
        label=_("Answer"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Write the answer.")},
    )  # fmt: skip


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Internal note (not shown to the parent)"), max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}), error_messages={"required": _("Write the note.")},
    )  # fmt: skip


class FollowUpForm(forms.Form):
    body = forms.CharField(
        label=_("Ask more"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write what you want to ask.")},
    )  # fmt: skip


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How helpful was the answer?"),
        coerce=int,
        choices=[(5, "★★★★★"), (4, "★★★★"), (3, "★★★"), (2, "★★"), (1, "★")],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose from 1 to 5 stars."), "invalid_choice": _("Choose from 1 to 5 stars.")},
    )
    comment = forms.CharField(label=_("Comment (optional)"), max_length=200, required=False)


class ClearFlagForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is this a false alarm?"), max_length=200,
        error_messages={"required": _("Give the reason this is a false alarm (at least 4 characters).")},
    )  # fmt: skip
