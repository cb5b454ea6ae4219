"""Who may see which diary request: a confirmed guardian of the child (any of them: a grandmother may answer for
the family), or whoever holds the request's link. Nobody else reads diaries: the pages show the watch's rollups."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.utils import timezone

from xieyu.directory.access import children_of
from xieyu.directory.models import Student

from .models import DiaryOptOut, DiaryRequest


def requests_open_for(user) -> QuerySet[DiaryRequest]:
    """The user's children's requests not yet answered and not expired, oldest first."""
    if not getattr(user, "is_authenticated", False):
        return DiaryRequest.objects.none()
    return (
        DiaryRequest.objects.filter(
            student__in=children_of(user).values("pk"), answered_at__isnull=True, expires_at__gt=timezone.now()
        )
        .select_related("student", "school_class", "school_class__grade")
        .order_by("day", "pk")
    )


def get_open_request_for(user, pk) -> DiaryRequest:
    found = requests_open_for(user).filter(pk=pk).first()
    if found is None:
        raise Http404("diary request not found")
    return found


def get_request_by_token(token: str) -> DiaryRequest:
    """The request a link opens, whatever its state (the page says when it was answered or has expired)."""
    if not token or len(token) > 40 or not token.isascii():
        raise Http404("diary request not found")
    found = (
        DiaryRequest.objects.select_related("student", "school_class", "school_class__grade")
        .filter(token=token)
        .first()
    )
    if found is None:
        raise Http404("diary request not found")
    return found


def children_sampled_for(user) -> QuerySet[Student]:
    """The user's children, each marked `opted_out`."""
    return (
        children_of(user)
        .annotate(opted_out=Exists(DiaryOptOut.objects.filter(student=OuterRef("pk"))))
        .select_related("school_class", "school_class__grade")
        .order_by("pk")
    )


def get_child_for(user, pk) -> Student:
    child = children_of(user).filter(pk=pk).first()
    if child is None:
        raise Http404("student not found")
    return child
