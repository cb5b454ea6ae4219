"""Forms of the leadership pages. Choices from the database (members, schools, events, notices) are given by the
view from access.py; each field's error message names it."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from xieyu.core.forms import LabelledChoiceField, field_messages

from .models import LeadershipMember, TaskEvidence, WorkTask
from .years import year_choices

DATE: dict[str, Any] = {"input_formats": ["%Y-%m-%d"], "widget": forms.DateInput(attrs={"type": "date"})}



class _ManyChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class GroupForm(forms.Form):
    name = forms.CharField(label=_("group name"), max_length=80)
    duties = forms.CharField(label=_("duties of the group"), required=False, max_length=5000, widget=forms.Textarea)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field_messages(self, {"name": _("Give the group a name (at most 80 characters)."),
                              "duties": _("The duties are too long: at most 5000 characters.")})  # fmt: skip


class MemberForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=50)
    title = forms.CharField(label=_("job title"), max_length=60, required=False)
    post = forms.ChoiceField(label=_("post in the group"), choices=LeadershipMember.Post.choices,
                             initial=LeadershipMember.Post.MEMBER)  # fmt: skip
    department = forms.CharField(label=_("department (股室)"), max_length=60, required=False)
    phone = forms.CharField(label=_("phone"), max_length=20, required=False,
                            help_text=_("Optional; shown only to those who manage the group. A mobile number with an "
                                        "account on the platform links the seat to that account."))  # fmt: skip
    term_start = forms.DateField(label=_("term starts"), **DATE)
    term_end = forms.DateField(label=_("term ends"), **DATE)

    def __init__(self, *args, county: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not county:
            del self.fields["department"]
        field_messages(self, {"name": _("Give the member's name (at most 50 characters)."),
                              "title": _("The job title is too long: at most 60 characters."),
                              "post": _("Choose the post: group leader, deputy leader or member."),
                              "department": _("The department is too long: at most 60 characters."),
                              "phone": _("The phone is too long: at most 20 characters."),
                              "term_start": _("Give the term's first day as a date."),
                              "term_end": _("Give the term's last day as a date.")})  # fmt: skip


class MemberEndForm(forms.Form):
    note = forms.CharField(label=_("why the seat ended"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field_messages(self, {"note": _("Say why in at most 200 characters.")})


class PlanForm(forms.Form):
    year = forms.TypedChoiceField(label=_("academic year"), coerce=int, choices=())
    title = forms.CharField(label=_("arrangement title"), max_length=100, required=False,
                            help_text=_("Leave empty for the usual title."))  # fmt: skip
    summary = forms.CharField(label=_("summary"), required=False, max_length=5000, widget=forms.Textarea)

    def __init__(self, *args, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.TypedChoiceField, self.fields["year"])
        field.choices = year_choices(year)
        field.initial = year
        field_messages(self, {"year": _("Choose the academic year."),
                              "title": _("The title is too long: at most 100 characters."),
                              "summary": _("The summary is too long: at most 5000 characters.")})  # fmt: skip


class TaskForm(forms.Form):
    title = forms.CharField(label=_("task title"), max_length=100)
    description = forms.CharField(label=_("task description"), required=False, max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    due_on = forms.DateField(label=_("due on"), **DATE)
    owner_member = LabelledChoiceField(label=_("owner"), queryset=None, required=False,
                            label_of=lambda m: f"{m.name} · {m.get_post_display()}")  # fmt: skip
    all_schools = forms.BooleanField(label=_("Assign to every school of the county"), required=False)
    schools = _ManyChoices(label=_("Or to these schools"), queryset=None, required=False,
                           widget=forms.CheckboxSelectMultiple)  # fmt: skip

    def __init__(self, *args, members, schools=None, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["owner_member"]).queryset = members
        if schools is None:
            del self.fields["all_schools"], self.fields["schools"]
        else:
            cast(forms.ModelMultipleChoiceField, self.fields["schools"]).queryset = schools
        field_messages(self, {"title": _("Give the task a title (at most 100 characters)."),
                              "description": _("The description is too long: at most 5000 characters."),
                              "due_on": _("Give the due date as a date."),
                              "owner_member": _("Choose the owner among the group's current members."),
                              "schools": _("Choose schools of the county only.")},
                       codes=("required", "invalid", "invalid_choice", "max_length", "invalid_pk_value"))  # fmt: skip


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("task status"), choices=[
        (WorkTask.Status.NOT_STARTED, WorkTask.Status.NOT_STARTED.label),
        (WorkTask.Status.IN_PROGRESS, WorkTask.Status.IN_PROGRESS.label)])  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field_messages(self, {"status": _("Choose the status: not started or in progress (complete a task with "
                                          "evidence).")})  # fmt: skip


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("evidence type"), choices=TaskEvidence.Kind.choices, widget=forms.RadioSelect,
                             initial=TaskEvidence.Kind.DOCUMENT)  # fmt: skip
    file = forms.FileField(label=_("document"), required=False)
    event = LabelledChoiceField(label=_("event"), queryset=None, required=False,
                     label_of=lambda e: f"{e.starts_at:%Y-%m-%d} {e.title}")  # fmt: skip
    notice = LabelledChoiceField(label=_("notice"), queryset=None, required=False,
                      label_of=lambda n: f"{n.created_at:%Y-%m-%d} {n.title}")  # fmt: skip
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, events, notices, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["event"]).queryset = events
        cast(forms.ModelChoiceField, self.fields["notice"]).queryset = notices
        field_messages(self, {"kind": _("Choose the type of evidence: a document, an event or a notice."),
                              "file": _("Choose the document to upload."),
                              "event": _("Choose one of your unit's own events."),
                              "notice": _("Choose a notice your unit sent."),
                              "note": _("The note is too long: at most 200 characters.")})  # fmt: skip
