"""Forms of home visits and 双减 meetings: each bad field answers a Chinese message naming it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xieyu.core.forms import field_messages
from xieyu.events.models import Event

from .models import HomeVisit

FOLLOW_UP_ROWS = 3
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class PlanForm(forms.Form):
    student = forms.CharField(widget=forms.HiddenInput)
    planned_on = forms.DateField(label=_("planned date"), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field_messages(self, {"planned_on": _("Give the planned date of the visit."),
                              "student": _("Choose a family of the class.")})  # fmt: skip


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=_("date of the visit"), widget=DATE)
    place = forms.ChoiceField(label=_("where"), choices=HomeVisit.Place.choices, initial=HomeVisit.Place.HOME)
    visitors = forms.MultipleChoiceField(label=_("who went"), widget=forms.CheckboxSelectMultiple)
    met = forms.MultipleChoiceField(label=_("guardians met"), widget=forms.CheckboxSelectMultiple, required=False)
    companion = forms.CharField(label=_("also met"), max_length=100, required=False,
                                help_text=_("Someone else met, e.g. an aunt who looks after the child."))  # fmt: skip
    discussed = forms.CharField(
        label=_("what was discussed"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    concerns = forms.CharField(label=_("concerns"), max_length=2000, required=False,
                               widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip

    def __init__(self, *args, staff=(), guardianships=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visitors"].choices = [(str(u.pk), u.name) for u in staff]  # type: ignore[attr-defined]
        self.fields["met"].choices = [  # type: ignore[attr-defined]
            (str(g.guardian_id), f"{g.guardian.name}({g.get_relationship_display()})") for g in guardianships
        ]
        for i in range(1, FOLLOW_UP_ROWS + 1):
            self.fields[f"fu_text_{i}"] = forms.CharField(label=_("what to follow up"), max_length=200, required=False)
            self.fields[f"fu_owner_{i}"] = forms.ChoiceField(
                label=_("owner"), required=False, choices=[("", "—"),
                                                          *[(str(u.pk), u.name) for u in staff]],
            )  # fmt: skip
            self.fields[f"fu_days_{i}"] = forms.IntegerField(label=_("working days to do it"), required=False,
                                                             min_value=1, max_value=60, initial=10)  # fmt: skip
        texts = {
            "visited_on": _("Give the date of the visit."),
            "place": _("Choose where the visit took place."),
            "visitors": _("Choose who went: staff of the pupil's school."),
            "met": _("A guardian met must be a guardian of this pupil's family."),
            "companion": _("Who else was met: at most 100 characters."),
            "discussed": _("Write what was discussed (at most 2000 characters)."),
            "concerns": _("Concerns: at most 2000 characters."),
        }
        for i in range(1, FOLLOW_UP_ROWS + 1):
            texts[f"fu_text_{i}"] = _("A follow-up: at most 200 characters.")
            texts[f"fu_owner_{i}"] = _("The owner of a follow-up must be staff of the pupil's school.")
            texts[f"fu_days_{i}"] = _("Give each follow-up 1 to 60 working days.")
        field_messages(self, texts)

    def follow_up_rows(self):
        return [(self[f"fu_text_{i}"], self[f"fu_owner_{i}"], self[f"fu_days_{i}"])
                for i in range(1, FOLLOW_UP_ROWS + 1)]  # fmt: skip


class FollowUpForm(forms.Form):
    text = forms.CharField(label=_("what to follow up"), max_length=200)
    owner = forms.ChoiceField(label=_("owner"))
    days = forms.IntegerField(label=_("working days to do it"), min_value=1, max_value=60, initial=10)

    def __init__(self, *args, staff=(), **kwargs):
        super().__init__(*args, **kwargs)
        owners = [("", "—"), *[(str(u.pk), u.name) for u in staff]]
        self.fields["owner"].choices = owners  # type: ignore[attr-defined]
        field_messages(self, {"text": _("Write what the follow-up is (at most 200 characters)."),
                              "owner": _("Each follow-up needs an owner."),
                              "days": _("Give each follow-up 1 to 60 working days.")})  # fmt: skip


class CaseRequestForm(forms.Form):
    concern = forms.CharField(label=_("the concern"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field_messages(self, {"concern": _("Describe the concern in 10 to 1000 characters.")})


MEETING_KIND_CHOICES = [
    (Event.Kind.DOUBLE_REDUCTION_MEETING.value, Event.Kind.DOUBLE_REDUCTION_MEETING.label),
    (Event.Kind.HOMEWORK_MEETING.value, Event.Kind.HOMEWORK_MEETING.label),
]


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("type"), choices=MEETING_KIND_CHOICES)
    unit = forms.ChoiceField(label=_("for which families"))
    title = forms.CharField(label=_("title"), max_length=80)
    starts_at = forms.DateTimeField(label=_("starts at"), widget=DATETIME, input_formats=DATETIME_FORMATS)
    ends_at = forms.DateTimeField(label=_("ends at"), widget=DATETIME, input_formats=DATETIME_FORMATS)
    place = forms.CharField(label=_("place"), max_length=200)
    description = forms.CharField(label=_("description"), max_length=2000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = list(units)  # type: ignore[attr-defined]
        field_messages(self, {
            "kind": _("Choose the type of meeting."),
            "unit": _("Choose the class or the school the meeting is for."),
            "title": _("Give the meeting a title (at most 80 characters)."),
            "starts_at": _("Give the start of the meeting."),
            "ends_at": _("Give the end of the meeting."),
            "place": _("Give the place of the meeting (at most 200 characters)."),
            "description": _("The description: at most 2000 characters."),
        })  # fmt: skip


class MinutesForm(forms.Form):
    raised = forms.CharField(label=_("What families raised"), max_length=6000,
                             widget=forms.Textarea(attrs={"rows": 5}), help_text=_("One item a line."))  # fmt: skip
    changes = forms.CharField(label=_("What the school changed"), max_length=6000, required=False,
                              widget=forms.Textarea(attrs={"rows": 5}), help_text=_("One item a line."))  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field_messages(self, {"raised": _("Write at least one thing families raised."),
                              "changes": _("What the school changed: at most 30 lines.")})  # fmt: skip
