"""Parent-school lessons that fit a family's weak dimensions in the family-education evaluation (the surveys'
`advice_providers` registry, filled in ParentschoolConfig.ready): courses of the family's schools whose title holds
one of the dimension's keywords, each linked to its next session the user may see (or, when none is planned, to the
family's learning record). Two queries for all the dimensions."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xieyu.events import access as events_access
from xieyu.surveys.evaluation.advice import LINKS_PER_PROVIDER, Link, matches

from .models import Course, Session


def course_links(*, user, county_id: int, school_ids: list[int], dimensions: dict[str, tuple[str, ...]]):
    out: dict[str, list[Link]] = {code: [] for code in dimensions}
    courses = list(Course.objects.filter(parent_school__school__in=school_ids).only("pk", "title")[:200])
    fitting = {c.pk: [code for code, kw in dimensions.items() if matches(c.title, kw)] for c in courses}
    wanted = [pk for pk, codes in fitting.items() if codes]
    if not wanted:
        return out
    upcoming: dict[int, Session] = {}
    visible = events_access.events_visible_to(user).values("pk")
    sessions = Session.objects.filter(course__in=wanted, event__in=visible, event__starts_at__gte=timezone.now())
    for s in sessions.select_related("event").order_by("event__starts_at"):
        upcoming.setdefault(s.course_id or 0, s)
    for c in courses:
        for code in fitting.get(c.pk, []):
            if len(out[code]) >= LINKS_PER_PROVIDER:
                continue
            nxt = upcoming.get(c.pk)
            if nxt is not None:
                when = timezone.localtime(nxt.event.starts_at).strftime("%m-%d %H:%M")
                out[code].append(Link("course", c.title, reverse("events:detail", args=[nxt.event_id]),
                                      _("next session %(when)s") % {"when": when}))  # fmt: skip
            else:
                out[code].append(Link("course", c.title, reverse("parentschool:record")))
    return out
