"""The questions' sections of the home page (registered with the directory's home in apps.py): answers to rate,
clinic bookings, topics voted for that now have a lecture, recent answers."""

from __future__ import annotations

from collections.abc import Sequence

from django.urls import reverse
from django.utils.translation import gettext as _

from xieyu.directory.home import LIMIT, HomeSection, limited

from .asking import access as asking_access
from .clinics import access as clinics_access
from .topics import access as topics_access


def to_rate(request, children: Sequence) -> HomeSection:
    items, more = limited(asking_access.answers_to_rate(request.user, LIMIT + 1))
    return HomeSection(
        template="questions/_home_to_rate.html",
        items=items,
        more=more,
        more_url=reverse("questions:mine"),
        title=_("Answers waiting for your rating"),
    )


def clinic_bookings(request, children: Sequence) -> HomeSection:
    items, more = limited(clinics_access.upcoming_bookings_of(request.user, LIMIT + 1))
    return HomeSection(
        template="questions/_home_booking.html",
        items=items,
        more=more,
        more_url=reverse("questions:clinic_bookings"),
        title=_("Clinic appointments"),
        empty_text=_("No clinic appointment: experts of the county hold clinics you can book."),
        empty_url=reverse("questions:clinic_list"),
        empty_link=_("Education clinics"),
    )


def scheduled_topics(request, children: Sequence) -> HomeSection:
    items, more = limited(topics_access.scheduled_topics_voted_by(request.user, LIMIT + 1))
    return HomeSection(
        template="questions/_home_topic.html",
        items=items,
        more=more,
        more_url=reverse("questions:topics"),
        title=_("Topics you voted for, now scheduled"),
        empty_text=_("Vote for the topics you want the parent school to cover."),
        empty_url=reverse("questions:topics"),
        empty_link=_("Topic requests"),
    )


def recent_answers(request, children: Sequence) -> HomeSection:
    items, more = limited(asking_access.recent_answers(request.user, LIMIT + 1))
    return HomeSection(
        template="questions/_home_answer.html",
        items=items,
        more=more,
        more_url=reverse("questions:mine"),
        title=_("Recent answers"),
        empty_text=_("Ask the head teacher, the school or the county's experts about your child."),
        empty_url=reverse("questions:ask"),
        empty_link=_("Ask a question"),
    )
