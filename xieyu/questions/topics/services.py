"""Every write to topic requests (点单): proposing, voting, the school's status, and closing the loop — a topic
becomes a parent-school lecture and the families who asked for it are told.

Who may act is settled at the edge (access.py); these functions enforce the rules of a topic (its state, one vote
per family, no duplicate topic) and trust the objects they are given.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from xieyu.audit.services import audit_record
from xieyu.directory.models import Student
from xieyu.events import services as event_services
from xieyu.events.models import Event
from xieyu.notices.audience import Audience
from xieyu.notices.services import notice_create
from xieyu.parentschool import services as ps_services
from xieyu.parentschool.models import ParentSchool
from xieyu.questions.asking.models import Category

from .models import TopicRequest, TopicVote
from .status import lectures_held


@transaction.atomic
def topic_propose(
    *, actor, student: Student, title: str, description: str = "", category: str = "other"
) -> TopicRequest:
    """A guardian proposes a guidance topic for their child's school; their family's vote counts at once. `student` is
    the child whose family proposes (access.proposing_child)."""
    title = (title or "").strip()
    if not 4 <= len(title) <= 40:
        raise ValidationError(_("Write the topic in 4 to 40 characters."), code="title")
    description = (description or "").strip()
    if len(description) > 300:
        raise ValidationError(_("The details are too long: at most 300 characters."), code="description")
    if category not in Category.values:
        raise ValidationError(_("Choose a category for the question."), code="category")
    same = TopicRequest.objects.filter(school=student.school_id, title=title)
    if same.exclude(status=TopicRequest.Status.HELD).exists():
        raise ValidationError(_("This topic has already been proposed: vote for it instead."), code="duplicate")
    topic = TopicRequest.objects.create(
        school_id=student.school_id, title=title, description=description, category=category, proposed_by=actor
    )
    TopicVote.objects.create(topic=topic, student=student, voter=actor)
    TopicRequest.objects.filter(pk=topic.pk).update(votes_count=F("votes_count") + 1)
    topic.votes_count = 1
    return topic


@transaction.atomic
def topic_vote(*, actor, topic: TopicRequest, children: list[Student]) -> TopicVote:
    """One vote per family (the guardians of one child) per topic. `children` are the actor's children in the topic's
    school (access.voting_children): the first whose family has not voted yet votes."""
    if topic.status not in (TopicRequest.Status.OPEN, TopicRequest.Status.PLANNED):
        raise ValidationError(_("Voting on this topic has ended."), code="closed")
    voted = set(TopicVote.objects.filter(topic=topic, student__in=children).values_list("student_id", flat=True))
    free = [c for c in children if c.pk not in voted]
    if not free:
        raise ValidationError(_("Your family has already voted for this topic."), code="voted")
    try:
        with transaction.atomic():
            vote = TopicVote.objects.create(topic=topic, student=free[0], voter=actor)
    except IntegrityError:
        raise ValidationError(_("Your family has already voted for this topic."), code="voted") from None
    TopicRequest.objects.filter(pk=topic.pk).update(votes_count=F("votes_count") + 1)
    return vote


@transaction.atomic
def topic_set_status(*, actor, topic: TopicRequest, status: str, scheduled_event_id: int | None = None) -> TopicRequest:
    """The school (access.check_may_manage_topics) marks a topic planned, scheduled (optionally with the event's id),
    held or declined."""
    if status not in TopicRequest.Status.values:
        raise ValidationError(_("Unknown topic status."), code="status")
    before = topic.status
    topic.status = status
    if scheduled_event_id is not None:
        topic.scheduled_event_id = scheduled_event_id
    topic.save(update_fields=["status", "scheduled_event_id"])
    audit_record(actor=actor, action="topic.status", target=topic, changes={"status": [before, status]})
    return topic


# --- closing the loop: a topic becomes a parent-school lecture ----------------------------------------------------


@transaction.atomic
def topic_schedule(
    *,
    actor,
    topic: TopicRequest,
    title: str,
    starts_at,
    ends_at,
    place: str = "",
    online_url: str = "",
    capacity: int = 0,
):
    """A school admin (or a county admin: access.get_topic_to_manage) turns a topic into a lecture of the school's
    parent school.

    The lecture is a whole-school event: a term-plan session when the school's parent school is established, else a
    plain school event. Every family that asked for the topic (the proposer's and every voter's) gets a notice from
    the school — through the notices module, so grandparents who never open the app are reached by its SMS
    fallback. Returns the event."""
    topic = TopicRequest.objects.select_for_update().select_related("school").get(pk=topic.pk)
    if topic.status not in (TopicRequest.Status.OPEN, TopicRequest.Status.PLANNED):
        raise ValidationError(_("This topic already has a lecture or was declined."), code="status")
    title = (title or "").strip() or topic.title
    parent_school = ParentSchool.objects.filter(school=topic.school).first()
    common = {
        "actor": actor, "title": title, "starts_at": starts_at, "ends_at": ends_at, "place": place,
        "online_url": online_url, "capacity": capacity,
    }  # fmt: skip
    if parent_school is not None:
        event = ps_services.session_plan(parent_school=parent_school, kind=Event.Kind.LECTURE, **common).event
    else:
        event = event_services.event_create(
            kind=Event.Kind.LECTURE, school=topic.school, audience=Event.Audience.SCHOOL, publish=True, **common
        )
    if topic.description and not event.description:
        Event.objects.filter(pk=event.pk).update(description=topic.description)
    before = topic.status
    topic.status = TopicRequest.Status.SCHEDULED
    topic.scheduled_event_id = event.pk
    topic.save(update_fields=["status", "scheduled_event_id"])
    students = sorted(set(TopicVote.objects.filter(topic=topic).values_list("student_id", flat=True)))
    if students:
        when = timezone.localtime(event.starts_at).strftime("%Y-%m-%d %H:%M")
        notice_create(
            actor=actor,
            title=_("The topic you asked for becomes a lecture")[:60],
            body=_(
                "The topic “%(topic)s” your family asked for will be taught at %(time)s, %(place)s. "
                "Register on the lecture's page: %(path)s"
            )
            % {
                "topic": topic.title,
                "time": when,
                "place": event.place or event.online_url,
                "path": f"/events/{event.pk}/",
            },  # fmt: skip
            audience=Audience(students=students),
        )
    audit_record(
        actor=actor,
        action="topic.schedule",
        target=topic,
        changes={"status": [before, topic.status], "event": [None, event.pk]},
    )
    return event


def topics_mark_held(*, now=None) -> int:
    """Scheduled topics whose lecture has ended, or has checked-in families, are held (a periodic job; idempotent).
    Pages show "held" before this runs (status.topic_status_now, the same rule); the job persists it. A topic whose
    lecture was cancelled goes back to planned, so the school can schedule it again."""
    scheduled = TopicRequest.objects.filter(status=TopicRequest.Status.SCHEDULED)
    with transaction.atomic():
        cancelled = Event.objects.filter(status=Event.Status.CANCELLED).values("pk")
        scheduled.filter(scheduled_event_id__in=cancelled).update(
            status=TopicRequest.Status.PLANNED, scheduled_event_id=None
        )
        held = lectures_held(now).values("pk")
        return scheduled.filter(scheduled_event_id__in=held).update(status=TopicRequest.Status.HELD)
