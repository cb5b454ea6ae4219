"""Form helpers shared by the domains."""

from __future__ import annotations

from django import forms

FIELD_ERROR_CODES = ("required", "invalid", "invalid_choice", "max_length", "min_value", "max_value")


def field_messages(form: forms.Form, texts: dict, codes: tuple[str, ...] = FIELD_ERROR_CODES) -> None:
    """One message per field, naming what is wrong, for each of its validation errors (`codes`); a name the form
    does not have (an optional field left out) is skipped."""
    for name, text in texts.items():
        if name not in form.fields:
            continue
        for code in codes:
            form.fields[name].error_messages[code] = text


def form_errors_text(form: forms.Form) -> str:
    """A bound form's errors as one message for the page, each named by its field's label."""
    return " ".join(f"{form.fields[k].label if k in form.fields else ''}:{e}" for k, errs in form.errors.items()
                    for e in errs)  # fmt: skip


class LabelledChoiceField(forms.ModelChoiceField):
    """A choice of rows, each shown by `label_of(row)` (a row's own str() is often not what a person picks by)."""

    def __init__(self, *args, label_of=str, **kwargs):
        self._label_of = label_of
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj) -> str:
        return self._label_of(obj)
