"""The hot topics of a county and of each of its schools: the guidance topics (点单) most families asked for this
semester, each with the lecture its parent school planned on it. Computed with the figures (services.py) and stored
as `HotTopic` rows, so a page reads one short list and never the votes.

A topic counts for the semester when it was proposed in it, or (for the current semester) is still live: collecting
votes, planned or scheduled. A declined topic never counts. Votes are families (one per child), not children's data, so the list is
not suppressed; it names no family."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q

from xieyu.directory.models import Region
from xieyu.events.models import Event
from xieyu.parentschool.semester import Semester
from xieyu.questions.topics.models import TopicRequest

from .models import HotTopic

COUNTY_PLACES = 10
SCHOOL_PLACES = 5
LIVE = [TopicRequest.Status.OPEN, TopicRequest.Status.PLANNED, TopicRequest.Status.SCHEDULED]


def hot_topics(county: Region, sem: Semester, now: datetime.datetime) -> list[HotTopic]:
    """The county's list and every school's, unsaved: two queries whatever the number of topics kept."""
    start, end = sem.bounds()
    counted = Q(created_at__gte=start, created_at__lt=end)
    if start <= now < end:
        counted |= Q(status__in=LIVE)  # still live now: hot this semester, wherever it began
    found = (
        TopicRequest.objects.filter(school__county=county, votes_count__gt=0)
        .filter(counted)
        .exclude(status=TopicRequest.Status.DECLINED)
        .order_by("-votes_count", "-created_at", "-pk")
        .values("pk", "school_id", "title", "votes_count", "status", "scheduled_event_id")
    )
    rows: list[dict[str, Any]] = [dict(r) for r in found]
    by_school: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        by_school.setdefault(row["school_id"], []).append(row)
    chosen: list[tuple[str, dict[str, Any]]] = [("county", r) for r in rows[:COUNTY_PLACES]]
    chosen += [("school", r) for kept in by_school.values() for r in kept[:SCHOOL_PLACES]]
    event_ids = {r["scheduled_event_id"] for _l, r in chosen if r["scheduled_event_id"]}
    planned = Event.objects.filter(pk__in=event_ids).values("pk", "title", "starts_at")
    lectures: dict[int, dict[str, Any]] = {e["pk"]: dict(e) for e in planned}
    out: list[HotTopic] = []
    places: dict[tuple[str, int], int] = {}
    for level, r in chosen:
        slot = (level, county.pk if level == "county" else r["school_id"])
        places[slot] = places.get(slot, 0) + 1
        lecture: dict[str, Any] = lectures.get(r["scheduled_event_id"] or 0, {})
        out.append(HotTopic(
            county=county, school_id=r["school_id"], level=level, period=sem.code, position=places[slot],
            title=r["title"], families=r["votes_count"], status=r["status"],
            lecture_title=lecture.get("title", ""), lecture_at=lecture.get("starts_at"), computed_at=now,
        ))  # fmt: skip
    return out

