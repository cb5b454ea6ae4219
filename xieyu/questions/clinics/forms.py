"""Forms of the clinic pages (教育义诊). Checks that need the database or the rules live in services.py."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .services import MAX_CLINIC_SLOTS

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class ClinicPublishForm(forms.Form):
    """An expert's clinic: a title, where (a place or an online link), the day, and consecutive slots."""

    title = forms.CharField(
        label=_("Clinic title"),
        max_length=80,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. Clinic: homework and phones")}),
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    online_url = forms.URLField(label=_("Online link"), max_length=200, required=False, assume_scheme="https")
    date = forms.DateField(label=_("Date"), input_formats=["%Y-%m-%d"], widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(
        label=_("First slot starts at"), input_formats=["%H:%M", "%H:%M:%S"],
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )  # fmt: skip
    slot_minutes = forms.IntegerField(label=_("Minutes per slot"), min_value=10, max_value=120, initial=30)
    slots = forms.IntegerField(label=_("Number of slots"), min_value=1, max_value=MAX_CLINIC_SLOTS, initial=4)
    description = forms.CharField(
        label=_("Details for families (optional)"), max_length=1000, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        msgs: dict[str, StrOrPromise] = {
            "title": _("Give the clinic a title of 4 to 80 characters."),
            "online_url": _("The online link must be a full web address starting with http:// or https://."),
            "date": _("Enter the date, for example 2026-03-20."),
            "start_time": _("Enter the start time, for example 14:00."),
            "slot_minutes": _("A slot lasts 10 to 120 minutes."),
            "slots": _("A clinic has 1 to %(n)d slots.") % {"n": MAX_CLINIC_SLOTS},
            "place": _("The place is too long: at most 200 characters."),
        }
        for name, text in msgs.items():
            for code in ("required", "invalid", "min_value", "max_value", "max_length"):
                self.fields[name].error_messages[code] = text

    def clean(self):
        super().clean()
        data = self.cleaned_data
        title = (data.get("title") or "").strip()
        if "title" in data and len(title) < 4:
            self.add_error("title", _("Give the clinic a title of 4 to 80 characters."))
        if data.get("date") and data.get("start_time"):
            starts = timezone.make_aware(datetime.datetime.combine(data["date"], data["start_time"]))
            if starts <= timezone.now():
                self.add_error("start_time", _("The clinic must start in the future."))
            data["starts_at"] = starts
        if not self.errors and not (data.get("place") or "").strip() and not data.get("online_url"):
            raise forms.ValidationError(_("Give the place of the event or its online link."))
        return data


class ClinicBookForm(forms.Form):
    """A guardian books a slot: for which child (when they have several) and what they want to talk about."""

    student = forms.TypedChoiceField(label=_("For which child?"), coerce=int, widget=forms.RadioSelect)
    topic = forms.CharField(
        label=_("What would you like to talk about?"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": _("e.g. My grandson does not talk to us after school")}),
    )

    def __init__(self, *args, children=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.children = {c.pk: c for c in children}
        student = cast(forms.TypedChoiceField, self.fields["student"])
        student.choices = [(c.pk, c.name) for c in children]
        if len(self.children) == 1:
            student.initial = next(iter(self.children))
        for code in ("required", "invalid_choice"):
            student.error_messages[code] = _("Choose one of your children.")
        for code in ("required", "max_length"):
            self.fields["topic"].error_messages[code] = _("Say in 4 to 300 characters what you want to discuss.")

    def clean_topic(self):
        topic = (self.cleaned_data.get("topic") or "").strip()
        if len(topic) < 4:
            raise forms.ValidationError(_("Say in 4 to 300 characters what you want to discuss."))
        return topic


class ClinicOutcomeForm(forms.Form):
    outcome = forms.CharField(
        label=_("Outcome (private: the family never sees it)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": _("Write the outcome in 4 to 2000 characters."),
            "max_length": _("Write the outcome in 4 to 2000 characters."),
        },
    )


class ClinicFollowUpForm(forms.Form):
    """The expert turns the appointment into a follow-up question; the family reads its title and text."""

    title = forms.CharField(
        label=_("Follow-up question title"), max_length=60,
        error_messages={"required": _("Give the follow-up a title of 4 to 60 characters."),
                        "max_length": _("Give the follow-up a title of 4 to 60 characters.")},
    )  # fmt: skip
    body = forms.CharField(
        label=_("Message to the family (they will read it)"), max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write 10 to 2000 characters to the family."),
                        "max_length": _("Write 10 to 2000 characters to the family.")},
    )  # fmt: skip
