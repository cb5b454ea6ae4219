from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CalendarDay

DATE_ERRORS = {
    "required": _("Enter the date."),
    "invalid": _("Enter a valid date, such as 2026-10-10."),
}


class CalendarDayForm(forms.Form):
    date = forms.DateField(
        label=_("Date"),
        error_messages=DATE_ERRORS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=CalendarDay.Kind.choices,
        error_messages={"required": _("Choose a day off or a make-up working day."),
                        "invalid_choice": _("Choose a day off or a make-up working day.")},
    )  # fmt: skip
    note = forms.CharField(label=_("Note (optional)"), max_length=100, required=False)


class WorkingHoursForm(forms.Form):
    TIME_ERRORS = {"required": _("Enter a time."), "invalid": _("Enter a valid time, such as 08:00.")}

    day_start = forms.TimeField(
        label=_("Working day starts"),
        error_messages=TIME_ERRORS,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    day_end = forms.TimeField(
        label=_("Working day ends"),
        error_messages=TIME_ERRORS,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )

    def clean(self):
        super().clean()
        data = self.cleaned_data
        start, end = data.get("day_start"), data.get("day_end")
        if start and end and end <= start:
            raise forms.ValidationError(_("The working day must end after it starts."))
        return data
