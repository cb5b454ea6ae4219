"""Who may see a county's care figures, and the rollups they read. Missing and forbidden both answer 404.

- the county's admins (教科体局) and counsellors;
- the staff (Role.PARTNER) of the county's women's federation (妇联) and civil affairs bureau (民政), for the county
  their agency is in.

No one else: not a school's admin (their school's registry is on the registry pages; a school's column cut out of a
county table would tell little and cost a second suppression), not a head teacher, not a guardian, not the other
partner agencies. The figures hold counts only, suppressed, never a child.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from xieyu.accounts.models import Role
from xieyu.accounts.scope import scope_of
from xieyu.directory.models import PartnerAgency, Region

from .models import CareRollup

FIGURE_AGENCY_KINDS = frozenset({PartnerAgency.Kind.WOMEN_FEDERATION, PartnerAgency.Kind.CIVIL_AFFAIRS})


def figure_counties_of(user) -> list[int]:
    """The counties whose figures the user may see (no query: the scope has loaded the agencies already)."""
    if not getattr(user, "is_authenticated", False):
        return []
    scope = scope_of(user)
    counties = set(scope.counties(Role.COUNTY_ADMIN, Role.COUNSELLOR))
    for grant in scope.of(Role.PARTNER):
        agency = grant.membership.partner_agency
        if agency is not None and agency.kind in FIGURE_AGENCY_KINDS and grant.county_id:
            counties.add(grant.county_id)
    return sorted(counties)


def get_figures_county_for(user, county_id: int | None = None) -> Region:
    """The county whose figures to show: the one asked for if the user may see it, else their first; 404 if none."""
    counties = figure_counties_of(user)
    if county_id is not None:
        counties = [c for c in counties if c == county_id]
    county = Region.objects.filter(pk__in=counties[:1]).first() if counties else None
    if county is None:
        raise Http404("county not found")
    return county


def rollups_of(county: Region) -> QuerySet[CareRollup]:
    """The county's rollups (from get_figures_county_for): one query."""
    return CareRollup.objects.filter(county=county)


def may_refresh(user, county: Region) -> bool:
    """Who may ask for the figures now: the county's admins and counsellors (partners wait for the schedule)."""
    return county.pk in scope_of(user).counties(Role.COUNTY_ADMIN, Role.COUNSELLOR)
