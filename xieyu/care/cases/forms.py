"""Forms of the case pages. Each field's errors name the field in Chinese; rules that need the database or span rows
live in services.py."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from xieyu.core.forms import FIELD_ERROR_CODES, field_messages
from xieyu.directory.models import PartnerAgency

from ..models import Approval, Case, CaseService, FollowUp, MandatoryReport, Section, ServiceKind


def _messages(form: forms.Form, texts: dict) -> None:
    field_messages(form, texts, (*FIELD_ERROR_CODES, "min_length"))


DATE = {"input_formats": ["%Y-%m-%d"], "widget": forms.DateInput(attrs={"type": "date"})}


class CaseOpenForm(forms.Form):
    title = forms.CharField(label=_("Case title (no sensitive details: it shows in lists)"), max_length=80)
    risk = forms.ChoiceField(label=_("Risk level"), choices=Case.Risk.choices, initial=Case.Risk.MEDIUM)
    supervisor = forms.TypedChoiceField(label=_("Supervisor"), coerce=int)
    summary = forms.CharField(
        label=_("Situation summary"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    # Where a case about a registered child comes from (one from a question says so itself).
    ENTRY_ORIGINS = (Case.Origin.HOME_VISIT, Case.Origin.PARTNER, Case.Origin.REGISTRY)

    def __init__(self, *args, supervisors=(), from_entry: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.supervisors = {u.pk: u for u in supervisors}
        field = cast(forms.TypedChoiceField, self.fields["supervisor"])
        field.choices = [(u.pk, u.name) for u in supervisors]
        if from_entry:
            self.fields["origin"] = forms.ChoiceField(
                label=_("What the concern came from"), choices=[(o.value, o.label) for o in self.ENTRY_ORIGINS]
            )
        _messages(self, {
            "title": _("Give the case a title of 4 to 80 characters."),
            "risk": _("Choose the risk level."),
            "supervisor": _("Choose the supervisor from the list."),
            "summary": _("The summary is too long: at most 5000 characters."),
            "origin": _("Choose what the concern came from."),
        })  # fmt: skip


class CaseRequestForm(forms.Form):
    """A head teacher asks the county's counsellors for a case about a pupil."""

    student = forms.TypedChoiceField(label=_("Pupil"), coerce=int)
    concern = forms.CharField(
        label=_("What worries you about the pupil?"), max_length=1000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, pupils=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.pupils = {p.pk: p for p in pupils}
        cast(forms.TypedChoiceField, self.fields["student"]).choices = [(p.pk, p.name) for p in pupils]
        _messages(self, {
            "student": _("Choose a pupil of your class."),
            "concern": _("Describe the concern in 10 to 1000 characters."),
        })  # fmt: skip


class SectionForm(forms.Form):
    section = forms.ChoiceField(label=_("Section"), choices=Section.choices)
    body = forms.CharField(label=_("Text"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _messages(self, {
            "section": _("Choose a section of the case file."),
            "body": _("Write the section in 1 to 5000 characters."),
        })  # fmt: skip


class MoveForm(forms.Form):
    to_state = forms.ChoiceField(label=_("Move to"), choices=Case.State.choices)
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason (for reopening)"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _messages(self, {
            "to_state": _("Choose the state to move the case to."),
            "version": _("Reload the page and try again."),
        })  # fmt: skip


class ApprovalRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Ask approval for"), choices=Approval.Kind.choices)
    text = forms.CharField(
        label=_("The plan, or the reason for closing"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _messages(self, {
            "kind": _("Choose what to ask approval for."),
            "text": _("Write the plan or the reason for closing (at most 5000 characters)."),
        })  # fmt: skip


class ApprovalDecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("approve", _("Approve")), ("reject", _("Reject"))], widget=forms.RadioSelect
    )
    comment = forms.CharField(label=_("Comment (required to reject)"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _messages(self, {
            "decision": _("Choose to approve or to reject."),
            "comment": _("The comment is too long: at most 500 characters."),
        })  # fmt: skip


class ServiceForm(forms.Form):
    """A service of the case; the agency is one of the child's county (a reference table, not a protected one)."""

    kind = forms.ChoiceField(label=_("Service"), choices=ServiceKind.choices)
    provider = forms.CharField(label=_("Provider"), max_length=80)
    agency = forms.ModelChoiceField(label=_("Partner agency (optional)"), queryset=PartnerAgency.objects.none(),
                                    required=False)  # fmt: skip
    starts_on = forms.DateField(label=_("Starts on"), required=False, **DATE)  # type: ignore[arg-type]
    ends_on = forms.DateField(label=_("Ends on"), required=False, **DATE)  # type: ignore[arg-type]
    state = forms.ChoiceField(label=_("State"), choices=CaseService.State.choices, initial=CaseService.State.PLANNED)
    outcome = forms.CharField(
        label=_("Outcome"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, county_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        agency = cast(forms.ModelChoiceField, self.fields["agency"])
        agency.queryset = PartnerAgency.objects.filter(county_id=county_id).order_by("name")
        _messages(self, {
            "agency": _("Choose an agency of the child's county."),
            "kind": _("Choose the kind of service."),
            "provider": _("Name the provider in 2 to 80 characters."),
            "starts_on": _("Enter the start date, for example 2026-03-20."),
            "ends_on": _("Enter the end date, for example 2026-03-20."),
            "state": _("Choose the state of the service."),
            "outcome": _("The outcome is too long: at most 2000 characters."),
        })  # fmt: skip


class ServiceUpdateForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), choices=CaseService.State.choices)
    ends_on = forms.DateField(label=_("Ends on"), required=False, **DATE)  # type: ignore[arg-type]
    outcome = forms.CharField(
        label=_("Outcome"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _messages(self, {
            "state": _("Choose the state of the service."),
            "ends_on": _("Enter the end date, for example 2026-03-20."),
            "outcome": _("The outcome is too long: at most 2000 characters."),
        })  # fmt: skip


class FollowUpForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=FollowUp.Kind.choices)
    on = forms.DateField(label=_("Date"), required=False, **DATE)  # type: ignore[arg-type]
    note = forms.CharField(label=_("Note"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    next_due_on = forms.DateField(label=_("Next contact due"), required=False, **DATE)  # type: ignore[arg-type]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _messages(self, {
            "kind": _("Choose the kind of follow-up."),
            "on": _("Enter the date, for example 2026-03-20."),
            "note": _("Write the follow-up note in 4 to 2000 characters."),
            "next_due_on": _("Enter the next contact date, for example 2026-03-20."),
        })  # fmt: skip


class ReasonForm(forms.Form):
    """One reason (a flag, lifting a flag, breaking the glass, a review note)."""

    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args, label=None, message=None, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["reason"].label = label
        _messages(self, {"reason": message or _("Give a reason of at most 300 characters.")})


class ActionForm(forms.Form):
    text = forms.CharField(label=_("What is asked of the head teacher"), max_length=300)
    due_on = forms.DateField(label=_("Due on"), required=False, **DATE)  # type: ignore[arg-type]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _messages(self, {
            "text": _("Say in 4 to 300 characters what is asked."),
            "due_on": _("Enter the due date, for example 2026-03-20."),
        })  # fmt: skip


class ActionDoneForm(forms.Form):
    note = forms.CharField(label=_("Note (optional)"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _messages(self, {"note": _("The note is too long: at most 300 characters.")})


class ShareForm(forms.Form):
    user = forms.TypedChoiceField(label=_("Share with"), coerce=int)
    reason = forms.CharField(label=_("Why"), max_length=200)

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {u.pk: u for u in people}
        cast(forms.TypedChoiceField, self.fields["user"]).choices = [(u.pk, u.name) for u in people]
        _messages(self, {
            "user": _("Choose the person from the list."),
            "reason": _("Say in 4 to 200 characters why the case is shared."),
        })  # fmt: skip


class ReportForm(forms.Form):
    concern = forms.ChoiceField(label=_("Suspected"), choices=MandatoryReport.Concern.choices)
    recipient = forms.ChoiceField(label=_("Reported to"), choices=MandatoryReport.Recipient.choices)
    recipient_name = forms.CharField(label=_("Office and person reported to"), max_length=100)
    reported_at = forms.DateTimeField(
        label=_("Reported at"), input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )  # fmt: skip
    body = forms.CharField(label=_("Report"), max_length=5000, widget=forms.Textarea(attrs={"rows": 8}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _messages(self, {
            "concern": _("Choose what is suspected: abuse, neglect or violence."),
            "recipient": _("Choose who the report went to."),
            "recipient_name": _("Name the office and the person the report went to (2 to 100 characters)."),
            "reported_at": _("Give the time the report was made, for example 2026-03-20 14:00."),
            "body": _("Write the report in 20 to 5000 characters."),
        })  # fmt: skip


class ReferenceForm(forms.Form):
    reference_number = forms.CharField(label=_("Reference number"), max_length=60)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _messages(self, {"reference_number": _("Give the recipient's reference number (2 to 60 characters).")})


class ReassignForm(forms.Form):
    owner = forms.TypedChoiceField(label=_("Owner"), coerce=int)
    supervisor = forms.TypedChoiceField(label=_("Supervisor"), coerce=int)

    def __init__(self, *args, owners=(), supervisors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {u.pk: u for u in (*owners, *supervisors)}
        cast(forms.TypedChoiceField, self.fields["owner"]).choices = [(u.pk, u.name) for u in owners]
        cast(forms.TypedChoiceField, self.fields["supervisor"]).choices = [(u.pk, u.name) for u in supervisors]
        _messages(self, {
            "owner": _("Choose the owner from the list."),
            "supervisor": _("Choose the supervisor from the list."),
        })  # fmt: skip
