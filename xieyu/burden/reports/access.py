"""Who may open a 双减 report: the family member who filed it, and the admins of its county. Never the school (its
admins, head teachers and teachers read nothing of it). Missing and forbidden both answer 404."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from xieyu.accounts.models import Role
from xieyu.accounts.scope import scope_of
from xieyu.directory.access import children_of
from xieyu.directory.models import Student

from .models import BurdenReport


def reports_visible_to(user) -> QuerySet[BurdenReport]:
    if not getattr(user, "is_authenticated", False):
        return BurdenReport.objects.none()
    q = Q(reporter=user) | Q(county__in=scope_of(user).counties(Role.COUNTY_ADMIN))
    return BurdenReport.objects.filter(q).select_related("school", "school_class__grade")


def reports_of(user) -> QuerySet[BurdenReport]:
    """The user's own reports, as a family member."""
    if not getattr(user, "is_authenticated", False):
        return BurdenReport.objects.none()
    return BurdenReport.objects.filter(reporter=user).select_related("school", "school_class__grade")


def inbox_of(user) -> QuerySet[BurdenReport]:
    """The county's reports (county admins)."""
    counties = scope_of(user).counties(Role.COUNTY_ADMIN)
    return BurdenReport.objects.filter(county__in=counties).select_related("school", "school_class__grade")


def handles_reports(user) -> bool:
    return bool(scope_of(user).counties(Role.COUNTY_ADMIN))


def handles_report(user, report: BurdenReport) -> bool:
    return report.county_id in scope_of(user).counties(Role.COUNTY_ADMIN)


def get_report_for(user, pk, *, write: bool = False) -> BurdenReport:
    qs = inbox_of(user) if write else reports_visible_to(user)
    report = qs.filter(pk=pk).first()
    if report is None:
        raise Http404("report not found")
    return report


def children_for_reporting(user) -> QuerySet[Student]:
    return (
        children_of(user)
        .filter(status=Student.Status.ENROLLED)
        .select_related("school", "school_class__grade")
        .order_by("name", "pk")
    )
