"""Who may see, propose, vote on and manage which topic request (点单). Missing and forbidden both answer 404.

A topic belongs to a school: it is seen by the school's families and staff (the schools the user may see), proposed
and voted on by its families (one vote per child's family), and moved towards a lecture by the school's admins and
the county admins. `may_manage_topics` answers yes or no (the pages' buttons); `proposing_child`, `voting_children`
and `check_may_manage_topics` refuse a user who may see the topic but not act on it, with the reason.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404
from django.utils.translation import gettext as _

from xieyu.accounts.models import Role
from xieyu.accounts.scope import scope_of
from xieyu.directory.access import children_of, schools_managed_by, schools_visible_to
from xieyu.directory.models import School, Student
from xieyu.events.models import Event
from xieyu.questions.asking.access import children_for_asking

from .models import TopicRequest, TopicVote
from .status import topic_status_now


def topic_schools_for(user) -> QuerySet[School]:
    """Schools whose topics the user may see: their children's schools and the schools they work in."""
    return schools_visible_to(user)


def topics_visible_to(user) -> QuerySet[TopicRequest]:
    """Topics of the schools the user may see, each with `status_now` (held as soon as its lecture is) and
    `event_starts_at` (its lecture's start): annotations, so a page of topics stays one query."""
    if not getattr(user, "is_authenticated", False):
        return TopicRequest.objects.none()
    lecture = Event.objects.filter(pk=OuterRef("scheduled_event_id"))
    return (
        TopicRequest.objects.filter(school__in=topic_schools_for(user).values("pk"))
        .select_related("school")
        .annotate(event_starts_at=Subquery(lecture.values("starts_at")[:1]), status_now=topic_status_now())
    )


def get_topic_for(user, pk) -> TopicRequest:
    topic = topics_visible_to(user).filter(pk=pk).first()
    if topic is None:
        raise Http404("topic not found")
    return topic


def proposing_child(user, school: School) -> Student:
    """The child whose family proposes a topic for this school (the user's first enrolled child there; its family's
    vote counts at once). Refused for a user with no child there (a member of the school's staff)."""
    child = children_for_asking(user).filter(school=school).first()
    if child is None:
        raise PermissionDenied(_("You can only propose topics for your own children's schools."))
    return child


def voting_children(user, topic: TopicRequest) -> list[Student]:
    """The user's children in the topic's school: each child's family may vote once. Refused for a user with none
    there (a member of the school's staff)."""
    children = list(children_of(user).filter(school=topic.school_id, status=Student.Status.ENROLLED).order_by("pk"))
    if not children:
        raise PermissionDenied(_("You can only vote on topics of your own children's schools."))
    return children


def voted_topic_ids(user, school_ids) -> set[int]:
    """Topics the user's families have voted for (one query)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(
        TopicVote.objects.filter(student__in=children_of(user).values("pk"), topic__school__in=school_ids).values_list(
            "topic_id", flat=True
        )
    )


def topic_school_ids_managed_by(user) -> set[int]:
    """Schools whose topics the user may move towards a session: their school admins and county admins (one query,
    none for a user without such a membership)."""
    scope = scope_of(user)
    if not (scope.whole_schools(Role.SCHOOL_ADMIN) or scope.counties(Role.COUNTY_ADMIN)):
        return set()
    return set(schools_managed_by(user).values_list("pk", flat=True))


def may_manage_topics(user, school_id: int) -> bool:
    scope = scope_of(user)
    if school_id in scope.whole_schools(Role.SCHOOL_ADMIN):
        return True
    if not scope.counties(Role.COUNTY_ADMIN):
        return False
    return schools_managed_by(user).filter(pk=school_id).exists()


def check_may_manage_topics(user, topic: TopicRequest) -> None:
    if not may_manage_topics(user, topic.school_id):
        raise PermissionDenied(_("Only the school's admins can change a topic's status."))


def get_topic_to_manage(user, pk) -> TopicRequest:
    """A topic of a school the user manages (school admin, county admin); 404 alike for missing and forbidden."""
    topic = get_topic_for(user, pk)
    if not may_manage_topics(user, topic.school_id):
        raise Http404("topic not found")
    return topic


def scheduled_topics_voted_by(user, limit: int) -> list[TopicRequest]:
    """Topics the user's families voted for whose lecture is scheduled and not yet held, soonest first: one query,
    each with `event_starts_at`."""
    if not getattr(user, "is_authenticated", False):
        return []
    voted = TopicVote.objects.filter(student__in=children_of(user).values("pk")).values("topic")
    return list(
        topics_visible_to(user)
        .filter(pk__in=voted, status_now=TopicRequest.Status.SCHEDULED, scheduled_event_id__isnull=False)
        .order_by("event_starts_at", "pk")[:limit]
    )
