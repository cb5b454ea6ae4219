from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xieyu.core.forms import field_messages

from .models import WEEKDAYS
from .services import NOTES_CHARS


def _time_input():
    return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class ScheduleForm(forms.Form):
    notes = forms.CharField(required=False, max_length=NOTES_CHARS, label=gettext_lazy("Notes (optional)"),
                            widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip

    def __init__(self, *args, schedule=None, **kwargs):
        initial: dict = {}
        if schedule is not None:
            initial["notes"] = schedule.notes
            for d in schedule.days:
                n = d["day"]
                initial[f"held_{n}"] = d["held"]
                initial[f"start_{n}"] = datetime.time.fromisoformat(d["start"]) if d["start"] else None
                initial[f"end_{n}"] = datetime.time.fromisoformat(d["end"]) if d["end"] else None
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        texts = {"notes": _("Notes: at most %(n)s characters.") % {"n": NOTES_CHARS}}
        for n, name in WEEKDAYS:
            self.fields[f"held_{n}"] = forms.BooleanField(required=False, label=_("%(day)s: held") % {"day": name})
            self.fields[f"start_{n}"] = forms.TimeField(required=False, widget=_time_input(), label=_("Starts"))
            self.fields[f"end_{n}"] = forms.TimeField(required=False, widget=_time_input(), label=_("Ends"))
            texts[f"start_{n}"] = _("%(day)s: give the start time like 16:30.") % {"day": name}
            texts[f"end_{n}"] = _("%(day)s: give the end time like 18:30.") % {"day": name}
        field_messages(self, texts)

    def day_rows(self):
        return [(name, self[f"held_{n}"], self[f"start_{n}"], self[f"end_{n}"]) for n, name in WEEKDAYS]

    def days(self) -> list[dict]:
        d = self.cleaned_data
        return [{"day": n, "held": d[f"held_{n}"], "start": d[f"start_{n}"], "end": d[f"end_{n}"]} for n, _ in WEEKDAYS]


class OffWorkForm(forms.Form):
    off_work_time = forms.TimeField(widget=_time_input(), label=gettext_lazy("Local off-work time"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field_messages(self, {"off_work_time": _("Off-work time: give a time between 12:00 and 22:00, like 17:30.")})
