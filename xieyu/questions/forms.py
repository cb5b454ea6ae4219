"""Forms of the question pages. Checks that need the database or the rules live in services.py."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xieyu.events.forms import DT_FORMATS, DateTimeInput

from .models import Category, Level, TopicRequest
from .services import MAX_CLINIC_SLOTS


class AskForm(forms.Form):
    student = forms.TypedChoiceField(label=_("Which child is it about?"), coerce=int)
    level = forms.ChoiceField(
        label=_("Ask whom?"),
        choices=Level.choices,
        initial=Level.CLASS,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose who the question is for.")},
    )
    category = forms.ChoiceField(
        label=_("Category"),
        choices=[("", _("— choose —")), *Category.choices],
        error_messages={"required": _("Choose a category for the question.")},
    )
    title = forms.CharField(
        label=_("In one sentence"),
        max_length=60,
        error_messages={"required": _("Write your question in one sentence.")},
        widget=forms.TextInput(attrs={"placeholder": _("e.g. My grandson plays on the phone every night")}),
    )
    body = forms.CharField(
        label=_("Tell us more"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Describe the situation in a few sentences.")},
    )
    publishable = forms.BooleanField(
        label=_("The answer may be published anonymously to help other families"), required=False
    )
    photo = forms.FileField(
        label=_("Photo (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    def __init__(self, *args, children=(), similar_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if similar_url:  # similar answers appear while the parent types (htmx)
            for name in ("title", "body"):
                self.fields[name].widget.attrs.update(
                    {
                        "hx-get": similar_url,
                        "hx-trigger": "input changed delay:500ms",
                        "hx-include": "#id_title, #id_body",
                        "hx-target": "#similar",
                        "hx-swap": "outerHTML",
                    }
                )
        self.children = {c.pk: c for c in children}
        self.fields["student"].choices = [(c.pk, f"{c.name}({c.school.name})") for c in children]
        self.fields["student"].error_messages["invalid_choice"] = _("Choose one of your children.")
        self.fields["student"].error_messages["required"] = _("Choose one of your children.")


class AnswerForm(forms.Form):
    body = forms.CharField(
        label=_("Answer"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Write the answer.")},
    )  # fmt: skip


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Internal note (not shown to the parent)"), max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}), error_messages={"required": _("Write the note.")},
    )  # fmt: skip


class FollowUpForm(forms.Form):
    body = forms.CharField(
        label=_("Ask more"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write what you want to ask.")},
    )  # fmt: skip


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How helpful was the answer?"),
        coerce=int,
        choices=[(5, "★★★★★"), (4, "★★★★"), (3, "★★★"), (2, "★★"), (1, "★")],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose from 1 to 5 stars."), "invalid_choice": _("Choose from 1 to 5 stars.")},
    )
    comment = forms.CharField(label=_("Comment (optional)"), max_length=200, required=False)


class ClearFlagForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is this a false alarm?"), max_length=200,
        error_messages={"required": _("Give the reason this is a false alarm (at least 4 characters).")},
    )  # fmt: skip


class ArticleForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=60)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    question_text = forms.CharField(label=_("The question"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5}))
    answer_text = forms.CharField(label=_("The answer"), max_length=4000, widget=forms.Textarea(attrs={"rows": 8}))
    is_public = forms.BooleanField(label=_("Public: readable without logging in"), required=False, initial=True)


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
        self.fields["school"].choices = [(s.pk, s.name) for s in schools]
        self.fields["school"].error_messages["invalid_choice"] = _("Choose your child's school.")


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
        data = super().clean()
        starts = data.get("starts_at")
        if starts is not None and starts <= timezone.now():
            self.add_error("starts_at", _("The lecture must start in the future."))
        if not self.errors and not (data.get("place") or "").strip() and not data.get("online_url"):
            raise forms.ValidationError(_("Give the place of the event or its online link."))
        return data


# --- clinics (教育义诊) -------------------------------------------------------------------------------------------


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
        msgs = {
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
        import datetime

        data = super().clean()
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
        self.fields["student"].choices = [(c.pk, c.name) for c in children]
        if len(self.children) == 1:
            self.fields["student"].initial = next(iter(self.children))
        for code in ("required", "invalid_choice"):
            self.fields["student"].error_messages[code] = _("Choose one of your children.")
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
