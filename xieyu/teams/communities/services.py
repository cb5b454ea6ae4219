"""Every write of the communities subdomain: facilities, activities for children, and the exchanges with schools
(进社区 / 进学校) — the last two as events of the events engine."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from xieyu.audit.services import audit_record
from xieyu.directory.models import Community, School
from xieyu.events.models import Event
from xieyu.events.services import event_create

from .models import Facility

NAME_MAX = 60
TIMES_MAX = 200
CAPACITY_MAX = 100_000


@transaction.atomic
def facility_save(
    *,
    actor,
    community: Community,
    kind: str,
    name: str,
    opening_times: str = "",
    capacity: int = 0,
    open_to_children: bool = True,
    facility: Facility | None = None,
) -> Facility:
    """Add a facility to the community, or change one of it. The edge has checked that the actor staffs the
    community (communities.access)."""
    name, opening_times = (name or "").strip(), (opening_times or "").strip()
    if kind not in Facility.Kind.values:
        raise ValidationError(_("Choose the kind of facility."), code="kind")
    if not name:
        raise ValidationError(_("Give the facility a name."), code="name")
    if len(name) > NAME_MAX:
        raise ValidationError(_("The facility's name is too long: at most 60 characters."), code="name")
    if len(opening_times) > TIMES_MAX:
        raise ValidationError(_("The opening times are too long: at most 200 characters."), code="opening_times")
    if capacity is None or isinstance(capacity, bool) or not 0 <= capacity <= CAPACITY_MAX:
        raise ValidationError(_("The capacity must be a number from 0 to 100000."), code="capacity")
    if facility is not None and facility.community_id != community.pk:
        raise ValidationError(_("That facility belongs to another community."), code="community")
    created = facility is None
    before = {} if facility is None else {"name": facility.name, "capacity": facility.capacity}
    if facility is None:
        facility = Facility(community=community)
    facility.kind, facility.name, facility.opening_times = kind, name, opening_times
    facility.capacity, facility.open_to_children, facility.updated_by = capacity, bool(open_to_children), actor
    facility.save()
    audit_record(
        actor=actor, action="teams.facility_create" if created else "teams.facility_update", target=facility,
        changes={"name": [before.get("name"), name], "capacity": [before.get("capacity"), capacity]},
    )  # fmt: skip
    return facility


@transaction.atomic
def community_activity_create(
    *,
    actor,
    community: Community,
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str,
    capacity: int = 0,
    description: str = "",
    publish: bool = True,
) -> Event:
    """An activity for children that the community organises: the families whose child's school lies in the
    community's town see it, and register and check in through the events engine."""
    if community.town_id is None:
        raise ValidationError(_("The community has no town on record: ask the county to set it first."), code="town")
    return event_create(
        actor=actor, kind=Event.Kind.COMMUNITY_ACTIVITY, title=title, starts_at=starts_at, ends_at=ends_at,
        audience=Event.Audience.TOWN, community=community, organiser=Event.Organiser.COMMUNITY,
        audience_town=community.town, place=place or community.address, capacity=capacity, description=description,
        publish=publish,
    )  # fmt: skip


@transaction.atomic
def exchange_record(
    *,
    actor,
    kind: str,
    school: School,
    community: Community,
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str = "",
    description: str = "",
) -> Event:
    """Record a visit between a school and a community, both named on the event: teachers into the community
    (进社区, organised by the school) or community volunteers into the school (进学校, organised by the community).
    The edge has checked that the actor records for the organising side."""
    if kind not in (Event.Kind.INTO_COMMUNITY, Event.Kind.INTO_SCHOOL):
        raise ValidationError(_("Choose teachers into the community or community volunteers into the school."),
                              code="kind")  # fmt: skip
    if community.county_id != school.county_id:
        raise ValidationError(_("The community lies in another county."), code="community")
    if kind == Event.Kind.INTO_COMMUNITY:
        organiser, place = Event.Organiser.SCHOOL, place or community.address or community.name
        audience, town = (Event.Audience.TOWN, community.town) if community.town_id else (Event.Audience.SCHOOL, None)
    else:
        organiser, place = Event.Organiser.COMMUNITY, place or school.address or school.name
        audience, town = Event.Audience.SCHOOL, None
    return event_create(
        actor=actor, kind=kind, title=title, starts_at=starts_at, ends_at=ends_at, audience=audience, school=school,
        community=community, organiser=organiser, audience_town=town, place=place, description=description,
        publish=True,
    )  # fmt: skip
