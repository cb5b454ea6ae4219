"""Who may see which deadlines and manage which county's calendar.

A county admin sees their county's deadlines and manages its calendar; a school admin sees their own school's
deadlines. Everyone else sees none here (each module shows its own items' clocks on its own pages). Missing and
forbidden both answer 404.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.http import Http404

from xieyu.accounts.models import Role
from xieyu.accounts.scope import scope_of
from xieyu.directory.models import Region

from .models import CalendarDay, Deadline
from .workcalendar import schedule_warning_years


@dataclass
class DeadlineScope:
    counties: set[int] = field(default_factory=set)
    schools: set[int] = field(default_factory=set)
    school_counties: set[int] = field(default_factory=set)  # the counties of those schools (for the warning)

    def __bool__(self) -> bool:
        return bool(self.counties or self.schools)

    @property
    def all_counties(self) -> set[int]:
        return self.counties | self.school_counties


def deadline_scope(user) -> DeadlineScope:
    scope = scope_of(user)
    return DeadlineScope(
        counties=scope.counties(Role.COUNTY_ADMIN),
        schools=scope.whole_schools(Role.SCHOOL_ADMIN),
        school_counties=scope.reach_counties(Role.SCHOOL_ADMIN),
    )


def deadlines_visible_to(user) -> QuerySet[Deadline]:
    scope = deadline_scope(user)
    if not scope:
        return Deadline.objects.none()
    q = Q(pk__in=[])
    if scope.counties:
        q |= Q(county__in=scope.counties)
    if scope.schools:
        q |= Q(school__in=scope.schools)
    return Deadline.objects.filter(q)


def get_deadline_for(user, pk) -> Deadline:
    deadline = (
        deadlines_visible_to(user)
        .select_related("school", "school_class__grade", "owner", "policy", "county")
        .filter(pk=pk)
        .first()
    )
    if deadline is None:
        raise Http404("deadline not found")
    return deadline


def counties_managed_by(user) -> QuerySet[Region]:
    """Counties whose calendar the user manages: county admins only."""
    return Region.objects.filter(pk__in=deadline_scope(user).counties or [])


def get_county_for(user, pk=None) -> Region:
    """The county whose calendar the user manages (their first one when pk is not given)."""
    qs = counties_managed_by(user).order_by("pk")
    if pk in (None, ""):
        county = qs.first()
    else:
        try:
            county = qs.filter(pk=int(pk)).first()
        except (TypeError, ValueError):
            county = None
    if county is None:
        raise Http404("county not found")
    return county


def get_calendar_day_for(user, pk) -> CalendarDay:
    day = CalendarDay.objects.filter(county__in=counties_managed_by(user), pk=pk).first()
    if day is None:
        raise Http404("calendar day not found")
    return day


def schedule_warnings_for(user) -> list[dict]:
    """For any page (with deadlines/_schedule_warning.html as `schedule_warnings`): the user's counties, as county
    or school admin, that lack the State Council schedule for this year (or next year, from November)."""
    scope = deadline_scope(user)
    warnings = []
    for county_id in sorted(scope.all_counties):
        years = schedule_warning_years(county_id)
        if years:
            warnings.append({"county_id": county_id, "years": years, "can_edit": county_id in scope.counties})
    return warnings
