"""The anonymity check of an article: what in a text could identify the family whose question it was."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from xieyu.directory.models import Guardianship, School
from xieyu.questions.asking.models import Question

PHONE_RE = re.compile(r"(?<!\d)(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})(?!\d)")
ID_RE = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")


def _short_school_name(name: str) -> list[str]:
    names = [name]
    for prefix in ("全南县", "县"):
        if name.startswith(prefix) and len(name) - len(prefix) >= 3:
            names.append(name[len(prefix) :])
    return names


def anonymity_problems(text: str, question: Question | None) -> list[str]:
    """What in the text could identify the family: the child's and guardians' names, school and class names,
    phone and ID numbers. Empty when the text is safe to publish."""
    found: list[str] = []
    if question is not None:
        student = question.student
        names = {student.name}
        if len(student.name) >= 3:
            names.add(student.name[1:])  # the given name: 张小明 → 小明
        guardians = Guardianship.objects.filter(student=student).values_list("guardian__name", flat=True)
        names.update(guardians)
        names.add(question.asker.name)
        for n in sorted(n for n in names if n and len(n) >= 2):
            if n in text:
                found.append(_("the name “%(name)s”") % {"name": n})
        schools = School.objects.filter(county=question.county_id).values_list("name", flat=True)
        for s in schools:
            for variant in _short_school_name(s):
                if variant in text:
                    found.append(_("the school “%(name)s”") % {"name": variant})
                    break
        cls = question.student.school_class  # no query when the student has no class
        if cls is not None:
            label = f"{cls.grade.name}{cls.name}"
            if label in text:
                found.append(_("the class “%(name)s”") % {"name": label})
    for m in PHONE_RE.findall(text):
        found.append(_("the phone number %(number)s") % {"number": m})
    for m in ID_RE.findall(text):
        found.append(_("the ID number %(number)s") % {"number": m})
    return list(dict.fromkeys(found))
