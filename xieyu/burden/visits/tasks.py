"""Background jobs of home visits: thin, each calls a service."""

from __future__ import annotations

from django_tasks import task

from xieyu.directory.models import Region

from .services import coverage_refresh_county


@task()
def visit_coverage_refresh_all() -> int:
    """Every county's class coverage counted again (enrolment changes; the scheduler enqueues it nightly)."""
    counties = Region.objects.filter(level=Region.Level.COUNTY).values_list("pk", flat=True)
    return sum(coverage_refresh_county(county_id=pk) for pk in counties)
