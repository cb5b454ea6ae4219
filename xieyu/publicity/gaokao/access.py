"""Who sees which majors table, and who maintains it.

The guidance and the helper are general information with no personal data: anyone may read them, without login
(for 准家长 and any family). A logged-in user reads the table of the county she belongs to (through her roles or
her children's schools); a visitor without login reads the county the link names, or the first county with a
table. Only the county admin edits her county's table; anyone else is answered 404 on the maintenance pages.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from xieyu.accounts.models import Role
from xieyu.accounts.scope import scope_of
from xieyu.core.viewhelpers import parse_id
from xieyu.directory import access as directory_access
from xieyu.directory.models import Region

from .models import MajorRequirement


def admin_counties(user) -> set[int]:
    return scope_of(user).counties(Role.COUNTY_ADMIN)


def home_county_ids(user) -> list[int]:
    """The counties the user belongs to: her roles' first, then her children's schools'."""
    if not getattr(user, "is_authenticated", False):
        return []
    ids = sorted(scope_of(user).reach_counties(*Role))
    for county_id in directory_access.children_of(user).values_list("school__county", flat=True).order_by("pk"):
        if county_id not in ids:
            ids.append(county_id)
    return ids


def guide_county(user, requested=None) -> Region | None:
    """The county whose table the helper reads: the one asked for (when it has a table), the user's own, or the
    first county with a table."""
    with_table = MajorRequirement.objects.values("county")
    asked = parse_id(requested) if requested else None
    if asked:
        county = Region.objects.filter(pk=asked, pk__in=with_table).first()
        if county is not None:
            return county
    for county_id in home_county_ids(user):
        county = Region.objects.filter(pk=county_id, pk__in=with_table).first()
        if county is not None:
            return county
    return Region.objects.filter(pk__in=with_table).order_by("pk").first()


def table_of(county: Region | None) -> QuerySet[MajorRequirement]:
    if county is None:
        return MajorRequirement.objects.none()
    return MajorRequirement.objects.filter(county=county).order_by("discipline", "major", "pk")


def county_to_maintain(user) -> Region | None:
    counties = admin_counties(user)
    if not counties:
        return None
    return Region.objects.filter(pk__in=counties).order_by("pk").first()


def requirements_editable_by(user) -> QuerySet[MajorRequirement]:
    counties = admin_counties(user)
    if not counties:
        return MajorRequirement.objects.none()
    return MajorRequirement.objects.filter(county__in=counties)


def get_requirement_for(user, pk, *, write: bool = False) -> MajorRequirement:
    """A row of the table, for its county admin (every row is public through the guide: reading one row alone is
    only ever done to edit it)."""
    row = requirements_editable_by(user).filter(pk=parse_id(pk) or 0).select_related("county").first()
    if row is None:
        raise Http404("major not found")
    return row
