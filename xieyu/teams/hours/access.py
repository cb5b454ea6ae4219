"""Who may see or act on which service record. Missing and forbidden both answer 404.

- A member sees her own assignments' service and her own records and totals (every team she serves in).
- The organiser signs, enters and corrects the records of the events she manages (events.access: a school admin her
  school's, a county admin the county's, community staff their community's) and of the needs she posted; a need
  with no event belongs to the unit that posted it.
- The county admin reads the county's totals and exports them.
- Anyone may open a certificate's verification page (it shows a masked name, the year and the total).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from xieyu.accounts.models import Role
from xieyu.accounts.scope import scope_of
from xieyu.events.access import events_managed_by

from ..access import coordinated_counties, coordinated_schools, teams_managed_by
from ..models import Assignment, Member, ServiceRecord, ServiceYear, Team

YEAR_MIN, YEAR_MAX = 2000, 2100
MAX_ID = 2**63 - 1


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def parse_year(value) -> int | None:
    """A calendar year from a form or a query string, or None when it cannot be one ("abc", 99999, "２０２６")."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and value.strip().isascii() and value.strip().isdigit() and len(value.strip()) == 4:
        number = int(value.strip())
    else:
        return None
    return number if YEAR_MIN <= number <= YEAR_MAX else None


def year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    """The calendar year in the county's time zone, as [start, end)."""
    tz = timezone.get_default_timezone()
    return (datetime.datetime(year, 1, 1, tzinfo=tz), datetime.datetime(year + 1, 1, 1, tzinfo=tz))


def year_of(moment: datetime.datetime) -> int:
    return timezone.localtime(moment).year


def this_year() -> int:
    return timezone.localdate().year


# --- the member's side ------------------------------------------------------------------------------------------


def own_records(user) -> QuerySet[ServiceRecord]:
    if not _authenticated(user):
        return ServiceRecord.objects.none()
    return ServiceRecord.objects.filter(member__user=user)


def own_records_of_year(user, year: int) -> QuerySet[ServiceRecord]:
    start, end = year_bounds(year)
    return (
        own_records(user)
        .filter(started_at__gte=start, started_at__lt=end)
        .exclude(status=ServiceRecord.Status.VOID)
        .select_related("member__team", "signed_by", "assignment__need", "event")
        .order_by("-started_at", "pk")
    )


def own_years(user) -> list[dict]:
    """The user's signed totals by year, newest first (one query over the rollup; every team she serves in)."""
    if not _authenticated(user):
        return []
    rows = (
        ServiceYear.objects.filter(member__user=user)
        .values("year")
        .annotate(minutes=Sum("minutes"), records=Sum("records"))
        .order_by("-year")
    )
    return [r for r in rows if r["records"]]


def own_total(user, year: int) -> int:
    """The user's signed minutes in the year, from the rollup."""
    if not _authenticated(user):
        return 0
    return ServiceYear.objects.filter(member__user=user, year=year).aggregate(m=Sum("minutes"))["m"] or 0


def get_own_assignment_for(user, pk) -> Assignment:
    """One of the user's own assignments (any status: the page says what it allows), with its need and event."""
    if not _authenticated(user) or not isinstance(pk, int) or not 1 <= pk <= MAX_ID:
        raise Http404("assignment not found")
    assignment = (
        Assignment.objects.filter(member__user=user, pk=pk)
        .select_related("member__team", "member__user", "need__event", "need__school", "need__community")
        .first()
    )
    if assignment is None:
        raise Http404("assignment not found")
    return assignment


def record_of(assignment: Assignment) -> ServiceRecord | None:
    """The assignment's one record, if there is one (the assignment was authorised by the caller)."""
    return ServiceRecord.objects.filter(assignment=assignment).select_related("signed_by", "answered_by").first()


def get_own_record_for(user, pk) -> ServiceRecord:
    if not isinstance(pk, int) or not 1 <= pk <= MAX_ID:
        raise Http404("record not found")
    record = own_records(user).select_related("member__team", "assignment__need__event", "event").filter(pk=pk).first()
    if record is None:
        raise Http404("record not found")
    return record


# --- the organiser's side ---------------------------------------------------------------------------------------


def _managed_needs_q(user, prefix: str) -> Q:
    """Needs the user answers for: posted by her, of an event she manages, or (no event) of the unit she runs."""
    p = prefix
    q = Q(**{f"{p}posted_by": user}) | Q(**{f"{p}event__in": events_managed_by(user).values("pk")})
    no_event = Q(pk__in=[])
    if counties := coordinated_counties(user):
        no_event |= Q(**{f"{p}county__in": counties})
    if schools := coordinated_schools(user):
        no_event |= Q(**{f"{p}school__in": schools})
    if communities := scope_of(user).communities(Role.COMMUNITY_STAFF):
        no_event |= Q(**{f"{p}community__in": communities, f"{p}school__isnull": True})
    return q | (Q(**{f"{p}event__isnull": True}) & no_event)


def signs_hours(user) -> bool:
    """Whether the user organises anything whose hours she signs (the sign-off list is hers)."""
    if not _authenticated(user):
        return False
    scope = scope_of(user)
    return bool(coordinated_counties(user) or coordinated_schools(user) or scope.communities(Role.COMMUNITY_STAFF))


def records_managed_by(user) -> QuerySet[ServiceRecord]:
    if not _authenticated(user):
        return ServiceRecord.objects.none()
    return ServiceRecord.objects.filter(_managed_needs_q(user, "assignment__need__"))


def records_to_sign(user) -> QuerySet[ServiceRecord]:
    return (
        records_managed_by(user)
        .filter(status=ServiceRecord.Status.PENDING)
        .select_related("member__user", "member__team", "assignment__need", "event")
        .order_by("started_at", "pk")
    )


def records_disputed(user) -> QuerySet[ServiceRecord]:
    return (
        records_managed_by(user)
        .filter(status=ServiceRecord.Status.DISPUTED)
        .select_related("member__user", "member__team", "assignment__need", "event")
        .order_by("disputed_at", "pk")
    )


def assignments_managed_by(user) -> QuerySet[Assignment]:
    if not _authenticated(user):
        return Assignment.objects.none()
    return Assignment.objects.filter(_managed_needs_q(user, "need__"))


def assignments_without_record(user, *, limit: int = 20) -> list[Assignment]:
    """Accepted assignments whose service has ended with no record yet (the member forgot to check in)."""
    return list(
        assignments_managed_by(user)
        .filter(status=Assignment.Status.ACCEPTED, ends_at__lte=timezone.now(), service_record__isnull=True)
        .select_related("member__user", "member__team", "need")
        .order_by("-ends_at", "pk")[:limit]
    )


def get_managed_assignment_for(user, pk) -> Assignment:
    if not isinstance(pk, int) or not 1 <= pk <= MAX_ID:
        raise Http404("assignment not found")
    assignment = (
        assignments_managed_by(user)
        .select_related("member__user", "member__team", "need__event", "need__school", "need__community")
        .filter(pk=pk)
        .first()
    )
    if assignment is None:
        raise Http404("assignment not found")
    return assignment


def get_managed_record_for(user, pk) -> ServiceRecord:
    if not isinstance(pk, int) or not 1 <= pk <= MAX_ID:
        raise Http404("record not found")
    record = (
        records_managed_by(user)
        .select_related("member__user", "member__team", "assignment__need__event", "event")
        .filter(pk=pk)
        .first()
    )
    if record is None:
        raise Http404("record not found")
    return record


def get_managed_records_for(user, pks) -> list[ServiceRecord]:
    """The records of the ids given that the user signs; an id she may not sign (or none at all) answers 404."""
    ids = {pk for pk in pks if isinstance(pk, int) and 1 <= pk <= MAX_ID}
    if not ids or len(ids) != len(set(pks)):
        raise Http404("record not found")
    records = list(records_managed_by(user).filter(pk__in=ids).select_related("assignment__need__event"))
    if len(records) != len(ids):
        raise Http404("record not found")
    return records


# --- the county's side ------------------------------------------------------------------------------------------


def totals_county(user) -> int | None:
    """The one county whose totals the user reads (a county admin), or None."""
    counties = coordinated_counties(user) if _authenticated(user) else set()
    return min(counties) if counties else None


def county_teams(county_id: int) -> QuerySet[Team]:
    return Team.objects.filter(county=county_id).select_related("school").order_by("school", "kind", "pk")


def get_county_team(user, pk) -> Team:
    team = teams_managed_by(user).filter(pk=pk).first() if isinstance(pk, int) and 1 <= pk <= MAX_ID else None
    if team is None:
        raise Http404("team not found")
    return team


def county_member_years(county_id: int, year: int, team: Team | None = None) -> QuerySet[ServiceYear]:
    """Members of the county's teams with their signed hours in the year, most hours first."""
    qs = ServiceYear.objects.filter(member__team__county=county_id, year=year, records__gt=0)
    if team is not None:
        qs = qs.filter(member__team=team)
    return qs.select_related("member__user", "member__team").order_by("-minutes", "member_id")


def county_export_rows(county_id: int, year: int, team: Team | None = None) -> QuerySet[ServiceRecord]:
    """One row per signed record of the year, for the national volunteer system's import."""
    start, end = year_bounds(year)
    qs = ServiceRecord.objects.filter(
        member__team__county=county_id, status=ServiceRecord.Status.SIGNED, started_at__gte=start, started_at__lt=end
    )
    if team is not None:
        qs = qs.filter(member__team=team)
    return qs.select_related("member__user", "member__team", "signed_by").order_by("member_id", "started_at", "pk")


# --- the certificate ---------------------------------------------------------------------------------------------


@dataclass
class Certificate:
    user: object
    year: int
    minutes: int
    records: list[ServiceRecord]
    units: list[tuple[str, str]]  # (recording unit, signer's name)


def certificate_of(user, year: int) -> Certificate:
    """The user's signed records of the year, their total and the units that signed them (one query)."""
    start, end = year_bounds(year)
    records = list(
        own_records(user)
        .filter(status=ServiceRecord.Status.SIGNED, started_at__gte=start, started_at__lt=end)
        .select_related("signed_by")
        .order_by("started_at", "pk")
    )
    units: list[tuple[str, str]] = []
    for r in records:
        pair = (r.recording_unit, r.signed_by.name if r.signed_by else "")
        if pair not in units:
            units.append(pair)
    return Certificate(user, year, sum(r.minutes for r in records), records, units)


def member_of_certificate(user_id: int):
    """The person a verification code names (the code was checked first): their user row, or None."""
    member = Member.objects.filter(user_id=user_id).select_related("user").first()
    return member.user if member else None


def signed_minutes_of(user_id: int, year: int) -> int:
    start, end = year_bounds(year)
    return (
        ServiceRecord.objects.filter(
            member__user_id=user_id, status=ServiceRecord.Status.SIGNED, started_at__gte=start, started_at__lt=end
        ).aggregate(m=Sum("minutes"))["m"]
        or 0
    )
