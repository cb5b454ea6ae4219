"""Who may see which school's after-school schedule: its school admins (who edit it) and the admins of its county
(who read every school's and set the off-work time). Missing and forbidden both answer 404."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from xieyu.accounts.models import Role
from xieyu.accounts.scope import scope_of
from xieyu.directory.models import Region, School

from .models import AfterschoolSchedule, AfterschoolSetting


def schools_visible_to(user) -> QuerySet[School]:
    scope = scope_of(user)
    return School.objects.filter(
        Q(pk__in=scope.whole_schools(Role.SCHOOL_ADMIN)) | Q(county__in=scope.counties(Role.COUNTY_ADMIN))
    )


def schools_edited_by(user) -> QuerySet[School]:
    return School.objects.filter(pk__in=scope_of(user).whole_schools(Role.SCHOOL_ADMIN))


def get_school_for(user, pk, *, write: bool = False) -> School:
    school = (schools_edited_by(user) if write else schools_visible_to(user)).filter(pk=pk).first()
    if school is None:
        raise Http404("school not found")
    return school


def schedule_of(school: School) -> AfterschoolSchedule | None:
    return AfterschoolSchedule.objects.filter(school=school).first()


def counties_of(user) -> QuerySet[Region]:
    return Region.objects.filter(pk__in=scope_of(user).counties(Role.COUNTY_ADMIN)).order_by("pk")


def setting_of(county: Region) -> AfterschoolSetting | None:
    return AfterschoolSetting.objects.filter(county=county).first()


def schools_short_in(county: Region) -> QuerySet[School]:
    """The county's schools whose service misses the rule, or that have entered no schedule (one query per page)."""
    return (
        School.objects.filter(county=county)
        .filter(Q(afterschool__isnull=True) | Q(afterschool__meets_rule=False))
        .select_related("afterschool")
        .order_by("name", "pk")
    )


def county_counts(county: Region) -> dict[str, int]:
    """Schools of the county, those meeting the rule, those with no schedule (one query)."""
    return School.objects.filter(county=county).aggregate(
        schools=Count("pk"),
        meeting=Count("pk", filter=Q(afterschool__meets_rule=True)),
        missing=Count("pk", filter=Q(afterschool__isnull=True)),
    )
