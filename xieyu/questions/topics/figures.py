"""Hot topics for the county and school overview: topic requests ranked by votes in a window, and question keywords
ranked by questions, each against the window before it. Three grouped queries, whatever the size."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q

from xieyu.questions.asking.figures import Scope, window
from xieyu.questions.asking.models import QuestionTerm

from .models import TopicRequest, TopicVote
from .status import topic_status_now

TOP = 10


def _trend(now: int, before: int) -> str:
    if before == 0:
        return "new" if now else "flat"
    return "up" if now > before else "down" if now < before else "flat"


def hot_topics(scope: Scope, days: int = 30, now: datetime.datetime | None = None) -> dict:
    """Topic requests ranked by votes in the window, and question keywords ranked by questions in the window, each
    with the count in the previous window of the same length and the trend. Three queries."""
    start, end = window(days, now)
    prev = start - datetime.timedelta(days=days)
    topic_scope = Q(topic__school=scope.school_id) if scope.school_id else Q(topic__school__county=scope.county_id)
    topic_rows = list(
        TopicVote.objects.filter(topic_scope, created_at__gte=prev, created_at__lte=end)
        .annotate(topic_status=topic_status_now("topic__"))
        .values(
            "topic_id", "topic__title", "topic__school_id", "topic__school__name", "topic_status", "topic__votes_count"
        )
        .annotate(n=Count("pk", filter=Q(created_at__gte=start)), before=Count("pk", filter=Q(created_at__lt=start)))
        .order_by("-n", "-topic__votes_count", "topic_id")[:TOP]
    )
    topics = [
        {
            "id": r["topic_id"],
            "title": r["topic__title"],
            "school": r["topic__school__name"],
            "school_id": r["topic__school_id"],
            "open": r["topic_status"] in (TopicRequest.Status.OPEN, TopicRequest.Status.PLANNED),
            "status": TopicRequest.Status(r["topic_status"]).label,
            "total": r["topic__votes_count"],
            "count": r["n"],
            "previous": r["before"],
            "trend": _trend(r["n"], r["before"]),
        }
        for r in topic_rows
        if r["n"]
    ]
    term_rows = list(
        QuestionTerm.objects.filter(scope.q(), created_at__gte=start, created_at__lte=end)
        .values("term")
        .annotate(n=Count("question", distinct=True))
        .order_by("-n", "term")[:TOP]
    )
    before = dict(
        QuestionTerm.objects.filter(
            scope.q(), created_at__gte=prev, created_at__lt=start, term__in=[r["term"] for r in term_rows]
        )
        .values("term")
        .annotate(n=Count("question", distinct=True))
        .values_list("term", "n")
    )
    terms = [
        {
            "term": r["term"],
            "count": r["n"],
            "previous": before.get(r["term"], 0),
            "trend": _trend(r["n"], before.get(r["term"], 0)),
        }
        for r in term_rows
    ]
    return {"days": days, "start": start, "end": end, "topics": topics, "terms": terms}
