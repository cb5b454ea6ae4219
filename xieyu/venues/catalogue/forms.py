from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from ..catalogue.models import WEEKDAYS, Part, Venue, VenueTheme
from .services import VenueFields

SLOT_CHOICES = [(f"{d}:{p}", f"{day}{label}") for d, day in WEEKDAYS for p, label in Part.choices]


class VenueSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=40)
    theme = forms.ChoiceField(
        label=_("Theme"), required=False, choices=[("", _("any theme")), *VenueTheme.Theme.choices]
    )
    kind = forms.ChoiceField(label=_("Venue type"), required=False, choices=[("", _("any type")), *Venue.Kind.choices])
    town = forms.TypedChoiceField(label=_("Town"), required=False, coerce=int, empty_value=None)

    def __init__(self, data=None, *, towns=(), **kwargs):
        super().__init__(data, **kwargs)
        cast(Any, self.fields["town"]).choices = [("", _("any town")), *[(t.pk, t.name) for t in towns]]


class VenueForm(forms.Form):
    name = forms.CharField(label=_("Venue name"), max_length=80)
    kind = forms.ChoiceField(label=_("Venue type"), choices=Venue.Kind.choices)
    themes = forms.MultipleChoiceField(label=_("Themes"), choices=VenueTheme.Theme.choices, required=False,
                                       widget=forms.CheckboxSelectMultiple)  # fmt: skip
    town: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Town"), queryset=None)
    address = forms.CharField(label=_("Address"), max_length=200)
    opening_text = forms.CharField(label=_("Opening times"), max_length=200, required=False)
    slots = forms.MultipleChoiceField(label=_("Half-days open for class visits"), choices=SLOT_CHOICES,
                                      required=False, widget=forms.CheckboxSelectMultiple)  # fmt: skip
    capacity = forms.IntegerField(label=_("Places per half-day"), min_value=1, max_value=2000)
    max_group = forms.IntegerField(label=_("Largest group"), min_value=1, max_value=2000)
    min_days_ahead = forms.IntegerField(label=_("Book at least this many days ahead"), min_value=0, max_value=60)
    terms = forms.ChoiceField(label=_("Terms for students"), choices=Venue.Terms.choices)
    terms_text = forms.CharField(label=_("About the terms"), max_length=200, required=False)
    rules_text = forms.CharField(
        label=_("Booking rules"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    contact_name = forms.CharField(label=_("Contact name"), max_length=30, required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=20, required=False)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    contacts: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(label=_("Venue contacts who answer bookings"), queryset=None,
                                              required=False, widget=forms.CheckboxSelectMultiple)  # fmt: skip
    published = forms.BooleanField(label=_("Published in the catalogue"), required=False)

    def __init__(self, data=None, *, towns, contacts=None, **kwargs):
        super().__init__(data, **kwargs)
        cast(Any, self.fields["town"]).queryset = towns
        if contacts is None:
            del self.fields["contacts"]
        else:
            cast(Any, self.fields["contacts"]).queryset = contacts
            cast(Any, self.fields["contacts"]).label_from_instance = lambda u: u.name

    @staticmethod
    def initial_of(venue: Venue, themes, slots, contacts) -> dict:
        return {
            **{k: getattr(venue, k) for k in ("name", "kind", "address", "opening_text", "capacity", "max_group",
                                              "min_days_ahead", "terms", "terms_text", "rules_text", "contact_name",
                                              "contact_phone", "description", "published")},
            "town": venue.town_id, "themes": [t.theme for t in themes], "slots": [f"{d}:{p}" for d, p in slots],
            "contacts": [c.pk for c in contacts],
        }  # fmt: skip

    def fields_value(self) -> VenueFields:
        d = self.cleaned_data
        slots = [(int(s.split(":")[0]), s.split(":")[1]) for s in d["slots"]]
        return VenueFields(
            name=d["name"], kind=d["kind"], address=d["address"], town=d["town"], capacity=d["capacity"],
            max_group=d["max_group"], min_days_ahead=d["min_days_ahead"], terms=d["terms"],
            terms_text=d["terms_text"], rules_text=d["rules_text"], opening_text=d["opening_text"],
            contact_name=d["contact_name"], contact_phone=d["contact_phone"], description=d["description"],
            published=d["published"], themes=d["themes"], slots=slots,
            contacts=list(d["contacts"]) if "contacts" in d else None,
        )  # fmt: skip


class PhotoForm(forms.Form):
    file = forms.FileField(label=_("Photo (JPG, PNG or WEBP)"))
    caption = forms.CharField(label=_("Caption"), max_length=80, required=False)
