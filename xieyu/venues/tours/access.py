"""Who may see and run which lecture tour.

The county admin creates and runs her county's tours. The county's staff (school admins, head teachers, teachers,
experts, volunteers, community staff, venue contacts) see its tours; guardians see the stops offered to their
families on the events pages. Missing and forbidden both answer 404.
"""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.http import Http404

from xieyu.accounts.models import Role
from xieyu.accounts.scope import scope_of
from xieyu.core.viewhelpers import parse_id
from xieyu.directory.models import Community, Region, School
from xieyu.events import access as events_access
from xieyu.events.models import Event, Staff

from ..catalogue.access import admin_counties
from .models import Tour, TourStop


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def tours_managed_by(user) -> QuerySet[Tour]:
    if not _authenticated(user):
        return Tour.objects.none()
    return Tour.objects.filter(county__in=admin_counties(user))


def tours_visible_to(user) -> QuerySet[Tour]:
    """Staff of the county see its tours (a guardian's reach is the stops' events)."""
    if not _authenticated(user):
        return Tour.objects.none()
    return Tour.objects.filter(county__in=scope_of(user).reach_counties(*Role))


def get_tour_for(user, pk, *, write: bool = False) -> Tour:
    qs = tours_managed_by(user) if write else tours_visible_to(user)
    tour = qs.select_related("county").filter(pk=parse_id(pk) or 0).first()
    if tour is None:
        raise Http404("tour not found")
    return tour


def tour_list(user) -> QuerySet[Tour]:
    return tours_visible_to(user).annotate(stop_count=Count("stops")).order_by("-created_at", "-pk")


def stops_of(tour: Tour) -> list[TourStop]:
    """The stops in order, each event with its counts and its staff (three queries whatever the tour's length)."""
    stops = list(
        TourStop.objects.filter(tour=tour)
        .select_related("school", "community", "community__town", "need")
        .order_by("order", "pk")
    )
    events = {
        e.pk: e
        for e in events_access.with_counts(Event.objects.filter(pk__in=[s.event_id for s in stops])).select_related(
            "audience_town"
        )
    }
    staff: dict[int, list[Staff]] = {}
    for row in Staff.objects.filter(event__in=list(events)).select_related("user").order_by("role", "pk"):
        staff.setdefault(row.event_id, []).append(row)
    for stop in stops:
        stop.event = events[stop.event_id]
        stop.staff_rows = staff.get(stop.event_id, [])  # type: ignore[attr-defined]
    return stops


def reach_of(stops: list[TourStop]) -> dict[str, int]:
    """The tour's reach summed over its (not cancelled) stops: families registered and families attended."""
    live = [s for s in stops if s.event.status != Event.Status.CANCELLED]
    return {
        "stops": len(live),
        "registered": sum(getattr(s.event, "registered_count", 0) for s in live),
        "attended": sum(getattr(s.event, "attended_count", 0) for s in live),
    }


def schools_for_stops(county: Region) -> QuerySet[School]:
    return School.objects.filter(county=county).order_by("name", "pk")


def communities_for_stops(county: Region) -> QuerySet[Community]:
    return Community.objects.filter(county=county).select_related("town").order_by("name", "pk")


def get_school_of(county: Region, pk) -> School | None:
    return School.objects.filter(county=county, pk=parse_id(pk) or 0).first()


def get_community_of(county: Region, pk) -> Community | None:
    return Community.objects.filter(county=county, pk=parse_id(pk) or 0).first()


def get_stop_of(tour: Tour, pk: int) -> TourStop:
    stop = TourStop.objects.filter(tour=tour, pk=pk).select_related("event", "tour").first()
    if stop is None:
        raise Http404("stop not found")
    return stop


def sees_tours(user) -> bool:
    """Staff of a county see its tours; guardians see the stops on the events pages."""
    return _authenticated(user) and scope_of(user).is_staff


def can_manage(user, tour: Tour) -> bool:
    return tour.county_id in admin_counties(user)
