"""Who may see a class's, a school's and a county's burden figures: the class's head teacher, the school's admins
and the county's admins (never guardians, never teachers without the class). Only rollups and flags are shown."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from xieyu.accounts.models import Role
from xieyu.accounts.scope import scope_of
from xieyu.directory.models import Region, School, SchoolClass

from .models import BurdenFlag, WeekRollup


def classes_watched_by(user) -> QuerySet[SchoolClass]:
    scope = scope_of(user)
    q = Q(pk__in=[])
    if counties := scope.counties(Role.COUNTY_ADMIN):
        q |= Q(school__county__in=counties)
    if schools := scope.whole_schools(Role.SCHOOL_ADMIN):
        q |= Q(school__in=schools)
    if classes := scope.classes(Role.HEAD_TEACHER):
        q |= Q(pk__in=classes)
    return SchoolClass.objects.filter(q)


def schools_watched_by(user) -> QuerySet[School]:
    scope = scope_of(user)
    q = Q(pk__in=[])
    if counties := scope.counties(Role.COUNTY_ADMIN):
        q |= Q(county__in=counties)
    if schools := scope.whole_schools(Role.SCHOOL_ADMIN):
        q |= Q(pk__in=schools)
    return School.objects.filter(q)


def get_class_for(user, pk) -> SchoolClass:
    found = classes_watched_by(user).select_related("school", "grade").filter(pk=pk).first()
    if found is None:
        raise Http404("class not found")
    return found


def get_school_for(user, pk) -> School:
    found = schools_watched_by(user).filter(pk=pk).first()
    if found is None:
        raise Http404("school not found")
    return found


def get_county_for(user, pk) -> Region:
    if pk not in scope_of(user).counties(Role.COUNTY_ADMIN):
        raise Http404("county not found")
    found = Region.objects.filter(pk=pk, level=Region.Level.COUNTY).first()
    if found is None:
        raise Http404("county not found")
    return found


def flags_visible_to(user) -> QuerySet[BurdenFlag]:
    return BurdenFlag.objects.filter(school_class__in=classes_watched_by(user).values("pk"))


def rollups_visible_to(user) -> QuerySet[WeekRollup]:
    """Rollup rows of the units the user watches (class rows of their classes, school and grade rows of their
    schools, county rows of their counties)."""
    scope = scope_of(user)
    q = Q(level=WeekRollup.Level.CLASS, school_class__in=classes_watched_by(user).values("pk"))
    q |= Q(
        level__in=[WeekRollup.Level.GRADE, WeekRollup.Level.SCHOOL], school__in=schools_watched_by(user).values("pk")
    )
    if counties := scope.counties(Role.COUNTY_ADMIN):
        q |= Q(level=WeekRollup.Level.COUNTY, county__in=counties)
    # A head teacher sees her grade's and school's figures too (no class but her own is named)
    if scope.classes(Role.HEAD_TEACHER):
        q |= Q(level__in=[WeekRollup.Level.GRADE, WeekRollup.Level.SCHOOL],
               school__in=scope.schools(Role.HEAD_TEACHER))  # fmt: skip
    return WeekRollup.objects.filter(q)


def county_schools_by_flags(user, county: Region) -> QuerySet[School]:
    """The county's schools the user watches, each with `open_flags` (its classes' open flags), most first."""
    flagged = (BurdenFlag.objects.filter(school=OuterRef("pk"), state=BurdenFlag.State.OPEN).order_by()
               .values("school").annotate(n=Count("pk")).values("n"))  # fmt: skip
    return (
        schools_watched_by(user).filter(county=county)
        .annotate(open_flags=Coalesce(Subquery(flagged, output_field=IntegerField()), 0))
        .order_by("-open_flags", "name", "pk")
    )  # fmt: skip
