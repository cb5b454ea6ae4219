"""The staff forms of the questionnaire engine (the families' answer form is built from the questions themselves)."""

from __future__ import annotations

import datetime
from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xieyu.core.forms import field_messages

from .models import Question, Questionnaire, Wave


class QuestionnaireForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=80)
    description = forms.CharField(label=_("Description"), required=False, max_length=2000, widget=forms.Textarea(
        attrs={"rows": 3}))  # fmt: skip
    respondent_kind = forms.ChoiceField(label=_("Who answers"), choices=Questionnaire.RespondentKind.choices)
    owner = forms.ChoiceField(label=_("Owned by"))

    def __init__(self, *args, owners: list[tuple[str, int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["owner"]).choices = [(f"{k}:{i}", name) for k, i, name in owners]
        field_messages(self, {"title": _("Give the questionnaire a title (at most 80 characters).")})


class SectionForm(forms.Form):
    title = forms.CharField(label=_("Section title"), max_length=80)
    description = forms.CharField(label=_("Section description"), required=False, max_length=1000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field_messages(self, {"title": _("Give the section a title (at most 80 characters).")})


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Question type"), choices=Question.Kind.choices)
    text = forms.CharField(label=_("Question"), max_length=300)
    help_text = forms.CharField(label=_("Explanation"), required=False, max_length=300)
    section = forms.ChoiceField(label=_("Section"), required=False)
    code = forms.CharField(label=_("Code (stable across versions)"), required=False, max_length=40)
    required = forms.BooleanField(label=_("Required"), required=False, initial=True)
    options = forms.CharField(
        label=_("Options, one per line (a score after “=”, e.g. 经常=100)"), required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )  # fmt: skip
    scale_min = forms.IntegerField(label=_("Scale from"), required=False, min_value=-10, max_value=10)
    scale_max = forms.IntegerField(label=_("Scale to"), required=False, min_value=-10, max_value=20)
    number_min = forms.DecimalField(label=_("Smallest number"), required=False, max_digits=10, decimal_places=2)
    number_max = forms.DecimalField(label=_("Largest number"), required=False, max_digits=10, decimal_places=2)
    max_choices = forms.IntegerField(label=_("At most this many choices"), required=False, min_value=1, max_value=20)
    show_if_code = forms.CharField(label=_("Show only when question (code)"), required=False, max_length=40)
    show_if_in = forms.CharField(
        label=_("… was answered with (option numbers or scale points, separated by commas)"), required=False,
        max_length=100,
    )  # fmt: skip
    dimension = forms.CharField(label=_("Dimension (scored 0–100)"), required=False, max_length=40)
    reverse = forms.BooleanField(label=_("Reverse-scored"), required=False)

    def __init__(self, *args, sections=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["section"]).choices = [
            ("", _("(no section)")),
            *((str(s.pk), s.title) for s in sections),
        ]
        self.sections = {str(s.pk): s for s in sections}
        field_messages(self, {
            "text": _("Write the question (at most 300 characters)."),
            "kind": _("Choose the type of the question."),
            "scale_min": _("The scale's lowest point must be a whole number from -10 to 10."),
            "scale_max": _("The scale's highest point must be a whole number from -10 to 20."),
            "number_min": _("The smallest number must be a number."),
            "number_max": _("The largest number must be a number."),
            "max_choices": _("The most choices must be a whole number from 1 to 20."),
        })  # fmt: skip

    def service_fields(self) -> dict:
        d = self.cleaned_data
        show_if = None
        if d["show_if_code"].strip():
            values = [v.strip() for v in d["show_if_in"].replace("，", ",").split(",") if v.strip()]
            show_if = {"code": d["show_if_code"].strip(), "in": values}
        return {
            "kind": d["kind"], "text": d["text"], "help_text": d["help_text"], "code": d["code"],
            "section": self.sections.get(d["section"] or ""), "required": d["required"], "options": d["options"],
            "scale_min": d["scale_min"], "scale_max": d["scale_max"], "number_min": d["number_min"],
            "number_max": d["number_max"], "max_choices": d["max_choices"], "show_if": show_if,
            "dimension": d["dimension"], "reverse": d["reverse"],
        }  # fmt: skip


def question_initial(q: Question) -> dict:
    if q.kind == Question.Kind.SCALE:
        options = "\n".join(f"{o.get('value')} {o.get('label')}" for o in q.options or [])
    else:
        options = "\n".join(
            f"{o.get('label')}={o['score']}" if o.get("score") is not None else str(o.get("label"))
            for o in q.options or []
        )
    return {
        "kind": q.kind, "text": q.text, "help_text": q.help_text, "section": str(q.section_id or ""), "code": q.code,
        "required": q.required, "options": options, "scale_min": q.scale_min, "scale_max": q.scale_max,
        "number_min": q.number_min, "number_max": q.number_max, "max_choices": q.max_choices,
        "show_if_code": (q.show_if or {}).get("code", ""), "show_if_in": ",".join((q.show_if or {}).get("in", [])),
        "dimension": q.dimension, "reverse": q.reverse,
    }  # fmt: skip


class WaveForm(forms.Form):
    title = forms.CharField(label=_("Wave title"), required=False, max_length=80)
    target = forms.ChoiceField(label=_("Who is asked"))
    opens_on = forms.DateField(label=_("Opens on"), widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(label=_("Closes at the end of"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, targets: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["target"]).choices = targets
        today = timezone.localdate()
        self.fields["opens_on"].initial = today
        self.fields["closes_on"].initial = today + datetime.timedelta(days=14)
        field_messages(self, {
            "target": _("Choose who is asked."),
            "opens_on": _("Give the opening date, e.g. 2026-09-01."),
            "closes_on": _("Give the closing date, e.g. 2026-09-15."),
        })  # fmt: skip

    def clean_opens_on(self):
        day = self.cleaned_data["opens_on"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("The opening date has already passed."))
        return day

    def clean(self):
        d = super().clean() or {}
        if d.get("opens_on") and d.get("closes_on") and d["closes_on"] < d["opens_on"]:
            self.add_error("closes_on", _("The closing date must not be before the opening date."))
        return d

    def times(self) -> tuple[datetime.datetime, datetime.datetime]:
        tz = timezone.get_current_timezone()
        opens_on, closes_on = self.cleaned_data["opens_on"], self.cleaned_data["closes_on"]
        now = timezone.now()
        opens = datetime.datetime.combine(opens_on, datetime.time(0, 0), tz)
        if opens_on <= timezone.localdate():
            opens = now
        closes = datetime.datetime.combine(closes_on + datetime.timedelta(days=1), datetime.time(0, 0), tz)
        return opens, closes


def wave_targets(user, access) -> list[tuple[str, str]]:
    """The audiences the user may ask, as form choices ("class:12", "school:3", "county", "carers:<hook>")."""
    out: list[tuple[str, str]] = []
    if access.targetable_counties(user):
        out.append(("county", str(Wave.Audience.COUNTY.label)))
    out += [(f"school:{s.pk}", s.name) for s in access.targetable_schools(user).order_by("name")]
    out += [
        (f"class:{c.pk}", f"{c.school.name} {c}")
        for c in access.targetable_classes(user).order_by("school__name", "grade__level", "name")
    ]
    out += [(f"carers:{hook}", label) for hook, label in access.carers_targetable(user)]
    return out
