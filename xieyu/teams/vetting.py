"""The one rule of work with children (未成年人保护法 §62, 入职查询): a person may be dispatched to anything with
children only on dates their latest background check covers. Dispatch, the talent pool and lecture tours all ask
here; nothing else decides it."""

from __future__ import annotations

import datetime

from django.db.models import Exists, Max, OuterRef, Q

from .models import BackgroundCheck, Member


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


def dispatchable_q(on: datetime.date, *, with_children: bool = True, prefix: str = "") -> Q:
    """A filter for members who may be dispatched on that date: approved, their term covering the date, and — when
    the work is with children — a background check covering it too. A lapsed term bars like a lapsed check.
    `prefix` reaches the member through a relation (e.g. "member__" from assignments)."""
    q = Q(**{f"{prefix}status": Member.Status.APPROVED, f"{prefix}term_start__lte": on, f"{prefix}term_end__gte": on})
    if with_children:
        q &= cleared_q(on, f"{prefix}user")
    return q


def dispatchable(member, on: datetime.date, *, with_children: bool = True) -> bool:
    """Whether one member may be dispatched on that date (the same rule as `dispatchable_q`)."""
    if member.status != Member.Status.APPROVED or member.term_start is None or member.term_end is None:
        return False
    if not member.term_start <= on <= member.term_end:
        return False
    return cleared(member.user_id, on) if with_children else True
