"""Every write of the figures: recomputing a county's rollups (the scheduler every 15 minutes, or "refresh now")."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from xieyu.core.suppression import suppress
from xieyu.directory.models import Region

from .models import CareRollup
from .rollups import county_tables


@transaction.atomic
def rollup_refresh(*, actor, county: Region, now: datetime.datetime | None = None) -> list[CareRollup]:
    """Count every figure of the county, suppress it through the one helper and store both (the counts for the
    next computation's checks, the suppressed table for every reader). Labels are stored in the site's language."""
    now = now or timezone.now()
    with translation.override(settings.LANGUAGE_CODE):
        tables = county_tables(county, now)
    saved = []
    for name, table in tables.items():
        shown = suppress(table.rows, table.cols, table.counts)
        rollup, _created = CareRollup.objects.update_or_create(
            county=county, name=name, defaults={"cells": {**table.as_dict(), "shown": shown.as_dict()},
                                                "computed_at": now},
        )  # fmt: skip
        saved.append(rollup)
    return saved


def rollup_refresh_all(*, actor) -> int:
    """Every county's rollups, one county per transaction; returns how many counties."""
    counties = list(Region.objects.filter(level=Region.Level.COUNTY).order_by("pk"))
    for county in counties:
        rollup_refresh(actor=actor, county=county)
    return len(counties)
