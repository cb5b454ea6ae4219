"""The resource report's form: staff, hours, rooms, equipment and one planned/spent pair per budget category."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xieyu.core.forms import field_messages

from .models import BudgetLine, ResourceReport

AMOUNT: dict[str, Any] = {"min_value": Decimal("0"), "max_value": Decimal("99999999.99"), "max_digits": 10, "decimal_places": 2,
          "required": False}  # fmt: skip
AMOUNT_CODES = ("required", "invalid", "min_value", "max_value", "max_digits", "max_decimal_places",
                "max_whole_digits")  # fmt: skip


class ReportForm(forms.Form):
    dedicated_staff = forms.IntegerField(label=_("Dedicated staff"), min_value=0, max_value=10_000)
    part_time_staff = forms.IntegerField(label=_("Part-time staff"), min_value=0, max_value=10_000)
    coordinator = forms.CharField(label=_("coordinator"), max_length=50, required=False)
    hours = forms.DecimalField(label=_("hours given"), min_value=Decimal("0"), max_value=Decimal("1000000"),
                               decimal_places=1, max_digits=8, required=False)  # fmt: skip
    rooms = forms.MultipleChoiceField(label=_("rooms"), choices=ResourceReport.Room.choices, required=False,
                                      widget=forms.CheckboxSelectMultiple)  # fmt: skip
    rooms_other = forms.CharField(label=_("other rooms"), max_length=200, required=False)
    equipment = forms.CharField(label=_("equipment"), max_length=2000, required=False,
                                widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    note = forms.CharField(
        label=_("remarks"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        texts = {"dedicated_staff": _("Dedicated staff must be a whole number from 0."),
                 "part_time_staff": _("Part-time staff must be a whole number from 0."),
                 "coordinator": _("The coordinator's name is too long: at most 50 characters."),
                 "hours": _("Hours given must be a number from 0, with at most one decimal."),
                 "rooms": _("Choose rooms from the list (name others under “other rooms”)."),
                 "rooms_other": _("Other rooms may have 200 characters, equipment and remarks 2000 each."),
                 "equipment": _("Other rooms may have 200 characters, equipment and remarks 2000 each."),
                 "note": _("Other rooms may have 200 characters, equipment and remarks 2000 each.")}  # fmt: skip
        for value, label in BudgetLine.Category.choices:
            self.fields[f"planned_{value}"] = forms.DecimalField(
                label=_("%(c)s planned (yuan)") % {"c": label}, **AMOUNT
            )
            self.fields[f"spent_{value}"] = forms.DecimalField(label=_("%(c)s spent (yuan)") % {"c": label}, **AMOUNT)
            texts[f"planned_{value}"] = texts[f"spent_{value}"] = _(
                "Amounts are in yuan, from 0, with at most two decimals (such as 1200.50)."
            )
        field_messages(self, texts, codes=AMOUNT_CODES + ("invalid_choice", "max_length"))

    def budget(self) -> dict[str, tuple]:
        d = self.cleaned_data
        return {v: (d.get(f"planned_{v}") or 0, d.get(f"spent_{v}") or 0) for v in BudgetLine.Category.values}

    @classmethod
    def initial_for(cls, report: ResourceReport) -> dict:
        initial = {"dedicated_staff": report.dedicated_staff, "part_time_staff": report.part_time_staff,
                   "coordinator": report.coordinator, "hours": report.hours, "rooms": report.rooms,
                   "rooms_other": report.rooms_other, "equipment": report.equipment, "note": report.note}  # fmt: skip
        for b in report.budget.all():
            initial[f"planned_{b.category}"] = b.planned
            initial[f"spent_{b.category}"] = b.spent
        return initial


class ReturnForm(forms.Form):
    note = forms.CharField(label=_("What to correct"), max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field_messages(self, {"note": _("Say what the school should correct (at most 300 characters).")})
