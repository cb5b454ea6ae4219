"""Figures for the county and school overview: questions by category, first-response times, overdue questions by
school, satisfaction (the hot topics are topics/figures.py). Each is a fixed number of grouped queries, whatever the
size.

Callers pass a place they got from access.py (a county the user administers, a school they oversee).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Avg, Count, Q
from django.utils import timezone

from xieyu.deadlines.models import Deadline
from xieyu.deadlines.workcalendar import calendar_for

from .models import Category, Question

WINDOWS = (7, 30, 90, 365)


@dataclass(frozen=True)
class Scope:
    """The place a figure covers: one school, or else one county."""

    county_id: int | None = None
    school_id: int | None = None

    def q(self, prefix: str = "") -> Q:
        if self.school_id is not None:
            return Q(**{f"{prefix}school": self.school_id})
        return Q(**{f"{prefix}county": self.county_id})


def window(days: int, now: datetime.datetime | None = None) -> tuple[datetime.datetime, datetime.datetime]:
    now = now or timezone.now()
    return now - datetime.timedelta(days=days), now


def _percentile(values: list[float], p: float) -> float | None:
    if not values:
        return None
    values = sorted(values)
    k = (len(values) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return round(values[lo] + (values[hi] - values[lo]) * (k - lo), 1)


def question_figures(scope: Scope, days: int = 90, now: datetime.datetime | None = None) -> dict:
    """Questions by category, first-response hours (median, 90th percentile) in working hours of the county's
    calendar (the deadline engine's: working hours, holidays, 调休, the county's own days), overdue open questions by
    school (the deadline engine's rows), satisfaction. Five queries, plus the calendar's stamp check (one; three
    when the county's calendar changed since this process last loaded it)."""
    start, end = window(days, now)
    qs = Question.objects.filter(scope.q(), created_at__gte=start, created_at__lte=end)
    by_cat = {
        r["category"]: r
        for r in qs.values("category").annotate(
            n=Count("pk"),
            open=Count("pk", filter=Q(status=Question.Status.OPEN)),
            urgent=Count("pk", filter=Q(flagged_at__isnull=False)),
        )
    }
    categories = [
        {
            "key": c.value,
            "label": c.label,
            "count": by_cat.get(c.value, {}).get("n", 0),
            "open": by_cat.get(c.value, {}).get("open", 0),
            "urgent": by_cat.get(c.value, {}).get("urgent", 0),
        }
        for c in Category
    ]
    responses = list(
        qs.filter(first_response_at__isnull=False).values_list("county_id", "created_at", "first_response_at")
    )
    calendars = {c: calendar_for(c) for c in {row[0] for row in responses}}  # one county: 1 query (3 on a miss)
    hours = [
        calendars[c].seconds_between(asked, responded) / 3600
        for c, asked, responded in responses
        if responded is not None  # the filter leaves out nulls already; this narrows the type
    ]
    sat = qs.filter(rating__isnull=False).aggregate(
        avg=Avg("rating"), n=Count("pk"), good=Count("pk", filter=Q(rating__gte=4))
    )
    overdue = list(
        Deadline.objects.filter(
            scope.q(),
            target_type="questions.question",
            state=Deadline.State.RUNNING,
            current_due__lte=end,
        )
        .values("school__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "school__name")
    )
    return {
        "days": days,
        "total": sum(c["count"] for c in categories),
        "categories": categories,
        "first_response_median": _percentile(hours, 0.5) if hours else None,
        "first_response_p90": _percentile(hours, 0.9),
        "responded": len(hours),
        "satisfaction_avg": round(sat["avg"], 2) if sat["avg"] is not None else None,
        "satisfaction_count": sat["n"],
        "satisfaction_good": sat["good"],
        "overdue": [{"school": r["school__name"], "count": r["n"]} for r in overdue],
        "overdue_total": sum(r["n"] for r in overdue),
    }
