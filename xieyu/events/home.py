"""The events' sections of the home page (registered with the directory's home in apps.py)."""

from __future__ import annotations

from collections.abc import Sequence

from django.urls import reverse
from django.utils.translation import gettext as _

from xieyu.directory.home import LIMIT, HomeSection, limited

from . import access


def registered(request, children: Sequence) -> HomeSection:
    items, more = limited(access.upcoming_registrations_of(request.user, LIMIT + 1))
    return HomeSection(
        template="events/_home_registered.html",
        items=items,
        more=more,
        more_url=reverse("events:list"),
        title=_("Events I registered for"),
        empty_text=_("No event registered: see what the school offers."),
        empty_url=reverse("events:list"),
        empty_link=_("Events"),
    )


def school_events(request, children: Sequence) -> HomeSection:
    """A member of staff's home: the coming events of their school and county."""
    items, more = limited(access.school_upcoming_for_staff(request.user, LIMIT + 1))
    return HomeSection(
        template="events/_home_event.html",
        items=items,
        more=more,
        more_url=reverse("events:list"),
        title=_("Coming events"),
        empty_text=_("No event is coming up."),
        empty_url=reverse("events:list"),
        empty_link=_("Events"),
    )
