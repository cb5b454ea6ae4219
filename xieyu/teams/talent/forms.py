"""Forms of the talent pool: every field answers bad input with a Chinese message naming what is wrong."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xieyu.directory.models import School
from xieyu.events.forms import DT_FORMATS, DateTimeInput
from xieyu.events.models import Event

from ..models import Skill
from .models import TalentSlot

SLOT_CHOICES = [(f"{d}:{p}", f"{WEEKDAYS[d]}{label}") for d in range(7) for p, label in TalentSlot.Part.choices]


def parse_slots(values) -> list[tuple[int, str]]:
    out = []
    for v in values:
        day, _sep, part = v.partition(":")
        out.append((int(day), part))
    return out


def slot_values(profile) -> list[str]:
    return [f"{s.weekday}:{s.part}" for s in profile.slots.all()]


def _messages(form: forms.Form, msgs: dict[str, str]) -> None:
    for name, text in msgs.items():
        for code in ("required", "invalid", "invalid_choice", "invalid_pk_value", "min_value", "max_value",
                     "max_length", "list"):  # fmt: skip
            form.fields[name].error_messages[code] = text


class ProfileForm(forms.Form):
    school: forms.ModelChoiceField[School] = forms.ModelChoiceField(
        label=gettext_lazy("School"), queryset=None, widget=forms.HiddenInput
    )
    skills: forms.ModelMultipleChoiceField[Skill] = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Skills"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    other_skill = forms.CharField(label=gettext_lazy("Another skill (optional)"), max_length=30, required=False)
    description = forms.CharField(
        label=gettext_lazy("What you can offer"), max_length=500, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    slots = forms.MultipleChoiceField(
        label=gettext_lazy("When you can give time"), choices=SLOT_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    consent = forms.BooleanField(
        label=gettext_lazy("I agree that the school sees my name and my skills (I can withdraw this at any time)."),
        required=False,
    )

    def __init__(self, *args, schools, skills, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["school"]).queryset = schools
        cast(forms.ModelMultipleChoiceField, self.fields["skills"]).queryset = skills
        _messages(self, {
            "school": _("None of your children attends that school: offer your skills to your child's school."),
            "skills": _("Choose skills from your county's list."),
            "other_skill": _("The other skill is too long: at most 30 characters."),
            "description": _("The description is too long: at most 500 characters."),
            "slots": _("Choose at least one time you can give."),
        })  # fmt: skip


class SearchForm(forms.Form):
    skill: forms.ModelChoiceField[Skill] = forms.ModelChoiceField(
        label=gettext_lazy("Skill"), queryset=None, required=False, empty_label=gettext_lazy("any skill")
    )
    weekday = forms.TypedChoiceField(
        label=gettext_lazy("Weekday"), choices=[("", gettext_lazy("any day")), *WEEKDAYS.items()], coerce=int,
        required=False, empty_value=None,
    )  # fmt: skip
    part = forms.ChoiceField(
        label=gettext_lazy("Part of the day"), choices=[("", gettext_lazy("any time")), *TalentSlot.Part.choices],
        required=False,
    )  # fmt: skip

    def __init__(self, *args, skills, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["skill"]).queryset = skills
        _messages(self, {"skill": _("Choose a skill from the county's list."), "weekday": _("Choose a weekday."),
                         "part": _("Choose morning, afternoon or evening.")})  # fmt: skip


class SessionInviteForm(forms.Form):
    event: forms.ModelChoiceField[Event] = forms.ModelChoiceField(
        label=gettext_lazy("After-school service session"), queryset=None
    )
    note = forms.CharField(label=gettext_lazy("Note to the parent (optional)"), max_length=200, required=False)

    def __init__(self, *args, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["event"]).queryset = sessions
        _messages(self, {"event": _("Choose an after-school service session of the parent's school."),
                         "note": _("The note is too long: at most 200 characters.")})  # fmt: skip


class TeamInviteForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("Note to the parent (optional)"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _messages(self, {"note": _("The note is too long: at most 200 characters.")})


class SessionForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=80)
    starts_at = forms.DateTimeField(label=gettext_lazy("Starts at"), input_formats=DT_FORMATS, widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=gettext_lazy("Ends at"), input_formats=DT_FORMATS, widget=DateTimeInput())
    place = forms.CharField(label=gettext_lazy("Place"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _messages(self, {
            "title": _("Give the session a title (at most 80 characters)."),
            "starts_at": _("Enter the start time, for example 2026-03-20 16:30."),
            "ends_at": _("Enter the end time, for example 2026-03-20 17:30."),
            "place": _("Give the place (at most 200 characters)."),
        })  # fmt: skip


class CheckForm(forms.Form):
    checked_on = forms.DateField(label=gettext_lazy("Checked on"), widget=forms.DateInput(attrs={"type": "date"}))
    checking_unit = forms.CharField(label=gettext_lazy("Checking unit"), max_length=80)
    reference = forms.CharField(label=gettext_lazy("Reference number (optional)"), max_length=60, required=False)
    valid_until = forms.DateField(label=gettext_lazy("Valid until"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _messages(self, {
            "checked_on": _("Enter the date of the check, for example 2026-03-01."),
            "checking_unit": _("Name the unit that ran the check."),
            "reference": _("The checking unit or the reference number is too long."),
            "valid_until": _("Enter the date the check is valid until, for example 2027-03-01."),
        })  # fmt: skip
