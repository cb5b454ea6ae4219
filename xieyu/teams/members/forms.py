"""The members pages' forms: each field's bad input answers with a message naming the field."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from xieyu.core.forms import field_messages
from xieyu.directory.models import Town

from ..models import Availability, Member, Skill

WEEKDAYS = [
    _("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"), _("Saturday"), _("Sunday"),
]  # fmt: skip
SLOT_CHOICES = [
    (f"{d}-{part}", f"{WEEKDAYS[d]} {label}") for d in range(7) for part, label in Availability.Part.choices
]


def county_skills(county_id: int):
    return Skill.objects.filter(county=county_id).order_by("order", "pk")


def county_towns(county_id: int):
    return Town.objects.filter(county=county_id).order_by("order", "pk")


def parse_slots(values) -> list[tuple[int, str]]:
    out = []
    for value in values or ():
        day, _sep, part = str(value).partition("-")
        out.append((int(day), part))
    return out


def slot_values(slots) -> list[str]:
    return [f"{d}-{p}" for d, p in slots]


class DateInput(forms.DateInput):
    """A date picker: its value is always year-month-day, whatever the locale's display format."""

    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):
        super().__init__(attrs=attrs, format=format)


class _ProfileFields(forms.Form):
    skills = forms.ModelMultipleChoiceField(
        label=_("Skills"), queryset=Skill.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    towns = forms.ModelMultipleChoiceField(
        label=_("Towns you can reach"), queryset=Town.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    languages = forms.CharField(label=_("Languages and dialects"), max_length=100, required=False,
                                help_text=_("For example 普通话、客家话"))  # fmt: skip
    availability = forms.MultipleChoiceField(label=_("Weekly availability"), choices=SLOT_CHOICES, required=False)

    def __init__(self, *args, county_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["skills"]).queryset = county_skills(county_id)
        cast(forms.ModelMultipleChoiceField, self.fields["towns"]).queryset = county_towns(county_id)
        field_messages(self, {
            "skills": _("Choose skills from the county's list."),
            "towns": _("Choose at least one town of the county you can reach."),
            "languages": _("Languages and dialects: at most 100 characters."),
            "availability": _("Availability: the weekday must be Monday to Sunday, the part morning, afternoon or "
                              "evening."),
        }, codes=("required", "invalid", "invalid_choice", "invalid_pk_value", "max_length", "list"))  # fmt: skip

    @property
    def slots(self) -> list[tuple[int, str]]:
        return parse_slots(self.cleaned_data.get("availability"))


class ApplyForm(_ProfileFields):
    introduction = forms.CharField(label=_("Introduce yourself"), max_length=1000, widget=forms.Textarea(
        attrs={"rows": 3}), help_text=_("Who you are, your work or experience, what you can offer."))  # fmt: skip
    motivation = forms.CharField(label=_("Why you want to join"), max_length=1000, required=False,
                                 widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    references = forms.CharField(label=_("References"), max_length=1000, required=False,
                                 widget=forms.Textarea(attrs={"rows": 2}),
                                 help_text=_("Who can speak for you: name, unit, phone."))  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field_messages(self, {
            "introduction": _("Introduce yourself in at most 1000 characters."),
            "motivation": _("Why you want to join: at most 1000 characters."),
            "references": _("References: at most 1000 characters."),
        })  # fmt: skip


class ProfileForm(_ProfileFields):
    pass


class CheckForm(forms.Form):
    checked_on = forms.DateField(label=_("Date of the check"), widget=DateInput)
    checking_unit = forms.CharField(label=_("Checking unit"), max_length=80, initial="全南县公安局")
    reference = forms.CharField(label=pgettext_lazy("background check", "Reference number"), max_length=60,
                                required=False)  # fmt: skip
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=DateInput,
                                  help_text=_("Leave empty for one year after the check; at most three years."))  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field_messages(self, {
            "checked_on": _("Give the date of the check (year-month-day)."),
            "checking_unit": _("Name the unit that ran the check (at most 80 characters)."),
            "reference": _("The reference number is at most 60 characters."),
            "valid_until": _("Valid until: give a date (year-month-day)."),
        })  # fmt: skip


class ReferencesForm(forms.Form):
    note = forms.CharField(label=_("What the references said"), max_length=300, widget=forms.Textarea(
        attrs={"rows": 2}))  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field_messages(self, {"note": _("Write what the references said (at most 300 characters).")})


class ApproveForm(forms.Form):
    term_start = forms.DateField(label=_("Term starts"), widget=DateInput)
    term_end = forms.DateField(label=_("Term ends"), widget=DateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field_messages(self, {
            "term_start": _("Give the start of the term (year-month-day)."),
            "term_end": _("Give the end of the term (year-month-day)."),
        })  # fmt: skip


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field_messages(self, {"reason": _("Give the reason (at most 200 characters).")})


class CertificateForm(forms.Form):
    name = forms.CharField(label=_("Certificate"), max_length=60, help_text=_("For example 家庭教育指导师"))
    issuer = forms.CharField(label=_("Issuer"), max_length=80)
    number = forms.CharField(label=_("Certificate number"), max_length=60, required=False)
    issued_on = forms.DateField(label=_("Issued on"), required=False, widget=DateInput)
    expires_on = forms.DateField(label=_("Expires on"), required=False, widget=DateInput)
    file = forms.FileField(label=_("Scan of the certificate"), required=False,
                           help_text=_("A PDF (at most 10 MB) or a photo (at most 5 MB)."))  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field_messages(self, {
            "name": _("Name the certificate (at most 60 characters)."),
            "issuer": _("Name who issued the certificate (at most 80 characters)."),
            "number": _("The certificate number is at most 60 characters."),
            "issued_on": _("Issued on: give a date (year-month-day)."),
            "expires_on": _("Expires on: give a date (year-month-day)."),
            "file": _("The scan could not be read: choose a PDF or a photo."),
        }, codes=("required", "invalid", "max_length", "missing", "empty"))  # fmt: skip


class SkillForm(forms.Form):
    name = forms.CharField(label=_("Skill"), max_length=30)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field_messages(self, {"name": _("Name the skill in at most 30 characters.")})


class TeamCreateForm(forms.Form):
    name = forms.CharField(label=_("Team name"), max_length=60)
    description = forms.CharField(label=_("Description"), max_length=1000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field_messages(self, {
            "name": _("Name the team in at most 60 characters."),
            "description": _("The description is at most 1000 characters."),
        })  # fmt: skip


STATUS_FILTER = [("", _("Any status")), *Member.Status.choices]


class MemberFilterForm(forms.Form):
    skill = forms.ModelChoiceField(label=_("Skill"), queryset=Skill.objects.none(), required=False,
                                   empty_label=_("Any skill"))  # fmt: skip
    town = forms.ModelChoiceField(label=_("Town"), queryset=Town.objects.none(), required=False,
                                  empty_label=_("Any town"))  # fmt: skip
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_FILTER, required=False)

    def __init__(self, *args, county_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["skill"]).queryset = county_skills(county_id)
        cast(forms.ModelChoiceField, self.fields["town"]).queryset = county_towns(county_id)
