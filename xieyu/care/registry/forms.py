"""Forms of the registry pages. Each error names its field in Chinese; the rules that need the database (one open
entry, one open category of a kind, the states) live in services.py."""

from __future__ import annotations

from typing import cast

from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import AbsentParent, CarerSurvey, CarerType, Category, Source

PHONE_PATTERN = r"^1[0-9]{10}$"


def _name_errors(form: forms.Form) -> None:
    """Every field's messages name the field, so an error reads well at the top of the form too."""
    for field in form.fields.values():
        label = field.label
        field.error_messages.update(
            {
                "required": _("Fill in “%(field)s”.") % {"field": label},
                "invalid": _("“%(field)s” is not valid.") % {"field": label},
                "invalid_choice": _("Choose “%(field)s” from the list.") % {"field": label},
                "max_length": _("“%(field)s” is too long.") % {"field": label},
                "min_value": _("“%(field)s” is too small.") % {"field": label},
                "max_value": _("“%(field)s” is too large.") % {"field": label},
            }
        )
        if isinstance(field, PhoneField):
            message = _("%(field)s must be an 11-digit mobile number starting with 1.") % {"field": label}
            field.validators = [RegexValidator(PHONE_PATTERN, message)]
            field.error_messages["max_length"] = field.error_messages["invalid"] = message


class PhoneField(forms.CharField):
    """A mainland mobile number (optional); the message naming the field is set per form (_name_errors)."""

    def __init__(self, label) -> None:
        super().__init__(
            label=label, max_length=11, required=False,
            widget=forms.TextInput(attrs={"type": "tel", "inputmode": "numeric", "autocomplete": "off"}),
        )  # fmt: skip


def _phone_field(label) -> PhoneField:
    return PhoneField(label)


def _date_field(label, *, required: bool = False) -> forms.DateField:
    return forms.DateField(
        label=label, required=required, input_formats=["%Y-%m-%d"], widget=forms.DateInput(attrs={"type": "date"})
    )


def _not_future(form: forms.Form, name: str) -> None:
    value = form.cleaned_data.get(name)
    if value and value > timezone.localdate():
        form.add_error(name, _("“%(field)s” cannot be in the future.") % {"field": form.fields[name].label})


SOURCE_CHOICES = [("", "—"), *Source.choices]


class ProposeForm(forms.Form):
    """A head teacher or school admin proposes a pupil: the main category with its detail, source and date; the
    carer; where the child lives."""

    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    detail = forms.CharField(
        label=_("Detail"), max_length=200, required=False,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. both parents work in Dongguan since 2021")}),
    )  # fmt: skip
    source = forms.ChoiceField(label=_("Source"), choices=Source.choices, initial=Source.HEAD_TEACHER)
    noted_on = _date_field(_("Noted on"))
    carer_name = forms.CharField(label=_("Carer's name"), max_length=50, required=False)
    carer_relationship = forms.CharField(label=_("Carer's relationship to the child"), max_length=24, required=False)
    carer_type = forms.ChoiceField(label=_("Carer type"), choices=[("", "—"), *CarerType.choices], required=False)
    carer_phone = _phone_field(_("Carer's mobile number"))
    village = forms.CharField(label=_("Village or community"), max_length=80, required=False)
    community = forms.TypedChoiceField(label=_("Community on the platform"), coerce=int, required=False,
                                       empty_value=None)  # fmt: skip
    note = forms.CharField(label=_("Why (optional)"), max_length=200, required=False)

    def __init__(self, *args, communities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.communities = {c.pk: c for c in communities}
        field = cast(forms.TypedChoiceField, self.fields["community"])
        field.choices = [("", "—"), *((c.pk, c.name) for c in communities)]
        _name_errors(self)

    def clean(self):
        data = super().clean()
        _not_future(self, "noted_on")
        return data


class FactsForm(forms.Form):
    """Change the carer or where the child lives, with a required reason. Only the parts the user may change are
    offered (access.editable_parts)."""

    carer_name = forms.CharField(label=_("Carer's name"), max_length=50, required=False)
    carer_relationship = forms.CharField(label=_("Carer's relationship to the child"), max_length=24, required=False)
    carer_type = forms.ChoiceField(label=_("Carer type"), choices=[("", "—"), *CarerType.choices], required=False)
    carer_phone = _phone_field(_("Carer's mobile number"))
    carer_source = forms.ChoiceField(label=_("Source of the carer facts"), choices=SOURCE_CHOICES, required=False)
    carer_noted_on = _date_field(_("Carer facts noted on"))
    village = forms.CharField(label=_("Village or community"), max_length=80, required=False)
    community = forms.TypedChoiceField(label=_("Community on the platform"), coerce=int, required=False,
                                       empty_value=None)  # fmt: skip
    reason = forms.CharField(label=_("Reason for the change"), max_length=200)

    CARER = ("carer_name", "carer_relationship", "carer_type", "carer_phone", "carer_source", "carer_noted_on")
    PLACE = ("village", "community")

    def __init__(self, *args, carer: bool = True, place: bool = True, communities=(), **kwargs):
        super().__init__(*args, **kwargs)
        if not carer:
            for name in self.CARER:
                del self.fields[name]
        if not place:
            for name in self.PLACE:
                del self.fields[name]
        self.communities = {c.pk: c for c in communities}
        if "community" in self.fields:
            field = cast(forms.TypedChoiceField, self.fields["community"])
            field.choices = [("", "—"), *((c.pk, c.name) for c in communities)]
        _name_errors(self)

    def clean(self):
        data = super().clean()
        if "carer_noted_on" in self.fields:
            _not_future(self, "carer_noted_on")
        return data

    def changes(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "reason"}
        if "community" in data:
            data["community"] = self.communities.get(data["community"]) if data["community"] else None
        return data


class CategoryAddForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"))
    detail = forms.CharField(label=_("Detail"), max_length=200, required=False)
    source = forms.ChoiceField(label=_("Source"), choices=Source.choices)
    noted_on = _date_field(_("Noted on"))

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["category"]).choices = list(categories)
        _name_errors(self)

    def clean(self):
        data = super().clean()
        _not_future(self, "noted_on")
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _name_errors(self)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note (optional)"), max_length=200, required=False)


class AbsentParentForm(forms.Form):
    who = forms.ChoiceField(label=_("Parent"), choices=AbsentParent.Who.choices, widget=forms.RadioSelect)
    name = forms.CharField(label=_("Name"), max_length=50, required=False)
    phone = _phone_field(_("Parent's mobile number"))
    works_in = forms.CharField(label=_("Works in"), max_length=80, required=False)
    away_since = _date_field(_("Away since"))
    source = forms.ChoiceField(label=_("Source"), choices=Source.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _name_errors(self)

    def clean(self):
        data = super().clean()
        _not_future(self, "away_since")
        return data


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=_("What the review found"), max_length=2000, min_length=4, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _name_errors(self)
        self.fields["note"].error_messages["min_length"] = _("Write what the review found (at least 4 characters).")


YES_NO = [("1", _("yes")), ("0", _("no"))]


class SurveyForm(forms.Form):
    """The carer survey: a few questions the head teacher (or 妇联) asks the carer, on a visit or by phone."""

    needs = forms.MultipleChoiceField(
        label=_("Guidance the carer needs"), choices=CarerSurvey.Need.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    parent_contact = forms.ChoiceField(
        label=_("How often the child talks with the parents"), choices=CarerSurvey.Contact.choices,
        widget=forms.RadioSelect,
    )  # fmt: skip
    carer_age = forms.IntegerField(label=_("Carer's age"), min_value=14, max_value=110, required=False)
    carer_reads = forms.TypedChoiceField(
        label=_("Can the carer read notices?"), choices=YES_NO, coerce=lambda v: v == "1", widget=forms.RadioSelect,
        initial="1",
    )  # fmt: skip
    note = forms.CharField(label=_("Other needs"), max_length=300, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _name_errors(self)
        for code in ("min_value", "max_value"):
            self.fields["carer_age"].error_messages[code] = _("The carer's age must be between 14 and 110.")


class FilterForm(forms.Form):
    """The list's filters (GET): anything unknown is ignored."""

    state = forms.ChoiceField(label=_("State"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False, choices=[("", _("all")), *Category.choices])
    school = forms.TypedChoiceField(label=_("School"), coerce=int, required=False, empty_value=None)
    overdue = forms.BooleanField(label=_("Review overdue"), required=False)
    q = forms.CharField(label=_("Child's name"), max_length=50, required=False)

    def __init__(self, *args, states=(), schools=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["state"]).choices = [("", _("all")), *states]
        cast(forms.TypedChoiceField, self.fields["school"]).choices = [("", _("all")), *schools]

    def values(self) -> dict:
        if not self.is_bound:
            data: dict = {}
        elif not self.is_valid():
            data = {}
            for name in self.fields:
                if name not in self.errors:
                    data[name] = self.cleaned_data.get(name)
        else:
            data = dict(self.cleaned_data)
        return {
            "state": data.get("state") or "",
            "category": data.get("category") or "",
            "school": data.get("school"),
            "overdue": bool(data.get("overdue")),
            "q": (data.get("q") or "").strip(),
        }
