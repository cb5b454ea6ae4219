"""Who may see which dashboard, and the stored figures they read. Missing and forbidden both answer 404.

- a county's dashboard: the county's admins (教科体局);
- a school's: the county's admins and the school's admins;
- a class's: the above, and the class's head teachers.

No one else: not a teacher of another class, not a guardian, not another county's admin. Pages, exports, the PDF
and the API all fetch their unit here and read only `Figure` rows (already suppressed), never the raw tables.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from xieyu.accounts.models import Role
from xieyu.accounts.scope import scope_of
from xieyu.directory.models import Region, School, SchoolClass

from .models import Figure, HotTopic


def dashboard_counties_of(user) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return scope_of(user).counties(Role.COUNTY_ADMIN)


def counties_visible_to(user) -> QuerySet[Region]:
    return Region.objects.filter(level=Region.Level.COUNTY, pk__in=sorted(dashboard_counties_of(user)))


def schools_visible_to(user) -> QuerySet[School]:
    if not getattr(user, "is_authenticated", False):
        return School.objects.none()
    scope = scope_of(user)
    return School.objects.filter(
        Q(county__in=sorted(scope.counties(Role.COUNTY_ADMIN)))
        | Q(pk__in=sorted(scope.whole_schools(Role.SCHOOL_ADMIN)))
    )


def classes_visible_to(user) -> QuerySet[SchoolClass]:
    if not getattr(user, "is_authenticated", False):
        return SchoolClass.objects.none()
    scope = scope_of(user)
    return SchoolClass.objects.filter(
        Q(school__county__in=sorted(scope.counties(Role.COUNTY_ADMIN)))
        | Q(school__in=sorted(scope.whole_schools(Role.SCHOOL_ADMIN)))
        | Q(pk__in=sorted(scope.classes(Role.HEAD_TEACHER)))
    )


def get_county_for(user, pk) -> Region:
    county = counties_visible_to(user).filter(pk=pk).first()
    if county is None:
        raise Http404("county not found")
    return county


def get_school_for(user, pk) -> School:
    school = schools_visible_to(user).select_related("county").filter(pk=pk).first()
    if school is None:
        raise Http404("school not found")
    return school


def get_class_for(user, school_pk, pk) -> SchoolClass:
    """A class of the school in the address: a class of another school is 404 like a class one may not see."""
    found = (
        classes_visible_to(user).select_related("school__county", "grade").filter(pk=pk, school_id=school_pk).first()
    )
    if found is None:
        raise Http404("class not found in this school")
    return found


def may_see_county(user, county_id: int) -> bool:
    return county_id in dashboard_counties_of(user)


def may_see_school(user, school: School) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    scope = scope_of(user)
    return school.county_id in scope.counties(Role.COUNTY_ADMIN) or school.pk in scope.whole_schools(Role.SCHOOL_ADMIN)


def home_unit_of(user) -> tuple[str, int, int | None] | None:
    """The widest dashboard the user may open: ("county", id, None), ("school", id, None) or ("class", school, id)."""
    if not getattr(user, "is_authenticated", False):
        return None
    scope = scope_of(user)
    if counties := scope.counties(Role.COUNTY_ADMIN):
        return ("county", min(counties), None)
    if schools := scope.whole_schools(Role.SCHOOL_ADMIN):
        return ("school", min(schools), None)
    for g in scope.of(Role.HEAD_TEACHER):
        if g.class_id and g.school_id:
            return ("class", g.school_id, g.class_id)
    return None


# --- the stored figures (from a unit fetched above) -----------------------------------------------------------------


def figures_of(level: str, unit_id: int) -> QuerySet[Figure]:
    """Every period's figures of one unit (the tiles and their trend): one query."""
    return Figure.objects.filter(level=level, unit_id=unit_id)


def ranked_schools_of(county: Region, period: str, places: int) -> QuerySet[Figure]:
    """The schools furthest behind each target this period (rank 1 … places): one query."""
    return (
        Figure.objects.filter(county=county, period=period, level=Figure.Level.SCHOOL, rank__lte=places)
        .select_related("school")
        .order_by("metric", "rank")
    )


def hot_topics_of(level: str, unit_id: int, period: str) -> QuerySet[HotTopic]:
    """The county's list (with each topic's school) or one school's, as stored this period: one query."""
    found = HotTopic.objects.filter(level=level, period=period)
    if level == "county":
        return found.filter(county_id=unit_id).select_related("school")
    return found.filter(school_id=unit_id)


def child_figures(level: str, parent_ids: list[int], period: str) -> QuerySet[Figure]:
    """The figures of a page of schools (level "school") or classes ("class") for the drill-down table."""
    return Figure.objects.filter(level=level, unit_id__in=parent_ids, period=period)


def month_before(county: Region, day) -> dict[str, str]:
    """The county's figures as shown in the latest monthly snapshot before this month ({metric: shown}): two
    queries."""
    from .display import format_value
    from .metrics import METRICS

    this_month = day.strftime("%Y-%m")
    months = (
        Figure.objects.filter(
            county=county, level=Figure.Level.COUNTY, period__lt=this_month, period__regex=r"^\d{4}-\d{2}$"
        )
        .order_by("-period")
        .values_list("period", flat=True)[:1]
    )
    last = list(months)
    if not last:
        return {}
    figs = Figure.objects.filter(county=county, level=Figure.Level.COUNTY, period=last[0])
    return {f.metric: format_value(METRICS[f.metric], f) for f in figs if f.metric in METRICS}


def schools_of(county: Region) -> QuerySet[School]:
    """The schools of a county fetched above (get_county_for), for its drill-down list."""
    return School.objects.filter(county=county).order_by("name", "pk")


def classes_of(school_id: int) -> QuerySet[SchoolClass]:
    """The classes of a school fetched above (get_school_for), for its drill-down list."""
    return (
        SchoolClass.objects.filter(school_id=school_id).select_related("grade").order_by("grade__level", "name", "pk")
    )
