"""Helpers for the venues tests: the next date with a given weekday, and the fields of a venue."""

from __future__ import annotations

import datetime

from django.utils import timezone

from xieyu.directory.models import Town
from xieyu.venues.catalogue.services import VenueFields


def next_weekday(weekday: int, *, after_days: int = 5) -> datetime.date:
    """The first date with this weekday at least `after_days` days from today."""
    day = timezone.localdate() + datetime.timedelta(days=after_days)
    while day.weekday() != weekday:
        day += datetime.timedelta(days=1)
    return day


def fields(town: Town, **over) -> VenueFields:
    base = {
        "name": "全南县革命烈士纪念馆", "kind": "patriotic", "address": "城厢镇烈士路1号", "town": town,
        "capacity": 30, "max_group": 30, "min_days_ahead": 3, "terms": "free", "terms_text": "学生免费",
        "opening_text": "周一至周五 9:00–17:00", "themes": ["red", "family"],
        "slots": [(d, "morning") for d in range(5)] + [(2, "afternoon")], "published": True,
    }  # fmt: skip
    base.update(over)
    return VenueFields(**base)
