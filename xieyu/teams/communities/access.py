"""Who may see which community, facility, activity and exchange. Missing and forbidden both answer 404.

- Community staff manage their own community's facilities and activities (and record its 进学校 sessions).
- A guardian sees the open-to-children facilities and the published activities of the communities in the towns of
  her children's schools (the events engine decides an activity's audience: families of one town's schools).
- A school admin records and sees her school's exchanges (进社区 / 进学校); a county admin sees every school's and
  community's counts.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from xieyu.accounts.models import Role
from xieyu.accounts.scope import scope_of
from xieyu.directory import access as directory_access
from xieyu.directory.models import Community, School, Student
from xieyu.events.access import events_managed_by, with_counts
from xieyu.events.models import Event

from ..access import coordinated_counties, coordinated_schools
from ..models import Need
from .models import Facility

EXCHANGE_KINDS = (Event.Kind.INTO_COMMUNITY, Event.Kind.INTO_SCHOOL)


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def staffed_communities(user) -> set[int]:
    if not _authenticated(user):
        return set()
    return scope_of(user).communities(Role.COMMUNITY_STAFF)


def communities_staffed_by(user) -> QuerySet[Community]:
    return Community.objects.filter(pk__in=staffed_communities(user)).select_related("town").order_by("name", "pk")


def get_community_for(user, pk) -> Community:
    community = communities_staffed_by(user).filter(pk=pk).first()
    if community is None:
        raise Http404("community not found")
    return community


def facilities_managed_by(user) -> QuerySet[Facility]:
    return Facility.objects.filter(community__in=staffed_communities(user)).select_related("community")


def get_facility_for(user, pk, *, write: bool = False) -> Facility:
    """A facility of the user's community (staff only; guardians see facilities on the activities page)."""
    facility = facilities_managed_by(user).filter(pk=pk).first()
    if facility is None:
        raise Http404("facility not found")
    return facility


def _children_towns(user) -> QuerySet:
    kids = directory_access.children_of(user).filter(status=Student.Status.ENROLLED)
    return kids.values("school__town")


def facilities_near(user) -> QuerySet[Facility]:
    """Open-to-children facilities of the communities in the towns of the user's children's schools."""
    if not _authenticated(user):
        return Facility.objects.none()
    return (
        Facility.objects.filter(open_to_children=True, community__town__in=_children_towns(user))
        .select_related("community")
        .order_by("community__name", "kind", "pk")
    )


def activities_near(user) -> QuerySet[Event]:
    """Published community activities offered to the user's families that have not ended, soonest first."""
    if not _authenticated(user):
        return Event.objects.none()
    kids = directory_access.children_of(user).filter(status=Student.Status.ENROLLED)
    return (
        Event.objects.filter(
            kind=Event.Kind.COMMUNITY_ACTIVITY, status=Event.Status.PUBLISHED, audience=Event.Audience.TOWN,
            audience_town__in=kids.values("school__town"), ends_at__gte=timezone.now(),
        )
        .select_related("community")
        .order_by("starts_at", "pk")
    )  # fmt: skip


def community_events_of(user, community: Community) -> QuerySet[Event]:
    """The activities the community organises (the community came from get_community_for), newest first, with
    registration and attendance counts."""
    qs = events_managed_by(user).filter(community=community, kind=Event.Kind.COMMUNITY_ACTIVITY)
    return with_counts(qs).select_related("audience_town").order_by("-starts_at", "-pk")


def upcoming_community_events(user, community: Community) -> QuerySet[Event]:
    qs = (
        events_managed_by(user)
        .filter(community=community, kind=Event.Kind.COMMUNITY_ACTIVITY, ends_at__gte=timezone.now())
        .exclude(status=Event.Status.CANCELLED)
    )
    return with_counts(qs).order_by("starts_at", "pk")


def needs_of(community: Community) -> QuerySet[Need]:
    """The needs the community posted (the community came from get_community_for), soonest first."""
    return Need.objects.filter(community=community).exclude(status=Need.Status.CANCELLED).order_by("starts_at", "pk")


# --- exchanges (进社区 / 进学校) ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    key: str  # "year" or "term"
    start: datetime.datetime
    end: datetime.datetime
    label: str


def period_of(key: str, today: datetime.date | None = None) -> Period:
    """This school year (from 1 September) or this term (autumn: September to January, spring: February to
    August)."""
    today = today or timezone.localdate()
    year = today.year if today.month >= 9 else today.year - 1
    tz = timezone.get_current_timezone()

    def at(d: datetime.date) -> datetime.datetime:
        return datetime.datetime.combine(d, datetime.time.min, tzinfo=tz)

    if key == "term":
        if today.month >= 9 or today.month == 1:
            start, end = datetime.date(year, 9, 1), datetime.date(year + 1, 2, 1)
            label = f"{year}–{year + 1} 学年第一学期"
        else:
            start, end = datetime.date(year + 1, 2, 1), datetime.date(year + 1, 9, 1)
            label = f"{year}–{year + 1} 学年第二学期"
        return Period("term", at(start), at(end), label)
    return Period("year", at(datetime.date(year, 9, 1)), at(datetime.date(year + 1, 9, 1)), f"{year}–{year + 1} 学年")


def exchanges_visible_to(user) -> QuerySet[Event]:
    """Exchange events the user records or oversees: her school's (school admin), her community's (community
    staff), her county's (county admin)."""
    if not _authenticated(user):
        return Event.objects.none()
    q = Q(pk__in=[])
    if schools := coordinated_schools(user):
        q |= Q(school__in=schools)
    if communities := staffed_communities(user):
        q |= Q(community__in=communities)
    if counties := coordinated_counties(user):
        q |= Q(county__in=counties)
    return (
        Event.objects.filter(q, kind__in=EXCHANGE_KINDS)
        .exclude(status=Event.Status.CANCELLED)
        .select_related("school", "community")
    )


def records_exchanges(user) -> bool:
    return bool(coordinated_schools(user) or staffed_communities(user) or coordinated_counties(user))


def _count(field: str, kind: str, period: Period):
    sub = (
        Event.objects.filter(**{field: OuterRef("pk")}, kind=kind, starts_at__gte=period.start,
                             starts_at__lt=period.end)
        .exclude(status=Event.Status.CANCELLED)
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )  # fmt: skip
    return Coalesce(Subquery(sub, output_field=IntegerField()), Value(0))


def school_counts(qs: QuerySet[School], period: Period) -> QuerySet[School]:
    return qs.annotate(
        into_community=_count("school", Event.Kind.INTO_COMMUNITY, period),
        into_school=_count("school", Event.Kind.INTO_SCHOOL, period),
    )


def community_counts(qs: QuerySet[Community], period: Period) -> QuerySet[Community]:
    return qs.annotate(
        into_community=_count("community", Event.Kind.INTO_COMMUNITY, period),
        into_school=_count("community", Event.Kind.INTO_SCHOOL, period),
    )


def schools_counted_for(user, period: Period) -> QuerySet[School]:
    """The schools whose counts the user sees: her own (school admin), or every school of her county."""
    q = Q(pk__in=[])
    if schools := coordinated_schools(user):
        q |= Q(pk__in=schools)
    if counties := coordinated_counties(user):
        q |= Q(county__in=counties)
    return school_counts(School.objects.filter(q), period).order_by("name", "pk")


def communities_counted_for(user, period: Period) -> QuerySet[Community]:
    q = Q(pk__in=[])
    if communities := staffed_communities(user):
        q |= Q(pk__in=communities)
    if counties := coordinated_counties(user):
        q |= Q(county__in=counties)
    return community_counts(Community.objects.filter(q), period).order_by("name", "pk")


def exchange_sides(user) -> tuple[QuerySet[School], QuerySet[Community]]:
    """What the exchange form offers: the schools and communities the user records for (one side), and the
    county's schools and communities (the other side)."""
    scope = scope_of(user)
    counties = set(scope.reach_counties(Role.SCHOOL_ADMIN, Role.COMMUNITY_STAFF, Role.COUNTY_ADMIN))
    return (
        School.objects.filter(county__in=counties).order_by("name", "pk"),
        Community.objects.filter(county__in=counties).order_by("name", "pk"),
    )


def own_schools(user) -> QuerySet[School]:
    return School.objects.filter(pk__in=coordinated_schools(user)).order_by("name", "pk")


def own_communities(user) -> QuerySet[Community]:
    return communities_staffed_by(user)
