"""The one-minute diary's form: each question with its "不清楚" (not known) box."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xieyu.core.forms import field_messages

from .services import LABELS, MINUTE_FIELDS, TIME_FIELDS, YES_NO_FIELDS

QUESTIONS = {
    "homework_minutes": _("Yesterday, how many minutes of written homework did the child do at home?"),
    "other_homework_minutes": _("And other homework (reciting, reading aloud, practice), in minutes?"),
    "bedtime": _("When did the child go to sleep last night?"),
    "wake_time": _("When did the child wake up this morning?"),
    "screen_minutes": _("How many minutes on a phone, tablet or TV?"),
    "phone_to_school": _("Did the child take a phone to school?"),
    "reading_minutes": _("How many minutes of reading?"),
    "outdoor_minutes": _("How many minutes of outdoor activity or sport outside school?"),
    "afterschool": _("Did the child attend the school's after-school service?"),
}
YES_NO = [("yes", _("Yes")), ("no", _("No")), ("unknown", _("Not known"))]


class DiaryForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in QUESTIONS:
            if name in MINUTE_FIELDS:
                self.fields[name] = forms.IntegerField(
                    label=QUESTIONS[name], required=False, min_value=0, max_value=1440,
                    widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": 1440}),
                )  # fmt: skip
            elif name in TIME_FIELDS:
                self.fields[name] = forms.TimeField(
                    label=QUESTIONS[name], required=False, widget=forms.TimeInput(attrs={"type": "time"})
                )
            else:
                self.fields[name] = forms.ChoiceField(label=QUESTIONS[name], choices=YES_NO, required=False,
                                                      widget=forms.RadioSelect)  # fmt: skip
            if name not in YES_NO_FIELDS:
                self.fields[f"{name}_unknown"] = forms.BooleanField(label=_("Not known"), required=False)
        field_messages(self, {
            **{n: _("%(field)s: minutes must be between 0 and 1440.") % {"field": LABELS[n]} for n in MINUTE_FIELDS},
            **{n: _("%(field)s: enter a time such as 21:30.") % {"field": LABELS[n]} for n in TIME_FIELDS},
            **{n: _("%(field)s: answer yes or no, or choose “not known”.") % {"field": LABELS[n]}
               for n in YES_NO_FIELDS},
        })  # fmt: skip

    def questions(self) -> list[tuple[forms.BoundField, forms.BoundField | None]]:
        return [(self[n], self[f"{n}_unknown"] if f"{n}_unknown" in self.fields else None) for n in QUESTIONS]

    def answers(self) -> tuple[dict[str, Any], set[str]]:
        """(values, the questions answered "not known") from cleaned data."""
        data = self.cleaned_data
        values: dict[str, Any] = {}
        unknown: set[str] = set()
        for name in QUESTIONS:
            if name in YES_NO_FIELDS:
                choice = data.get(name)
                if choice == "unknown":
                    unknown.add(name)
                else:
                    values[name] = {"yes": True, "no": False}.get(choice or "")
            elif data.get(f"{name}_unknown"):
                unknown.add(name)
            else:
                values[name] = data.get(name)
        return values, unknown
