"""Forms for events: every field answers bad input with a Chinese message naming what is wrong."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Event

if TYPE_CHECKING:
    from xieyu.directory.models import Grade, School, SchoolClass

DT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class EventForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Type"), choices=Event.Kind.choices)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=80)
    description = forms.CharField(
        label=gettext_lazy("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    school: forms.ModelChoiceField[School] = forms.ModelChoiceField(
        label=gettext_lazy("Organising school"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("(county event)"),
    )
    audience = forms.ChoiceField(label=gettext_lazy("Which families"), choices=Event.Audience.choices)
    audience_grade: forms.ModelChoiceField[Grade] = forms.ModelChoiceField(
        label=gettext_lazy("Grade"), queryset=None, required=False
    )
    audience_class: forms.ModelChoiceField[SchoolClass] = forms.ModelChoiceField(
        label=gettext_lazy("Class"), queryset=None, required=False
    )
    place = forms.CharField(label=gettext_lazy("Place"), max_length=200, required=False)
    online_url = forms.URLField(label=gettext_lazy("Online link"), required=False, assume_scheme="https")
    starts_at = forms.DateTimeField(label=gettext_lazy("Starts at"), input_formats=DT_FORMATS, widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=gettext_lazy("Ends at"), input_formats=DT_FORMATS, widget=DateTimeInput())
    capacity = forms.IntegerField(
        label=gettext_lazy("Capacity (0 = no limit)"), min_value=0, max_value=100000, initial=0
    )
    publish = forms.BooleanField(label=gettext_lazy("Publish now"), required=False, initial=True)

    def __init__(self, *args, schools, grades, classes, county_admin: bool, **kwargs):
        super().__init__(*args, **kwargs)
        school = cast(forms.ModelChoiceField, self.fields["school"])
        school.queryset = schools
        cast(forms.ModelChoiceField, self.fields["audience_grade"]).queryset = grades
        cast(forms.ModelChoiceField, self.fields["audience_class"]).queryset = classes
        if not county_admin:
            school.required = True
            school.empty_label = None
        msgs = {
            "kind": _("Choose the type of event."),
            "title": _("Give the event a title."),
            "audience": _("Choose which families the event is for."),
            "starts_at": _("Enter the start time, for example 2026-03-20 19:00."),
            "ends_at": _("Enter the end time, for example 2026-03-20 20:30."),
            "capacity": _("Capacity must be between 0 (no limit) and 100000."),
            "online_url": _("The online link must be a full web address starting with http:// or https://."),
            "school": _("Choose a school you manage."),
            "audience_grade": _("Choose a grade of the organising school."),
            "audience_class": _("Choose a class of the organising school."),
        }
        for name, text in msgs.items():
            for code in ("required", "invalid", "invalid_choice", "min_value", "max_value"):
                self.fields[name].error_messages[code] = text
        self.fields["title"].error_messages["max_length"] = _("The title is too long: at most 80 characters.")


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(label=gettext_lazy("Rating"), coerce=int,
                                    choices=[(i, "★" * i) for i in range(5, 0, -1)], widget=forms.RadioSelect)  # fmt: skip
    comment = forms.CharField(label=gettext_lazy("Comment"), max_length=500, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code in ("required", "invalid_choice"):
            self.fields["rating"].error_messages[code] = _("Choose a rating from 1 to 5 stars.")
        self.fields["comment"].error_messages["max_length"] = _("The comment is too long: at most 500 characters.")


class MaterialForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=100)
    url = forms.URLField(label=gettext_lazy("Link"), required=False, assume_scheme="https")
    file = forms.FileField(label=gettext_lazy("File"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].error_messages["required"] = _("Give the material a title.")
        self.fields["title"].error_messages["max_length"] = _("The title is too long: at most 100 characters.")
        self.fields["url"].error_messages["invalid"] = _("The link must start with http:// or https://.")
