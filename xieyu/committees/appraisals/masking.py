"""Masking of appraisal comments, when they are written: the names of the school's students, guardians and staff
(and "X老师"), phone numbers, and insults from a small word list. The masked text is the only one ever stored."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db.models import Q

from xieyu.accounts.models import Membership, User
from xieyu.directory.models import Guardian, Student

NAME_MARK = "某某"
PHONE_MARK = "***"
INSULT_MARK = "**"

# A small list of insults and abuse; masked wherever they appear.
INSULTS = (
    "傻逼", "傻B", "煞笔", "沙比", "脑残", "白痴", "弱智", "混蛋", "王八蛋", "畜生", "废物", "垃圾老师", "人渣",
    "神经病", "去死", "滚蛋", "狗东西", "贱人", "蠢货", "他妈的", "妈的",
)  # fmt: skip

PHONE = re.compile(
    r"(?<!\d)(?:\+?86[-\s]?)?1[3-9]\d[-\s]?\d{4}[-\s]?\d{4}(?!\d)"  # mobile
    r"|(?<!\d)0\d{2,3}[-\s]?\d{7,8}(?!\d)"  # landline with area code
    r"|(?<!\d)\d{7,8}(?!\d)"  # a local number
)
TEACHER = re.compile(r"(?!某)[\u4e00-\u9fff](?=老师)")


def school_names(school_id: int) -> set[str]:
    """The names a comment about this school must not carry: its students, their guardians, its staff (3 queries)."""
    names = set(Student.objects.filter(school_id=school_id).values_list("name", flat=True))
    names |= set(Guardian.objects.filter(guardianships__student__school_id=school_id).values_list("name", flat=True))
    staff = Membership.objects.filter(Q(school_id=school_id) | Q(school_class__school_id=school_id), is_active=True)
    names |= set(User.objects.filter(pk__in=staff.values("user_id")).values_list("name", flat=True))
    return {n.strip() for n in names if n and len(n.strip()) >= 2}


def mask(text: str, names: Iterable[str]) -> tuple[str, int]:
    """The text with names, phone numbers and insults masked, and how many pieces were masked."""
    count = 0

    def sub(pattern: re.Pattern, mark: str, value: str) -> str:
        nonlocal count
        value, n = pattern.subn(mark, value)
        count += n
        return value

    text = sub(PHONE, PHONE_MARK, text)
    ordered = sorted(set(names), key=len, reverse=True)
    if ordered:
        text = sub(re.compile("|".join(re.escape(n) for n in ordered)), NAME_MARK, text)
    text = sub(TEACHER, "某", text)
    text = sub(re.compile("|".join(re.escape(w) for w in INSULTS), re.IGNORECASE), INSULT_MARK, text)
    return text, count
