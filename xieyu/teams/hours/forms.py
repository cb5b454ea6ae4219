"""Forms of the hours pages: every field answers bad input with a Chinese message naming what is wrong."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from xieyu.core.forms import field_messages

from .services import NOTE_CHARS, REASON_CHARS

DT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _time_field(label, *, required: bool = True) -> forms.DateTimeField:
    return forms.DateTimeField(label=label, input_formats=DT_FORMATS, widget=DateTimeInput(), required=required)


class EntryForm(forms.Form):
    started_at = _time_field(gettext_lazy("Service started at"))
    ended_at = _time_field(gettext_lazy("Service ended at"))
    source_note = forms.CharField(
        label=gettext_lazy("Where the times come from"),
        max_length=NOTE_CHARS,
        help_text=gettext_lazy("For example: the paper sign-in sheet, the organiser's own record on site."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field_messages(self, {
            "started_at": gettext_lazy("Give the start of the service as a date and time."),
            "ended_at": gettext_lazy("Give the end of the service as a date and time."),
            "source_note": gettext_lazy("Say where the times come from (at most 200 characters)."),
        })  # fmt: skip


class DisputeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("What is wrong with the record"),
        max_length=REASON_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field_messages(self, {"reason": gettext_lazy("Say what is wrong with the record (at most 300 characters).")})


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=gettext_lazy("Your answer"), max_length=REASON_CHARS, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    started_at = _time_field(gettext_lazy("Corrected start"), required=False)
    ended_at = _time_field(gettext_lazy("Corrected end"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field_messages(self, {
            "answer": gettext_lazy("The answer is too long: at most 300 characters."),
            "started_at": gettext_lazy("Give the corrected start as a date and time."),
            "ended_at": gettext_lazy("Give the corrected end as a date and time."),
        })  # fmt: skip

    def clean(self):
        data = super().clean() or {}
        if bool(data.get("started_at")) != bool(data.get("ended_at")):
            raise forms.ValidationError(gettext_lazy("To correct the times, give both the start and the end."))
        return data
