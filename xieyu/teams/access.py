"""Who may see or act on which team, member, need and record — the core every subdomain's access.py builds on.

- The county admin runs the county's guidance center: she coordinates its four teams, their members and the
  county's needs. A school admin coordinates her school's own teacher team and the needs her school posts, and sees
  the county's teams (to post needs and read proposals).
- A member sees her own memberships, invitations, assignments and hours, and the teams she belongs to.
- Community staff post needs for their community.
Missing and forbidden both answer 404.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from xieyu.accounts.models import Role
from xieyu.accounts.scope import scope_of

from .models import Member, Team


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def coordinated_counties(user) -> set[int]:
    """Counties whose guidance center the user coordinates (county admins)."""
    return scope_of(user).counties(Role.COUNTY_ADMIN)


def coordinated_schools(user) -> set[int]:
    """Schools whose own team and needs the user coordinates (school admins)."""
    return scope_of(user).whole_schools(Role.SCHOOL_ADMIN)


def is_coordinator(user) -> bool:
    return bool(coordinated_counties(user) or coordinated_schools(user))


def teams_managed_by(user) -> QuerySet[Team]:
    """The teams the user coordinates: the county's four for a county admin (and its schools' teams), her school's
    own for a school admin."""
    if not _authenticated(user):
        return Team.objects.none()
    counties, schools = coordinated_counties(user), coordinated_schools(user)
    q = Q(pk__in=[])
    if counties:
        q |= Q(county__in=counties)
    if schools:
        q |= Q(school__in=schools)
    return Team.objects.filter(q)


def teams_visible_to(user) -> QuerySet[Team]:
    """Teams the user coordinates, belongs to, or may draw on (a school admin: the county's teams)."""
    if not _authenticated(user):
        return Team.objects.none()
    scope = scope_of(user)
    schools = coordinated_schools(user)
    q = Q(pk__in=teams_managed_by(user).values("pk")) | Q(members__user=user)
    if schools:
        q |= Q(school__isnull=True, county__schools__in=schools)
    if counties := scope.counties(Role.EXPERT, Role.VOLUNTEER, Role.COUNSELLOR):
        q |= Q(school__isnull=True, county__in=counties)
    return Team.objects.filter(q).distinct()


def get_team_for(user, pk, *, write: bool = False) -> Team:
    qs = teams_managed_by(user) if write else teams_visible_to(user)
    team = qs.select_related("county", "school").filter(pk=pk).first()
    if team is None:
        raise Http404("team not found")
    return team


def members_managed_by(user) -> QuerySet[Member]:
    return Member.objects.filter(team__in=teams_managed_by(user).values("pk"))


def memberships_of(user) -> QuerySet[Member]:
    """The user's own places in teams, any status."""
    if not _authenticated(user):
        return Member.objects.none()
    return Member.objects.filter(user=user)


def get_member_for(user, pk, *, write: bool = False) -> Member:
    """A member record: the coordinator's (write or read) or the member's own (read)."""
    qs = (
        members_managed_by(user)
        if write
        else Member.objects.filter(
            Q(pk__in=members_managed_by(user).values("pk")) | Q(user=user if _authenticated(user) else None)
        )
    )
    member = qs.select_related("team", "team__county", "team__school", "user").filter(pk=pk).first()
    if member is None:
        raise Http404("member not found")
    return member
