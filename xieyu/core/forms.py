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
