"""Forms of the committee pages. Choices that come from the database (meetings, members, resolutions, grades,
classes) are given by the view from access.py; each field's error message names it."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from xieyu.core.forms import LabelledChoiceField, field_messages

from .models import Committee, Member

DATE: dict[str, Any] = {"input_formats": ["%Y-%m-%d"], "widget": forms.DateInput(attrs={"type": "date"})}
DATETIME: dict[str, Any] = {
    "input_formats": ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    "widget": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
}
VOTES: dict[str, Any] = {"min_value": 0, "max_value": 10_000, "required": False}



class CommitteeCreateForm(forms.Form):
    level = forms.ChoiceField(label=_("committee level"), choices=Committee.Level.choices)
    name = forms.CharField(label=_("committee name"), max_length=80)
    grade = LabelledChoiceField(label=_("Grade (for a grade committee)"), queryset=None, required=False,
                     label_of=lambda g: g.name)  # fmt: skip
    school_class = LabelledChoiceField(label=_("Class (for a class committee)"), queryset=None, required=False,
                            label_of=lambda c: f"{c.grade.name}{c.name}")  # fmt: skip

    def __init__(self, *args, school, grades, classes, **kwargs):
        super().__init__(*args, **kwargs)
        self.school = school
        cast(forms.ModelChoiceField, self.fields["grade"]).queryset = grades
        cast(forms.ModelChoiceField, self.fields["school_class"]).queryset = classes
        field_messages(self, {"level": _("Choose the committee's level: school, grade or class."),
                              "name": _("Give the committee a name (at most 80 characters)."),
                              "grade": _("Choose a grade of the school for a grade committee."),
                              "school_class": _("Choose a class of the school for a class committee.")})  # fmt: skip


class MemberAddForm(forms.Form):
    phone = forms.RegexField(label=_("Guardian's mobile number"), regex=r"^1\d{10}$", max_length=11)
    role = forms.ChoiceField(label=_("committee role"), choices=Member.Role.choices, initial=Member.Role.MEMBER)
    term_start = forms.DateField(label=_("term starts"), **DATE)
    term_end = forms.DateField(label=_("term ends"), **DATE)
    chosen = forms.ChoiceField(label=_("how chosen"), choices=Member.Chosen.choices, widget=forms.RadioSelect)
    votes_for = forms.IntegerField(label=_("votes for"), **VOTES)
    votes_against = forms.IntegerField(label=_("votes against"), **VOTES)
    votes_abstain = forms.IntegerField(label=_("abstentions"), **VOTES)
    voters = forms.IntegerField(label=_("Voters"), **VOTES)
    approving_meeting = LabelledChoiceField(label=_("Approving meeting (for an appointment)"), queryset=None, required=False,
                                 label_of=lambda m: f"{m.starts_at:%Y-%m-%d} {m.title}")  # fmt: skip

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["approving_meeting"]).queryset = meetings
        field_messages(self, {"phone": _("Give the guardian's 11-digit mobile number."),
                              "role": _("Choose the member's role."),
                              "term_start": _("Give the term's first day as a date."),
                              "term_end": _("Give the term's last day as a date."),
                              "chosen": _("Say how the member was chosen: elected or appointed."),
                              "votes_for": _("Votes are whole numbers from 0."),
                              "votes_against": _("Votes are whole numbers from 0."),
                              "votes_abstain": _("Votes are whole numbers from 0."),
                              "voters": _("Votes are whole numbers from 0."),
                              "approving_meeting": _("Choose the meeting that approved the appointment.")})  # fmt: skip

    def vote_record(self) -> dict:
        d = self.cleaned_data
        keys = {"for": "votes_for", "against": "votes_against", "abstain": "votes_abstain", "voters": "voters"}
        return {k: d.get(v) for k, v in keys.items()}


class MemberEndForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why the seat ends"), choices=Member.EndReason.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field_messages(self, {"reason": _("Say why the seat ends.")})


class CharterDraftForm(forms.Form):
    text = forms.CharField(label=_("charter text"), max_length=20_000, widget=forms.Textarea(attrs={"rows": 14}))
    note = forms.CharField(label=_("what changed"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field_messages(self, {"text": _("Write the charter's text (at most 20000 characters)."),
                              "note": _("Say what changed in at most 200 characters.")})  # fmt: skip


class AdoptForm(forms.Form):
    resolution = LabelledChoiceField(label=_("Adopted by the resolution"), queryset=None,
                          label_of=lambda r: f"{r.meeting.starts_at:%Y-%m-%d} {r.meeting.title} · "
                                             f"{r.number}. {r.text[:40]}")  # fmt: skip

    def __init__(self, *args, resolutions, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["resolution"]).queryset = resolutions
        field_messages(self, {"resolution": _("Choose the passed resolution that adopts this version.")})


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("meeting title"), max_length=80)
    starts_at = forms.DateTimeField(label=_("starts at"), **DATETIME)
    place = forms.CharField(label=_("place"), max_length=200)
    agenda = forms.CharField(label=_("agenda"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["starts_at"]
        field_messages(self, {"title": _("Give the meeting a title (at most 80 characters)."),
                              "starts_at": _("Give the meeting's date and time."),
                              "place": _("Say where the meeting is held (at most 200 characters)."),
                              "agenda": _("Write the meeting's agenda (at most 5000 characters).")})  # fmt: skip


class _MemberChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.guardian.name


class AttendanceForm(forms.Form):
    members: forms.ModelMultipleChoiceField = _MemberChoices(label=_("Members who came"), queryset=None,
                                                             widget=forms.CheckboxSelectMultiple)  # fmt: skip

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["members"]).queryset = members
        field_messages(self, {"members": _("Tick at least one member who came.")}, ("required", "invalid_choice",
                                                                                   "invalid_pk_value", "invalid_list"))  # fmt: skip


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("minutes"), max_length=20_000, widget=forms.Textarea(attrs={"rows": 8}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field_messages(self, {"minutes": _("Write the minutes (at most 20000 characters).")})


class ResolutionForm(forms.Form):
    text = forms.CharField(
        label=pgettext_lazy("committee", "resolution"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    votes_for = forms.IntegerField(label=_("votes for"), min_value=0, max_value=10_000)
    votes_against = forms.IntegerField(label=_("votes against"), min_value=0, max_value=10_000, initial=0)
    votes_abstain = forms.IntegerField(label=_("abstentions"), min_value=0, max_value=10_000, initial=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field_messages(self, {"text": _("Write the resolution's text (at most 5000 characters)."),
                              "votes_for": _("Give the votes for as a whole number from 0."),
                              "votes_against": _("Give the votes against as a whole number from 0."),
                              "votes_abstain": _("Give the abstentions as a whole number from 0.")})  # fmt: skip


class ActionForm(forms.Form):
    text = forms.CharField(label=_("action"), max_length=300)
    owner = forms.ChoiceField(label=_("Owner"))
    due_on = forms.DateField(label=_("due on"), **DATE)

    def __init__(self, *args, owners: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["owner"]).choices = owners
        field_messages(self, {"text": _("Say what is to be done (at most 300 characters)."),
                              "owner": _("Choose who owns the action."),
                              "due_on": _("Give the due date as a date.")})  # fmt: skip


class ActionDoneForm(forms.Form):
    note = forms.CharField(label=_("what was done"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field_messages(self, {"note": _("Say what was done in at most 300 characters.")})
