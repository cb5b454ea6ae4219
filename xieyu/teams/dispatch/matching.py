"""The members the platform proposes for a need, best first, each with why.

Who can be proposed at all (a filter):
- an approved member of a team of the need's county (a county team, or the need's school's own team), of the
  need's team kind when it names one, whose term covers the need's date;
- for work with children, whose background check covers the date (teams.vetting — a lapsed member is never
  proposed);
- having at least one of the needed skills when the need names skills;
- with no accepted assignment overlapping the need's time (a clash excludes), and not already invited to it.

How they are ranked: more of the needed skills first; then those whose weekly availability holds the need's weekday
and part of the day; then those who reach the need's town; then the fewest accepted assignments in the last 90
days. One query for the ranked members and one for the names of their matching skills, whatever their number.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Assignment, Availability, Member, Need, Skill
from ..vetting import dispatchable_q

LOAD_DAYS = 90
DEFAULT_LIMIT = 20


def part_of_day(moment: datetime.datetime) -> str:
    """The part of the day a time falls in, in the county's time zone."""
    hour = timezone.localtime(moment).hour
    if hour < 12:
        return Availability.Part.MORNING
    if hour < 18:
        return Availability.Part.AFTERNOON
    return Availability.Part.EVENING


@dataclass
class Proposal:
    member: Member
    skills: list[str]
    skills_needed: int
    available: bool
    reaches: bool
    load: int
    why: list[str] = field(default_factory=list)


def eligible_q(need: Need, skill_ids: list[int]) -> Q:
    """The filter of members who may be proposed for the need (no extra query)."""
    on = timezone.localdate(need.starts_at)
    q: Any = dispatchable_q(on, with_children=need.with_children) & Q(team__county=need.county_id)
    q &= Q(team__school__isnull=True) | Q(team__school=need.school_id)
    if need.team_kind:
        q &= Q(team__kind=need.team_kind)
    if skill_ids:
        q &= Exists(Member.skills.through.objects.filter(member=OuterRef("pk"), skill__in=skill_ids))
    clash = Assignment.objects.filter(
        member__user=OuterRef("user"), status=Assignment.Status.ACCEPTED,
        starts_at__lt=need.ends_at, ends_at__gt=need.starts_at,
    ).exclude(need=need.pk)  # fmt: skip
    q &= ~Exists(clash)
    if need.pk:
        q &= ~Exists(Assignment.objects.filter(need=need.pk, member__user=OuterRef("user"), status__in=Assignment.LIVE))
    return q


def ranked(need: Need, skill_ids: list[int]) -> QuerySet[Member]:
    """The eligible members annotated with their score and ordered best first (one query when evaluated)."""
    weekday = timezone.localtime(need.starts_at).weekday()
    since = timezone.now() - datetime.timedelta(days=LOAD_DAYS)
    through = Member.skills.through.objects
    score = (
        Subquery(
            through.filter(member=OuterRef("pk"), skill__in=skill_ids)
            .order_by()
            .values("member")
            .annotate(n=Count("pk"))
            .values("n")[:1],  # type: ignore[misc]
            output_field=IntegerField(),
        )
        if skill_ids
        else Value(0)
    )
    load = Subquery(
        Assignment.objects.filter(
            member__user=OuterRef("user"), status=Assignment.Status.ACCEPTED, starts_at__gte=since,
            starts_at__lt=timezone.now(),
        ).order_by().values("status").annotate(n=Count("pk")).values("n")[:1],
        output_field=IntegerField(),
    )  # fmt: skip
    available = Exists(
        Availability.objects.filter(member=OuterRef("pk"), weekday=weekday, part=part_of_day(need.starts_at))
    )
    reaches = (
        Exists(Member.towns.through.objects.filter(member=OuterRef("pk"), town=need.town_id))
        if need.town_id
        else Value(True, output_field=BooleanField())
    )
    return (
        Member.objects.filter(eligible_q(need, skill_ids))
        .annotate(score=Coalesce(score, 0), load=Coalesce(load, 0), available=available, reaches=reaches)
        .select_related("user", "team")
        .order_by("-score", "-available", "-reaches", "load", "pk")
    )


def propose(need: Need, *, limit: int = DEFAULT_LIMIT) -> list[Proposal]:
    """The best `limit` members for the need, one per person (a person in two teams appears once), with why."""
    skill_ids = [s.pk for s in need.skills.all()]
    rows: list[Any] = list(
        ranked(need, skill_ids).prefetch_related(
            Prefetch("skills", queryset=Skill.objects.filter(pk__in=skill_ids), to_attr="matching")
        )[: limit * 2]
    )
    seen: set[int] = set()
    out: list[Proposal] = []
    part = Availability.Part(part_of_day(need.starts_at)).label
    for m in rows:
        if m.user_id in seen:
            continue
        seen.add(m.user_id)
        names = [s.name for s in getattr(m, "matching", [])]
        p = Proposal(member=m, skills=names, skills_needed=len(skill_ids), available=bool(m.available),
                     reaches=bool(m.reaches), load=int(m.load))  # fmt: skip
        if skill_ids:
            p.why.append(
                _("skills %(names)s (%(n)s of %(of)s)")
                % {"names": "、".join(names), "n": m.score, "of": len(skill_ids)}
            )
        p.why.append(_("usually free then (%(part)s)") % {"part": part} if p.available else _("not usually free then"))
        if need.town_id:
            p.why.append(_("reaches the town") if p.reaches else _("farther away: does not list the town"))
        p.why.append(_("%(n)s accepted in the last 90 days") % {"n": p.load})
        out.append(p)
        if len(out) >= limit:
            break
    return out
