"""Parent-school forms; every field answers bad input with a Chinese message naming what is wrong."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xieyu.core.forms import field_messages
from xieyu.directory.models import Stage
from xieyu.events.forms import DT_FORMATS, DateTimeInput
from xieyu.events.models import Event

from .models import FollowUp, Instructor, Theme


def _messages(form, texts: dict) -> None:
    field_messages(form, texts)


class EstablishForm(forms.Form):
    established_on = forms.DateField(
        label=gettext_lazy("Established on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    person_in_charge = forms.CharField(label=gettext_lazy("Person in charge"), max_length=50)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _messages(self, {"established_on": _("Enter the date of establishment, for example 2024-09-01."),
                         "person_in_charge": _("Name the person in charge of the parent school (at most 50 characters).")})  # fmt: skip


class InstructorForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=50)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=Instructor.Kind.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _messages(self, {"name": _("Enter the instructor's name (at most 50 characters)."),
                         "kind": _("Choose whether the instructor is a teacher or an expert.")})  # fmt: skip


class CourseForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Course title"), max_length=80)
    stage = forms.ChoiceField(label=gettext_lazy("Stage"), choices=Stage.choices)
    theme = forms.ChoiceField(label=gettext_lazy("Theme"), choices=Theme.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _messages(self, {"title": _("Give the course a title (at most 80 characters)."),
                         "stage": _("Choose the stage the course is for."), "theme": _("Choose the course's theme.")})  # fmt: skip


class SessionForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=80)
    kind = forms.ChoiceField(label=gettext_lazy("Type"), choices=Event.Kind.choices, initial=Event.Kind.LECTURE)
    course = forms.TypedChoiceField(label=gettext_lazy("Course"), required=False, coerce=int, empty_value=None)
    instructor = forms.TypedChoiceField(label=gettext_lazy("Instructor"), required=False, coerce=int, empty_value=None)
    place = forms.CharField(label=gettext_lazy("Place"), max_length=200, required=False)
    starts_at = forms.DateTimeField(label=gettext_lazy("Starts at"), input_formats=DT_FORMATS, widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=gettext_lazy("Ends at"), input_formats=DT_FORMATS, widget=DateTimeInput())
    capacity = forms.IntegerField(
        label=gettext_lazy("Capacity (0 = no limit)"), min_value=0, max_value=100000, initial=0
    )

    def __init__(self, *args, courses=(), instructors=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["course"]).choices = [("", "—")] + [(c.pk, c.title) for c in courses]
        cast(forms.ChoiceField, self.fields["instructor"]).choices = [("", "—")] + [(i.pk, i.name) for i in instructors]
        _messages(self, {"title": _("Give the session a title (at most 80 characters)."),
                         "kind": _("Choose the type of event."),
                         "course": _("Choose one of this parent school's courses."),
                         "instructor": _("Choose one of this parent school's instructors."),
                         "starts_at": _("Enter the start time, for example 2026-03-20 19:00."),
                         "ends_at": _("Enter the end time, for example 2026-03-20 20:30."),
                         "capacity": _("Capacity must be between 0 (no limit) and 100000.")})  # fmt: skip


class FollowUpForm(forms.Form):
    student = forms.IntegerField(widget=forms.HiddenInput)
    method = forms.ChoiceField(label=gettext_lazy("How"), choices=FollowUp.Method.choices)
    reason = forms.CharField(label=gettext_lazy("Reason for not attending"), max_length=200, required=False)
    note = forms.CharField(label=gettext_lazy("Note"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _messages(self, {"student": _("Choose a family from the list."), "method": _("Choose how you reached the family."),
                         "reason": _("The reason is too long: at most 200 characters."),
                         "note": _("The note is too long: at most 500 characters.")})  # fmt: skip


class RulesForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Document title"), max_length=100)
    file = forms.FileField(label=gettext_lazy("File (PDF, Word, WPS, text or picture; at most 10 MB)"), required=False)
    url = forms.URLField(label=gettext_lazy("Or a link"), required=False, assume_scheme="https")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _messages(self, {"title": _("Give the document a title (at most 100 characters)."),
                         "file": _("Choose the document's file."),
                         "url": _("The link must start with http:// or https://.")})  # fmt: skip
        self.fields["file"].error_messages["empty"] = _("The file is empty.")
        self.fields["file"].widget.attrs["accept"] = ".pdf,.doc,.docx,.wps,.odt,.txt,.jpg,.jpeg,.png"

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if not self.errors and not data.get("file") and not data.get("url"):
            raise forms.ValidationError(
                _("Choose the document's file, or give a link to the rules or paste their text.")
            )
        return data


class SurveyQuestionForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Statement"), max_length=60, min_length=4,
                           widget=forms.TextInput(attrs={"placeholder": "我知道如何与孩子沟通作业问题"}))  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        f = self.fields["text"]
        f.error_messages["required"] = _(
            "Write the statement guardians will rate, for example 我知道如何与孩子沟通作业问题."
        )
        f.error_messages["max_length"] = _("The statement is too long: at most 60 characters.")
        f.error_messages["min_length"] = _("The statement is too short: write at least 4 characters.")


SCORE_CHOICES = [(5, gettext_lazy("5 fully agree")), (4, "4"), (3, "3"), (2, "2"), (1, gettext_lazy("1 not at all"))]


class SurveyAnswerForm(forms.Form):
    """One 1–5 choice per statement of the session's questionnaire (fields q<id>)."""

    def __init__(self, *args, questions=(), initial_scores=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for n, q in enumerate(self.questions, start=1):
            field = forms.TypedChoiceField(label=f"{n}. {q.text}", coerce=int, choices=SCORE_CHOICES,
                                           widget=forms.RadioSelect, initial=(initial_scores or {}).get(q.pk))  # fmt: skip
            msg = _("Choose a score from 1 to 5 for statement %(n)s: %(text)s") % {"n": n, "text": q.text}
            field.error_messages["required"] = field.error_messages["invalid_choice"] = msg
            self.fields[f"q{q.pk}"] = field
        self.fields["consent"] = forms.BooleanField(
            label=_("I agree that my scores are used, without my name, to evaluate this session."),
            initial=bool(initial_scores), error_messages={"required": _("Tick the box to agree before sending.")},
        )  # fmt: skip

    def scores(self) -> dict[int, int]:
        return {q.pk: self.cleaned_data[f"q{q.pk}"] for q in self.questions}
