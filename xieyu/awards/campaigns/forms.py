from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from xieyu.core.forms import FIELD_ERROR_CODES, field_messages
from xieyu.directory.models import School

from .models import Campaign, Nomination, Objection


class CampaignForm(forms.Form):
    kind = forms.ChoiceField(label=_("Award"), choices=Campaign.Kind.choices)
    nominee = forms.ChoiceField(label=_("Who is nominated"), choices=Campaign.Nominee.choices)
    title = forms.CharField(label=_("Campaign title"), max_length=80)
    description = forms.CharField(label=_("What the campaign looks for"), required=False, max_length=4000,
                                  widget=forms.Textarea(attrs={"rows": 4}))  # fmt: skip
    school_kinds = forms.MultipleChoiceField(label=_("School types in scope (none: every school)"), required=False,
                                             choices=School.Kind.choices, widget=forms.CheckboxSelectMultiple)  # fmt: skip
    quota = forms.IntegerField(label=_("Number of awards"), min_value=1, max_value=500, initial=10)
    rubric = forms.CharField(label=_("Rubric: one criterion a line, name and maximum points"),
                             widget=forms.Textarea(attrs={"rows": 4}), initial="家风建设 40\n家校共育 30\n示范作用 30",
                             max_length=1000)  # fmt: skip
    has_vote = forms.BooleanField(label=_("With a public vote"), required=False)
    expert_weight = forms.IntegerField(label=_("Weight of the expert score (%)"), min_value=0, max_value=100,
                                       initial=100)  # fmt: skip
    vote_weight = forms.IntegerField(label=_("Weight of the vote (%)"), min_value=0, max_value=100, initial=0)
    nomination_days = forms.IntegerField(label=_("Working days of nomination"), min_value=1, max_value=60,
                                         initial=10)  # fmt: skip
    review_days = forms.IntegerField(label=_("Working days of each review"), min_value=1, max_value=60, initial=5)
    vote_days = forms.IntegerField(label=_("Working days of the vote"), min_value=1, max_value=60, initial=5)
    publicity_days = forms.IntegerField(label=_("Working days of 公示"), min_value=5, max_value=60, initial=5)
    experts = forms.MultipleChoiceField(label=_("Experts who score (none: every expert of the county)"),
                                        required=False, widget=forms.CheckboxSelectMultiple)  # fmt: skip

    def __init__(self, data=None, *, experts=(), **kwargs):
        super().__init__(data, **kwargs)
        cast(Any, self.fields["experts"]).choices = [(str(u.pk), u.name) for u in experts]
        field_messages(self, {
            "quota": _("The number of awards is a whole number from 1 to 500."),
            "expert_weight": _("The weight of the expert score is a whole number from 0 to 100."),
            "vote_weight": _("The weight of the vote is a whole number from 0 to 100."),
            "publicity_days": _("公示 lasts 5 to 60 working days."),
            "title": _("Give the campaign a title (at most 80 characters)."),
        })  # fmt: skip

    def clean_rubric(self) -> list[tuple[str, int]]:
        rows = []
        for line in (self.cleaned_data.get("rubric") or "").splitlines():
            line = line.strip()
            if not line:
                continue
            name, _sep, most = line.replace(":", " ").replace(":", " ").rpartition(" ")
            if not name.strip() or not most.strip().isdigit():
                raise forms.ValidationError(
                    _("Write each criterion as its name and its maximum points, e.g. 家风建设 40: “%(line)s” is not.")
                    % {"line": line[:40]}
                )
            rows.append((name.strip(), int(most)))
        return rows


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class NominationForm(forms.Form):
    by = forms.ChoiceField(label=_("Nominated by"), choices=Nomination.By.choices)
    nominee = forms.IntegerField(label=_("Nominee"), required=False, min_value=1)
    unit = forms.CharField(label=_("Unit"), required=False, max_length=30)  # "school:3" or "community:5"
    statement = forms.CharField(label=_("Deeds"), min_length=20, max_length=5000,
                                widget=forms.Textarea(attrs={"rows": 8}))  # fmt: skip
    materials = MultipleFileField(label=_("Materials (pictures or documents, at most 5)"), required=False)

    def __init__(self, data=None, files=None, *, ways=(), **kwargs):
        super().__init__(data, files, **kwargs)
        cast(Any, self.fields["by"]).choices = [(k, v) for k, v in Nomination.By.choices if k in ways]
        field_messages(self, {
            "by": _("Choose in which role you nominate."),
            "nominee": _("Choose the nominee."),
            "statement": _("Describe the nominee's deeds in 20 to 5000 characters."),
        }, codes=(*FIELD_ERROR_CODES, "min_length"))  # fmt: skip


class SchoolReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=[("recommend", _("Recommend")),
                                                               ("reject", _("Do not recommend"))])  # fmt: skip
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field_messages(self, {"decision": _("Choose whether the school recommends the nominee."),
                              "note": _("The note is too long: at most 300 characters.")})  # fmt: skip


class ObjectionForm(forms.Form):
    real_name = forms.CharField(label=_("Your real name"), max_length=30)
    phone = forms.CharField(label=_("Your mobile number"), max_length=20)
    facts = forms.CharField(label=_("The facts"), max_length=3000, widget=forms.Textarea(attrs={"rows": 5}),
                            help_text=_("What happened, when, and who can confirm it."))  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field_messages(self, {
            "real_name": _("Give your real name: an objection is not anonymous."),
            "phone": _("Give an 11-digit mobile number the county can call you on."),
            "facts": _("State the facts of your objection (20 to 3000 characters): what happened, when, who knows."),
        })  # fmt: skip


class ObjectionDecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Finding"), choices=[
        ("remove", _("Upheld: remove the nominee")), ("rereview", _("Upheld: review again by the experts")),
        ("dismiss", _("Dismissed")),
    ])  # fmt: skip
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field_messages(self, {"outcome": _("Choose the finding."),
                              "reason": _("Give the county's finding (at most 300 characters).")})  # fmt: skip


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Why the campaign is cancelled"), max_length=300)


OBJECTION_ACTIONS = {"remove": Objection.Action.REMOVE, "rereview": Objection.Action.REREVIEW}
