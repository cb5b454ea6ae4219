"""Every write of the dispatch subdomain."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from xieyu.audit.services import audit_record
from xieyu.directory.models import Community, Region, School, Stage, Town

from ..models import Need, Skill, Team

MAX_PEOPLE = 50


@transaction.atomic
def need_create(
    *,
    actor,
    kind: str,
    topic: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str,
    county: Region,
    school: School | None = None,
    community: Community | None = None,
    town: Town | None = None,
    stage: str = "",
    skills: Iterable[Skill] = (),
    team_kind: str = "",
    people: int = 1,
    with_children: bool = True,
    description: str = "",
    event=None,
) -> Need:
    """Post a need for the county, one of its schools or one of its communities. The edge has checked that the actor
    posts for that unit (teams.dispatch.access)."""
    topic, place = (topic or "").strip(), (place or "").strip()
    if kind not in Need.Kind.values:
        raise ValidationError(_("Choose what kind of help is needed."), code="kind")
    if not topic or len(topic) > 80:
        raise ValidationError(_("Give the topic of the need (at most 80 characters)."), code="topic")
    if not place or len(place) > 200:
        raise ValidationError(_("Give the place (at most 200 characters)."), code="place")
    if starts_at is None or ends_at is None or ends_at <= starts_at:
        raise ValidationError(_("The end must come after the start."), code="ends_at")
    if people is None or not 1 <= people <= MAX_PEOPLE:
        raise ValidationError(_("Ask for between 1 and %(n)s people.") % {"n": MAX_PEOPLE}, code="people")
    if stage and stage not in Stage.values:
        raise ValidationError(_("Choose a school stage from the list."), code="stage")
    if team_kind and team_kind not in Team.Kind.values:
        raise ValidationError(_("Choose a team from the list."), code="team_kind")
    for unit in (school, community, town):
        if unit is not None and unit.county_id != county.pk:
            raise ValidationError(_("The school, community or town lies in another county."), code="county")
    skills = list(skills)
    if any(s.county_id != county.pk for s in skills):
        raise ValidationError(_("Choose skills from the county's list."), code="skills")
    if town is None:
        town = school.town if school is not None else (community.town if community is not None else None)
    need = Need.objects.create(
        county=county, school=school, community=community, kind=kind, topic=topic, stage=stage,
        description=(description or "").strip(), starts_at=starts_at, ends_at=ends_at, place=place, town=town,
        team_kind=team_kind, people=people, with_children=with_children, event=event, posted_by=actor,
    )  # fmt: skip
    need.skills.set(skills)
    audit_record(actor=actor, action="teams.need_create", target=need, changes={"kind": [None, kind]})
    return need
