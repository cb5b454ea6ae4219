"""Background jobs of the diary: thin, each calls a service."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from xieyu.directory.models import Region

from .services import diary_sample_day


@task()
def diary_sampling_run() -> int:
    """Each county's requests of the day, from the morning hour on (the scheduler enqueues it hourly; a day already
    sampled is skipped, so running it again sends nothing)."""
    if timezone.localtime().hour < int(getattr(settings, "BURDEN_DIARY_HOUR", 8)):
        return 0
    return sum(diary_sample_day(county=c) for c in Region.objects.filter(level=Region.Level.COUNTY))
