"""Counting events for rate limits, in the database so every app server sees the same count."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from .models import RateEvent


def throttle_count(*, scope: str, key: str, window: datetime.timedelta) -> int:
    """How many events of this scope and key happened within the window."""
    return RateEvent.objects.filter(scope=scope, key=key, created_at__gt=timezone.now() - window).count()


def throttle_exceeded(*, scope: str, key: str, limit: int, window: datetime.timedelta) -> bool:
    return throttle_count(scope=scope, key=key, window=window) >= limit


@transaction.atomic
def throttle_hit(*, scope: str, key: str) -> None:
    """Count one event; events of the same scope and key older than a day are pruned."""
    now = timezone.now()
    RateEvent.objects.filter(scope=scope, key=key, created_at__lt=now - datetime.timedelta(days=1)).delete()
    RateEvent.objects.create(scope=scope, key=key, created_at=now)
