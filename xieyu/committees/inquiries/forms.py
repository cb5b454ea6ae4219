"""Forms of the inquiry and concern pages: each field's error names the field."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from xieyu.core.forms import field_messages
from xieyu.core.viewhelpers import parse_id

from .models import FACTS_MIN, Concern, Subject

TEXT_MAX = 5000


class InquiryForm(forms.Form):
    """A guardian raises an inquiry on one of her units, or a committee officer files one citing a resolution."""

    unit = forms.ChoiceField(label=_("Unit"), required=False)
    resolution = forms.ChoiceField(
        label=_("Resolution of the committee (when the committee raises it)"), required=False
    )
    subject = forms.ChoiceField(label=_("Subject"), choices=Subject.choices)
    title = forms.CharField(label=_("Inquiry title"), max_length=80)
    facts = forms.CharField(label=_("The facts"), widget=forms.Textarea(attrs={"rows": 6}), min_length=FACTS_MIN,
                            max_length=TEXT_MAX)  # fmt: skip
    asked = forms.CharField(label=_("What is asked"), widget=forms.Textarea(attrs={"rows": 3}), max_length=TEXT_MAX)
    show_name = forms.BooleanField(label=_("Show my name to the other guardians"), required=False)

    def __init__(self, *args, units=(), resolutions=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["unit"]).choices = [("", _("— choose —"))] + [
            (key, label) for key, _lv, _id, label in units
        ]
        cast(forms.ChoiceField, self.fields["resolution"]).choices = [("", _("— none: guardians co-sign —"))] + [
            (str(r.pk), f"{r.meeting.committee.name} · {r.meeting.title} · #{r.number}") for r in resolutions
        ]
        if not resolutions:
            del self.fields["resolution"]
        self._units = {key: (level, pk) for key, level, pk, _label in units}
        field_messages(self, {
            "unit": _("Unit: choose your child's school, grade or class."),
            "resolution": _("Resolution: choose a passed resolution of your committee."),
            "subject": _("Subject: choose one of the listed subjects."),
            "title": _("Title: give the inquiry a short title (at most 80 characters)."),
            "facts": _("Facts: describe what happened in at least %(n)s characters.") % {"n": FACTS_MIN},
            "asked": _("What is asked: say what you ask the school to answer or do."),
        }, codes=("required", "invalid", "invalid_choice", "max_length", "min_length"))  # fmt: skip

    def clean(self):
        data = cast(dict[str, Any], super().clean())
        if not data.get("resolution") and "unit" not in self.errors:
            if not data.get("unit"):
                self.add_error("unit", _("Unit: choose your child's school, grade or class."))
            else:
                data["level"], data["unit_id"] = self._units[data["unit"]]
        if data.get("resolution"):
            data["resolution_id"] = parse_id(data["resolution"])
        return data


class PauseForm(forms.Form):
    reason = forms.CharField(label=_("Reason for pausing (the inquirers see it)"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field_messages(self, {"reason": _("Reason: say why the clock is paused; the inquirers will see it.")})


class AnswerForm(forms.Form):
    body = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 8}), max_length=TEXT_MAX)
    signer_role = forms.CharField(label=_("Signer's role"), max_length=40, initial="校长")
    signed_on = forms.DateField(label=_("Signed on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field_messages(self, {
            "body": _("Answer: write the school's answer."),
            "signer_role": _("Signer's role: say in what role you sign (e.g. 校长)."),
            "signed_on": _("Signed on: enter a date such as 2026-03-02."),
        })  # fmt: skip


class TextForm(forms.Form):
    """A follow-up of the inquirers, or the county's direction of a second answer."""

    text = forms.CharField(label=_("What remains to be answered"), widget=forms.Textarea(attrs={"rows": 4}),
                           max_length=TEXT_MAX)  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field_messages(self, {"text": _("Follow-up: say what the answer left unanswered.")})


class SignForm(forms.Form):
    show_name = forms.BooleanField(label=_("Show my name to the other guardians"), required=False)


class ThresholdForm(forms.Form):
    threshold = forms.IntegerField(label=_("Co-signatures needed"), min_value=2, max_value=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field_messages(self, {"threshold": _("Co-signatures needed: enter a number from %(low)s to %(high)s.")
                              % {"low": 2, "high": 500}})  # fmt: skip


class ConcernForm(forms.Form):
    student = forms.ChoiceField(label=_("Your child"))
    route = forms.ChoiceField(label=_("Send to"), choices=Concern.Route.choices, widget=forms.RadioSelect)
    teacher_name = forms.CharField(label=_("Teacher concerned"), max_length=40)
    about_leadership = forms.BooleanField(
        label=_("The concern is about the school's head or leadership (it goes to the county only)"), required=False
    )
    facts = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 6}), min_length=FACTS_MIN,
                            max_length=TEXT_MAX)  # fmt: skip

    def __init__(self, *args, children=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["student"]).choices = [
            (str(s.pk), f"{s.name} · {s.school.name}") for s in children
        ]
        field_messages(self, {
            "student": _("Your child: choose the child whose school this is about."),
            "route": _("Sent to: choose the school's discipline office or the county."),
            "teacher_name": _("Teacher concerned: give the teacher's name."),
            "facts": _("What happened: describe it in at least %(n)s characters.") % {"n": FACTS_MIN},
        }, codes=("required", "invalid", "invalid_choice", "max_length", "min_length"))  # fmt: skip


class OutcomeForm(forms.Form):
    outcome = forms.CharField(
        label=pgettext_lazy("handling", "Outcome"), widget=forms.Textarea(attrs={"rows": 6}), max_length=TEXT_MAX
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field_messages(self, {"outcome": _("Outcome: say what was found and what was done.")})
