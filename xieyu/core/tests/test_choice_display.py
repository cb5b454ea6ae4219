"""No raw enum value ever reaches a family or a teacher: every choice of every model field of the project reads in
Chinese (zh-hans), translated from its English label, never the stored value."""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.utils import translation

CJK = re.compile(r"[\u3400-\u9fff]")


def _choice_fields():
    for config in apps.get_app_configs():
        if not config.name.startswith("xieyu."):
            continue
        for model in config.get_models():
            for field in model._meta.get_fields():
                if getattr(field, "choices", None) and not getattr(field, "auto_created", False):
                    yield f"{model._meta.label}.{field.name}", field


FIELDS = dict(_choice_fields())


def _flat(choices):
    for value, label in choices:
        if isinstance(label, list | tuple):  # a named group
            yield from _flat(label)
        else:
            yield value, label


def test_there_are_choice_fields_to_check():
    assert len(FIELDS) > 20


@pytest.mark.parametrize("name", sorted(FIELDS))
def test_every_choice_label_is_translated(name):
    field = FIELDS[name]
    untranslated = []
    for value, label in _flat(field.choices):
        with translation.override("en"):
            english = str(label)
        with translation.override("zh-hans"):
            chinese = str(label)
        if chinese == str(value) or not CJK.search(chinese) or chinese == english:
            untranslated.append(f"{value!r}: {chinese!r}")
    assert not untranslated, f"{name}: choices shown raw or untranslated: {', '.join(untranslated)}"
