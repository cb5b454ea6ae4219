"""Who may see which team page, apply where, open which member record and certificate, and the coordinator's panels
(members by load, lapsing checks, needs unfilled). Builds on teams/access.py; missing and forbidden answer 404."""

from __future__ import annotations

import datetime

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from xieyu.accounts.models import Role
from xieyu.accounts.scope import scope_of
from xieyu.directory.access import children_of
from xieyu.directory.models import Region, School

from ..access import (
    _authenticated,
    coordinated_counties,
    coordinated_schools,
    get_member_for,
    members_managed_by,
    memberships_of,
    teams_managed_by,
    teams_visible_to,
)
from ..models import Assignment, BackgroundCheck, Certificate, Member, Need, Skill, Team

LAPSING_DAYS = 30
LOAD_DAYS = 90
TEACHER_ROLES = (Role.TEACHER, Role.HEAD_TEACHER)


def check_until_subquery(user_field: str = "user") -> Subquery:
    """The last day a person's checks cover (null when never checked), as an annotation."""
    latest = BackgroundCheck.objects.filter(user=OuterRef(user_field)).order_by("-valid_until")
    return Subquery(latest.values("valid_until")[:1])


# --- teams ------------------------------------------------------------------------------------------------------------


def teams_open_to(user) -> QuerySet[Team]:
    """The teams the user may apply to: experts (and counsellors) the county's expert team; teachers the county's
    teacher team and their school's own; volunteers the elders or the parent team; guardians the parent team of their
    children's county."""
    if not _authenticated(user):
        return Team.objects.none()
    scope = scope_of(user)
    q = Q(pk__in=[])
    county_team = Q(school__isnull=True)
    if counties := scope.counties(Role.EXPERT, Role.COUNSELLOR):
        q |= county_team & Q(county__in=counties, kind=Team.Kind.EXPERT)
    if schools := scope.schools(*TEACHER_ROLES):
        q |= Q(kind=Team.Kind.TEACHER) & (
            (county_team & Q(county__in=scope.reach_counties(*TEACHER_ROLES))) | Q(school__in=schools)
        )
    if counties := scope.counties(Role.VOLUNTEER):
        q |= county_team & Q(county__in=counties, kind__in=[Team.Kind.ELDERS, Team.Kind.PARENT])
    if scope.is_guardian:
        q |= county_team & Q(kind=Team.Kind.PARENT) & Q(county__in=children_of(user).values("school__county"))
    return Team.objects.filter(q)


def teams_to_apply(user) -> QuerySet[Team]:
    """Teams open to the user where she has no live application or membership."""
    live = memberships_of(user).filter(status__in=Member.LIVE).values("team")
    return teams_open_to(user).exclude(pk__in=live).select_related("school")


def get_team_to_apply(user, pk) -> Team:
    team = teams_open_to(user).select_related("county", "school").filter(pk=pk).first()
    if team is None:
        raise Http404("team not found")
    return team


def teams_listed_for(user) -> QuerySet[Team]:
    """Every team whose page the user may open: those visible (coordinated, drawn on, belonged to) and those open."""
    if not _authenticated(user):
        return Team.objects.none()
    return Team.objects.filter(
        Q(pk__in=teams_visible_to(user).values("pk")) | Q(pk__in=teams_open_to(user).values("pk"))
    )


def get_team_page_for(user, pk) -> tuple[Team, bool]:
    """The team and whether the user coordinates it."""
    team = teams_listed_for(user).select_related("county", "school").filter(pk=pk).first()
    if team is None:
        raise Http404("team not found")
    return team, teams_managed_by(user).filter(pk=team.pk).exists()


def get_team_to_manage(user, pk) -> Team:
    team = teams_managed_by(user).select_related("county", "school").filter(pk=pk).first()
    if team is None:
        raise Http404("team not found")
    return team


def with_counts(teams: QuerySet[Team]) -> QuerySet[Team]:
    """Teams with their members counted by status (one query)."""
    counts = {
        f"n_{status}": Count("members", filter=Q(members__status=status), distinct=True) for status in Member.Status
    }
    return teams.select_related("school").annotate(**counts).order_by(F("school").asc(nulls_first=True), "kind", "pk")


def coordinated_county(user) -> Region | None:
    counties = coordinated_counties(user)
    return Region.objects.filter(pk__in=counties).order_by("pk").first() if counties else None


def school_to_create_team(user) -> School | None:
    """A school admin's school that has no teacher team of its own yet."""
    schools = coordinated_schools(user)
    if not schools:
        return None
    have = Team.objects.filter(school__in=schools).values("school")
    return School.objects.filter(pk__in=schools).exclude(pk__in=have).order_by("pk").first()


def county_skills(county_id: int) -> QuerySet[Skill]:
    return Skill.objects.filter(county=county_id).order_by("order", "pk")


def county_of_skill_list(user) -> Region | None:
    """The county whose skill list the user manages (county admins)."""
    return coordinated_county(user)


def get_skill_to_manage(user, pk) -> Skill:
    skill = Skill.objects.filter(county__in=coordinated_counties(user), pk=pk).first()
    if skill is None:
        raise Http404("skill not found")
    return skill


# --- members ----------------------------------------------------------------------------------------------------------


def team_members(team: Team, *, skill: int | None = None, town: int | None = None, status: str = "") -> QuerySet:
    qs = team.members.select_related("user").prefetch_related("skills", "towns")
    if skill:
        qs = qs.filter(skills=skill)
    if town:
        qs = qs.filter(towns=town)
    if status in Member.Status.values:
        qs = qs.filter(status=status)
    return qs.annotate(check_until=check_until_subquery()).order_by("-is_leader", "status", "pk").distinct()


def get_member_page_for(user, pk) -> tuple[Member, bool]:
    """A member record and whether the user may act on it (the coordinator); the member herself reads her own."""
    member = get_member_for(user, pk)
    return member, members_managed_by(user).filter(pk=member.pk).exists()


def get_member_to_manage(user, pk) -> Member:
    return get_member_for(user, pk, write=True)


def get_own_member(user, pk) -> Member:
    member = memberships_of(user).select_related("team", "user").filter(pk=pk).first()
    if member is None:
        raise Http404("member not found")
    return member


def member_record(member: Member) -> dict:
    """What the record page shows besides the member: checks, certificates, availability (three queries)."""
    checks = list(BackgroundCheck.objects.filter(user=member.user_id).select_related("attested_by")[:10])
    return {
        "checks": checks,
        "certificates": list(member.certificates.all()),
        "slots": {(a.weekday, a.part) for a in member.availability.all()},
    }


def get_certificate_for(user, pk) -> Certificate:
    cert = Certificate.objects.filter(pk=pk, file__gt="").select_related("member").first()
    if cert is None:
        raise Http404("certificate not found")
    get_member_for(user, cert.member_id)  # the coordinator or the member herself; else 404
    return cert


def my_memberships(user) -> QuerySet[Member]:
    return (
        memberships_of(user)
        .select_related("team", "team__school")
        .annotate(check_until=check_until_subquery())
        .order_by("-created_at", "-pk")
    )


# --- the coordinator's panels -------------------------------------------------------------------------------------


def lapsing_members(user, *, on: datetime.date | None = None) -> QuerySet[Member]:
    """Approved members of the teams the user coordinates whose latest check has lapsed, lapses within 30 days, or
    was never recorded; soonest first."""
    today = on or timezone.localdate()
    return (
        members_managed_by(user)
        .filter(status=Member.Status.APPROVED)
        .select_related("user", "team")
        .annotate(check_until=check_until_subquery())
        .filter(Q(check_until__lte=today + datetime.timedelta(days=LAPSING_DAYS)) | Q(check_until__isnull=True))
        .order_by(F("check_until").asc(nulls_first=True), "pk")
    )


def members_by_load(user) -> QuerySet[Member]:
    """Approved members with their accepted assignments of the last 90 days, most loaded first."""
    since = timezone.now() - datetime.timedelta(days=LOAD_DAYS)
    load = Count(
        "assignments",
        filter=Q(assignments__status=Assignment.Status.ACCEPTED, assignments__starts_at__gte=since),
    )
    return (
        members_managed_by(user)
        .filter(status=Member.Status.APPROVED)
        .select_related("user", "team")
        .annotate(load=load)
        .order_by("-load", "pk")
    )


def needs_unfilled(user) -> QuerySet[Need]:
    """Open needs of the county (or the school) the user coordinates with fewer accepted people than asked for,
    soonest first."""
    if not _authenticated(user):
        return Need.objects.none()
    counties, schools = coordinated_counties(user), coordinated_schools(user)
    q = Q(pk__in=[])
    if counties:
        q |= Q(county__in=counties)
    if schools:
        q |= Q(school__in=schools)
    accepted = Count("assignments", filter=Q(assignments__status=Assignment.Status.ACCEPTED))
    return (
        Need.objects.filter(q, status=Need.Status.OPEN, ends_at__gte=timezone.now())
        .select_related("school", "community")
        .annotate(accepted=accepted)
        .filter(accepted__lt=F("people"))
        .order_by("starts_at", "pk")
    )
