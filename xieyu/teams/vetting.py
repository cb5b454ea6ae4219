"""The one rule of work with children (未成年人保护法 §62, 入职查询): a person may be dispatched to anything with
children only on dates their latest background check covers. Dispatch, the talent pool and lecture tours all ask
here; nothing else decides it."""

from __future__ import annotations

import datetime

from django.db.models import Exists, Max, OuterRef, Q

from .models import BackgroundCheck


def check_valid_until(user) -> datetime.date | None:
    """The last day the person's checks cover, or None if they were never checked."""
    return BackgroundCheck.objects.filter(user=user).aggregate(v=Max("valid_until"))["v"]


def cleared(user, on: datetime.date) -> bool:
    """Whether a check of the person covers that date (checked on or before it, valid through it)."""
    return BackgroundCheck.objects.filter(user=user, checked_on__lte=on, valid_until__gte=on).exists()


def cleared_q(on: datetime.date, user_field: str = "user") -> Q:
    """A filter for rows whose `user_field` is a person cleared on that date (one subquery, no extra query)."""
    checks = BackgroundCheck.objects.filter(user=OuterRef(user_field), checked_on__lte=on, valid_until__gte=on)
    return Q(Exists(checks))
