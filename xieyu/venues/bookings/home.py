"""The venue contact's home page and the guardian's home section of family days near her (registered in wiring)."""

from __future__ import annotations

from collections.abc import Sequence

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from xieyu.directory.home import LIMIT, HomeSection, limited

from ..catalogue import access as catalogue_access
from . import access


def contact_home(request, acting):
    """Requests awaiting her, coming confirmed visits and family days, her venues (a fixed number of queries)."""
    user = request.user
    awaiting, more_awaiting = limited(access.awaiting_answer(user)[: LIMIT + 1])
    confirmed, more_confirmed = limited(access.upcoming_confirmed(user)[: LIMIT + 1])
    days, more_days = limited(access.family_days_managed_by(user)[: LIMIT + 1])
    venues, more_venues = limited(catalogue_access.my_venues(user)[: LIMIT + 1])
    return render(request, "venues/bookings/home_contact.html", {
        "acting": acting, "awaiting": awaiting, "more_awaiting": more_awaiting, "confirmed": confirmed,
        "more_confirmed": more_confirmed, "days": days, "more_days": more_days, "venues": venues,
        "more_venues": more_venues,
    })  # fmt: skip


def family_days_section(request, children: Sequence) -> HomeSection | None:
    """A guardian's home: coming family days offered to her families (one query)."""
    if not children:
        return None
    items, more = limited(access.family_days_near(request.user)[: LIMIT + 1])
    return HomeSection(
        template="venues/bookings/_home_family_day.html",
        items=items,
        more=more,
        more_url=reverse("venues:list"),
        title=_("Venue family days near you"),
        empty_text=_("No family day is coming: see the county's venues."),
        empty_url=reverse("venues:list"),
        empty_link=_("Venues"),
    )
