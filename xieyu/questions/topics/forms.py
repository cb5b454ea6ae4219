"""Forms of the topic pages (点单). Checks that need the database or the rules live in services.py."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xieyu.events.forms import DT_FORMATS, DateTimeInput
from xieyu.questions.asking.models import Category

from .models import TopicRequest


class TopicForm(forms.Form):
    school = forms.TypedChoiceField(label=_("School"), coerce=int)
    title = forms.CharField(
        label=_("Topic you would like a lesson on"), max_length=40,
        error_messages={"required": _("Write the topic in 4 to 40 characters.")},
    )  # fmt: skip
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices, initial=Category.OTHER)
    description = forms.CharField(
        label=_("Details (optional)"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, schools=(), **kwargs):
        super().__init__(*args, **kwargs)
        school = cast(forms.TypedChoiceField, self.fields["school"])
        school.choices = [(s.pk, s.name) for s in schools]
        school.error_messages["invalid_choice"] = _("Choose your child's school.")


class TopicStatusForm(forms.Form):
    status = forms.ChoiceField(choices=TopicRequest.Status.choices)


class TopicScheduleForm(forms.Form):
    """Turn a topic into a lecture: when and where (the school's whole-school event)."""

    title = forms.CharField(label=_("Lecture title"), max_length=80)
    starts_at = forms.DateTimeField(label=_("Starts at"), input_formats=DT_FORMATS, widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("Ends at"), input_formats=DT_FORMATS, widget=DateTimeInput())
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    online_url = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")
    capacity = forms.IntegerField(label=_("Capacity (0 = no limit)"), min_value=0, max_value=100000, initial=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        msgs = {
            "title": _("Give the event a title."),
            "starts_at": _("Enter the start time, for example 2026-03-20 19:00."),
            "ends_at": _("Enter the end time, for example 2026-03-20 20:30."),
            "capacity": _("Capacity must be between 0 (no limit) and 100000."),
            "online_url": _("The online link must be a full web address starting with http:// or https://."),
        }
        for name, text in msgs.items():
            for code in ("required", "invalid", "min_value", "max_value"):
                self.fields[name].error_messages[code] = text
        self.fields["title"].error_messages["max_length"] = _("The title is too long: at most 80 characters.")

    def clean(self):
        super().clean()
        data = self.cleaned_data
        starts = data.get("starts_at")
        if starts is not None and starts <= timezone.now():
            self.add_error("starts_at", _("The lecture must start in the future."))
        if not self.errors and not (data.get("place") or "").strip() and not data.get("online_url"):
            raise forms.ValidationError(_("Give the place of the event or its online link."))
        return data
