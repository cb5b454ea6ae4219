"""Who may post, see and coordinate which need, and answer which invitation. Missing and forbidden both answer 404.

- Posting: a county admin for her county, a school admin for her school, community staff for their community.
- Coordinating a need: its poster, and the county admin of its county. A case follow-up is confidential: only its
  poster coordinates it, and only the poster and the members invited to it see it.
- A member sees the needs she was invited to, and answers only her own invitations.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from xieyu.accounts.models import Role
from xieyu.accounts.scope import scope_of
from xieyu.directory.models import Community, Region, School, Town

from ..access import coordinated_counties, coordinated_schools
from ..models import Assignment, Member, Need, Skill


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


@dataclass(frozen=True)
class PostingUnit:
    """A unit the user posts needs for: the county, one school or one community."""

    key: str  # "county:1", "school:3", "community:2"
    label: str
    county: Region
    school: School | None = None
    community: Community | None = None


def communities_staffed(user) -> set[int]:
    return scope_of(user).communities(Role.COMMUNITY_STAFF)


def posting_units(user) -> list[PostingUnit]:
    """The units the user may post needs for (three small queries at most)."""
    if not _authenticated(user):
        return []
    units: list[PostingUnit] = []
    if counties := coordinated_counties(user):
        for county in Region.objects.filter(pk__in=counties).order_by("pk"):
            units.append(PostingUnit(f"county:{county.pk}", county.name, county))
    if schools := coordinated_schools(user):
        for school in School.objects.filter(pk__in=schools).select_related("county").order_by("pk"):
            units.append(PostingUnit(f"school:{school.pk}", school.name, school.county, school=school))
    if communities := communities_staffed(user):
        for community in Community.objects.filter(pk__in=communities).select_related("county").order_by("pk"):
            units.append(PostingUnit(f"community:{community.pk}", community.name, community.county,
                                     community=community))  # fmt: skip
    return units


def can_post(user) -> bool:
    return bool(coordinated_counties(user) or coordinated_schools(user) or communities_staffed(user))


def _coordinate_q(user) -> Q:
    """Needs the user coordinates: posted by her, or (not confidential) of a unit she posts for."""
    q = Q(posted_by=user)
    open_q = Q(pk__in=[])
    if counties := coordinated_counties(user):
        open_q |= Q(county__in=counties)
    if schools := coordinated_schools(user):
        open_q |= Q(school__in=schools)
    if communities := communities_staffed(user):
        open_q |= Q(community__in=communities)
    return q | (open_q & ~Q(kind=Need.Kind.CASE_FOLLOWUP))


def needs_managed_by(user) -> QuerySet[Need]:
    if not _authenticated(user):
        return Need.objects.none()
    return Need.objects.filter(_coordinate_q(user))


def needs_visible_to(user) -> QuerySet[Need]:
    """Needs the user coordinates, and those she was invited to."""
    if not _authenticated(user):
        return Need.objects.none()
    invited = Assignment.objects.filter(member__user=user).values("need")
    return Need.objects.filter(_coordinate_q(user) | Q(pk__in=invited))


def need_list_for(user, *, status: str = "") -> QuerySet[Need]:
    """The needs the user posted or coordinates, soonest first (a status filters; an unknown one is ignored)."""
    qs = needs_managed_by(user).select_related("school", "community", "town", "event")
    if status in Need.Status.values:
        qs = qs.filter(status=status)
    return qs.order_by("status", "starts_at", "pk")


def get_need_for(user, pk, *, write: bool = False) -> Need:
    qs = needs_managed_by(user) if write else needs_visible_to(user)
    need = (
        qs.select_related("county", "school", "community", "town", "event", "posted_by")
        .prefetch_related("skills")
        .filter(pk=pk)
        .first()
    )
    if need is None:
        raise Http404("need not found")
    return need


def can_coordinate(user, need: Need) -> bool:
    return needs_managed_by(user).filter(pk=need.pk).exists()


def assignments_of_need(need: Need) -> QuerySet[Assignment]:
    """A need's invitations and assignments, for its coordinator (one query)."""
    return need.assignments.select_related("member__user", "member__team").order_by("status", "invited_at", "pk")


def members_for_invite(need: Need, ids) -> list[Member]:
    """The members of the need's county (and school) named by `ids`; the coordinator's edge has fetched the need
    through needs_managed_by. Unknown ids drop out; the service checks the rest."""
    return list(
        Member.objects.filter(pk__in=ids, team__county=need.county_id)
        .filter(Q(team__school__isnull=True) | Q(team__school=need.school_id))
        .select_related("user", "team")
        .order_by("pk")
    )


def skills_of_county(county_id: int) -> QuerySet[Skill]:
    return Skill.objects.filter(county=county_id).order_by("order", "pk")


def towns_of_county(county_id: int) -> QuerySet[Town]:
    return Town.objects.filter(county=county_id).order_by("order", "pk")


def get_assignment_managed(user, pk) -> Assignment:
    """An assignment of a need the user coordinates (to cancel it)."""
    a = (
        Assignment.objects.filter(need__in=needs_managed_by(user).values("pk"), pk=pk)
        .select_related("need", "member__user")
        .first()
    )
    if a is None:
        raise Http404("assignment not found")
    return a


# --- the member's side ------------------------------------------------------------------------------------------


def assignments_of(user) -> QuerySet[Assignment]:
    """The user's own invitations and assignments, any status."""
    if not _authenticated(user):
        return Assignment.objects.none()
    return Assignment.objects.filter(member__user=user).select_related(
        "need", "need__school", "need__community", "need__town", "need__event", "member__team"
    )


def get_assignment_for(user, pk) -> Assignment:
    """One of the user's own invitations or assignments; anyone else's answers 404."""
    a = assignments_of(user).filter(pk=pk).first()
    if a is None:
        raise Http404("assignment not found")
    return a


def invitations_awaiting(user) -> QuerySet[Assignment]:
    """Invitations still to answer, of needs not yet over, soonest first."""
    return (
        assignments_of(user)
        .filter(status=Assignment.Status.INVITED, ends_at__gt=timezone.now())
        .order_by("starts_at", "pk")
    )


def upcoming_assignments(user) -> QuerySet[Assignment]:
    return (
        assignments_of(user)
        .filter(status=Assignment.Status.ACCEPTED, ends_at__gt=timezone.now())
        .order_by("starts_at", "pk")
    )


def past_assignments(user) -> QuerySet[Assignment]:
    """Everything else: answered, withdrawn, cancelled or over; newest first."""
    now = timezone.now()
    return (
        assignments_of(user).exclude(Q(status__in=Assignment.LIVE) & Q(ends_at__gt=now)).order_by("-starts_at", "-pk")
    )


def is_team_member(user) -> bool:
    return _authenticated(user) and Member.objects.filter(user=user).exists()
