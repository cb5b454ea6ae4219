"""Background jobs of the figures: thin, each calls a service."""

from __future__ import annotations

from django_tasks import task

from xieyu.directory.models import Region

from .services import rollup_refresh, rollup_refresh_all


@task()
def care_rollups_refresh_all() -> int:
    """Every county's care figures (the scheduler enqueues it every 15 minutes)."""
    return rollup_refresh_all(actor=None)


@task()
def care_rollups_refresh(county_id: int) -> int:
    """One county's care figures, now ("refresh now" on the figures page)."""
    county = Region.objects.filter(pk=county_id, level=Region.Level.COUNTY).first()
    if county is None:
        return 0
    return len(rollup_refresh(actor=None, county=county))
