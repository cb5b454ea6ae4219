"""The demo county's dashboard figures, computed last, after every other part is seeded: the last semester (for the
trends), a month ago (for the monthly report's changes) and now, so 陈建国 sees figures on a fresh `make run`."""

from __future__ import annotations

import datetime

from django.utils import timezone

from xieyu.dashboard.figures.services import figures_refresh
from xieyu.parentschool.semester import semester_of


def seed_dashboard(cast, now: datetime.datetime | None = None) -> int:
    now = now or timezone.now()
    sem = semester_of(now)
    before = semester_of(sem.start - datetime.timedelta(days=1))
    figures_refresh(actor=None, county=cast.county, sem=before, now=now)
    figures_refresh(actor=None, county=cast.county, now=now - datetime.timedelta(days=31))
    return figures_refresh(actor=None, county=cast.county, now=now)
