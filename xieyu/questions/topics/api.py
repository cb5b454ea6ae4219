"""The topics API for guardians (mounted at /api/v1/questions/topics): the topics of my children's schools, propose,
vote. Reads and authorisation through access.py (404 alike for missing and forbidden; 403 with the reason for a
topic the caller sees but may not act on), writes through services.py (422 with the reason)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import Router, Schema, Status

from xieyu.questions.asking.api import refused

from . import access, services

router = Router()


class TopicIn(Schema):
    school_id: int
    title: str
    description: str = ""
    category: str = "other"


class TopicOut(Schema):
    id: int
    school_id: int
    title: str
    status: str
    votes_count: int

    @staticmethod
    def resolve_status(obj) -> str:
        """Held as soon as the lecture is (status.topic_status_now), before the periodic job persists it."""
        return getattr(obj, "status_now", None) or obj.status


@router.get("", response=list[TopicOut], summary="Topics of my children's schools, most wanted first")
def topics(request):
    return list(access.topics_visible_to(request.auth).order_by("-votes_count", "-created_at", "-pk")[:100])


@router.post("", response={201: TopicOut}, summary="Propose a topic for my child's school")
def topic_propose(request, payload: TopicIn):
    school = access.topic_schools_for(request.auth).filter(pk=payload.school_id).first()
    if school is None:
        raise Http404("school not found")
    try:
        topic = services.topic_propose(
            actor=request.auth, student=access.proposing_child(request.auth, school), title=payload.title,
            description=payload.description, category=payload.category,
        )  # fmt: skip
    except (ValidationError, PermissionDenied) as exc:
        return refused(exc)
    return Status(201, topic)


@router.post("/{int:id}/vote", response=TopicOut, summary="Vote for a topic (one vote per family)")
def topic_vote(request, id: int):
    topic = access.get_topic_for(request.auth, id)
    try:
        services.topic_vote(actor=request.auth, topic=topic, children=access.voting_children(request.auth, topic))
    except (ValidationError, PermissionDenied) as exc:
        return refused(exc)
    return access.get_topic_for(request.auth, id)
