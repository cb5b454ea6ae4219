"""Every write to lecture tours: create and edit a tour, add a stop (its event of kind tour_stop and the dispatch
need that brings its staff), cancel a stop."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from xieyu.audit.services import audit_record
from xieyu.directory.models import Community, Region, School
from xieyu.events.models import Event
from xieyu.events.services import event_cancel, event_create
from xieyu.teams.dispatch.models import Need
from xieyu.teams.dispatch.services import need_cancel, need_create

from .models import Tour, TourStop

MAX_STOPS = 40


def _clean_tour(title: str, theme: str, description: str) -> tuple[str, str, str]:
    title, theme, description = (title or "").strip(), (theme or "").strip(), (description or "").strip()
    if not title or len(title) > 80:
        raise ValidationError(_("Give the tour a title (at most 80 characters)."), code="title")
    if not theme or len(theme) > 60:
        raise ValidationError(_("Give the tour's theme (at most 60 characters)."), code="theme")
    if len(description) > 2000:
        raise ValidationError(_("The description is too long: at most 2000 characters."), code="description")
    return title, theme, description


@transaction.atomic
def tour_create(*, actor, county: Region, title: str, theme: str, description: str = "") -> Tour:
    title, theme, description = _clean_tour(title, theme, description)
    tour = Tour.objects.create(county=county, title=title, theme=theme, description=description, created_by=actor)
    audit_record(actor=actor, action="venues.tour_create", target=tour, changes={"title": [None, title]})
    return tour


@transaction.atomic
def tour_update(*, actor, tour: Tour, title: str, theme: str, description: str = "") -> Tour:
    title, theme, description = _clean_tour(title, theme, description)
    changes = {k: [getattr(tour, k), v] for k, v in (("title", title), ("theme", theme), ("description", description))
               if getattr(tour, k) != v}  # fmt: skip
    tour.title, tour.theme, tour.description = title, theme, description
    tour.save(update_fields=["title", "theme", "description"])
    audit_record(actor=actor, action="venues.tour_update", target=tour, changes=changes)
    return tour


@transaction.atomic
def stop_add(
    *,
    actor,
    tour: Tour,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str,
    school: School | None = None,
    community: Community | None = None,
    people: int = 1,
    capacity: int = 0,
) -> TourStop:
    """A stop at a school (the county's event for that school's families) or at a village or community (for the
    families of its town's schools), and a need for its staff posted to dispatch."""
    tour = Tour.objects.select_for_update().get(pk=tour.pk)
    if (school is None) == (community is None):
        raise ValidationError(_("Choose a school or a village for the stop, not both."), code="where")
    unit = school if school is not None else community
    if unit.county_id != tour.county_id:  # type: ignore[union-attr]
        raise ValidationError(_("The stop's school or village lies in another county."), code="where")
    if community is not None and community.town_id is None:
        raise ValidationError(_("The village has no town: its families cannot be reached."), code="where")
    count = TourStop.objects.filter(tour=tour).count()
    if count >= MAX_STOPS:
        raise ValidationError(_("A tour may have at most %(n)s stops.") % {"n": MAX_STOPS}, code="where")
    place = (place or "").strip() or unit.name  # type: ignore[union-attr]
    title = f"{tour.title}·{unit.name}"[:80]  # type: ignore[union-attr]
    if school is not None:
        event = event_create(actor=actor, kind=Event.Kind.TOUR_STOP, title=title, starts_at=starts_at,
                             ends_at=ends_at, audience=Event.Audience.SCHOOL, school=school,
                             organiser=Event.Organiser.COUNTY, place=place, capacity=capacity,
                             description=tour.description, publish=True)  # fmt: skip
    else:
        event = event_create(actor=actor, kind=Event.Kind.TOUR_STOP, title=title, starts_at=starts_at,
                             ends_at=ends_at, audience=Event.Audience.TOWN, county=tour.county, community=community,
                             audience_town=community.town, organiser=Event.Organiser.COUNTY,  # type: ignore[union-attr]
                             place=place, capacity=capacity, description=tour.description, publish=True)  # fmt: skip
    need = need_create(actor=actor, kind=Need.Kind.TOUR_STOP, topic=f"{tour.theme}·{unit.name}"[:80],  # type: ignore[union-attr]
                       starts_at=starts_at, ends_at=ends_at, place=place, county=tour.county, school=school,
                       community=community, people=people, with_children=True, description=tour.description,
                       event=event)  # fmt: skip
    order = (TourStop.objects.filter(tour=tour).aggregate(m=Max("order"))["m"] or 0) + 1
    stop = TourStop.objects.create(tour=tour, order=order, school=school, community=community, event=event, need=need)
    audit_record(actor=actor, action="venues.stop_add", target=tour, changes={"stop": [None, event.pk]})
    return stop


@transaction.atomic
def stop_cancel(*, actor, stop: TourStop) -> TourStop:
    """Call a stop off: its event is cancelled (families registered hear through the events engine's path)."""
    event_cancel(actor=actor, event=stop.event)
    need = stop.need
    if need is not None and need.status in (Need.Status.OPEN, Need.Status.FILLED):
        need_cancel(actor=actor, need=need, reason=_("The tour stop was called off."))  # the members are told
    audit_record(actor=actor, action="venues.stop_cancel", target=stop.tour, changes={"stop": [stop.event_id, None]})
    return stop
