"""Background jobs of the watch: thin, each calls a service."""

from __future__ import annotations

from django_tasks import task

from xieyu.directory.models import Region

from .services import reconcile_recent


@task()
def burden_rollups_reconcile() -> int:
    """Every county's rollups of this week and the last two, recomputed from the diaries; ended weeks' flags."""
    return sum(reconcile_recent(county=c) for c in Region.objects.filter(level=Region.Level.COUNTY))
