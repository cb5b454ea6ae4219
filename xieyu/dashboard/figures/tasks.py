"""Background jobs of the figures: thin, each calls a service."""

from __future__ import annotations

from django.core.cache import cache
from django_tasks import task

from xieyu.directory.models import Region

from .services import figures_refresh, figures_refresh_all

DIRTY_KEY = "dashboard:dirty:%s:%s"  # county, area


@task()
def dashboard_refresh_all() -> int:
    """Every county's figures (the scheduler enqueues it nightly)."""
    return figures_refresh_all(actor=None)


@task()
def dashboard_refresh_county(county_id: int, area: str) -> int:
    """One area's figures of one county, a few minutes after a write that changes them (debounced in wiring.py)."""
    cache.delete(DIRTY_KEY % (county_id, area))
    county = Region.objects.filter(pk=county_id, level=Region.Level.COUNTY).first()
    if county is None:
        return 0
    return figures_refresh(actor=None, county=county, areas=[area])
