"""When a topic counts as held: the one rule shared by the topics pages (`topic_status_now`, on every load), the hot
topics and the periodic job that persists it (`services.topics_mark_held`)."""

from __future__ import annotations

from django.db.models import Case, CharField, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from xieyu.events.models import Attendance, Event

from .models import TopicRequest


def lectures_held(now=None) -> QuerySet[Event]:
    """Lectures that count as held: published, and ended or with a checked-in family."""
    now = now or timezone.now()
    checked_in = Exists(Attendance.objects.filter(event=OuterRef("pk")))
    return Event.objects.filter(Q(ends_at__lte=now) | Q(checked_in), status=Event.Status.PUBLISHED)


def topic_status_now(prefix: str = "", now=None) -> Case:
    """A topic's status as of now, in SQL: a scheduled topic whose lecture is held (see lectures_held) reads
    "held" at once, before the periodic job writes it. `prefix` reaches the topic through a relation ("topic__")."""
    held = lectures_held(now).filter(pk=OuterRef(f"{prefix}scheduled_event_id"))
    return Case(
        When(
            Q(**{f"{prefix}status": TopicRequest.Status.SCHEDULED}) & Q(Exists(held)),
            then=Value(TopicRequest.Status.HELD.value),
        ),
        default=F(f"{prefix}status"),
        output_field=CharField(),
    )
