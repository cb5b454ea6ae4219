"""Academic years (学年): a year is named by the calendar year it starts in (2026 → "2026-2027学年"), from September."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

YEAR_MIN, YEAR_MAX = 2000, 2100
FIRST_MONTH = 8  # the new academic year's work is planned from August


def current_year(today: datetime.date | None = None) -> int:
    today = today or timezone.localdate()
    return today.year if today.month >= FIRST_MONTH else today.year - 1


def year_label(year: int) -> str:
    return _("%(start)s-%(end)s academic year") % {"start": year, "end": year + 1}


def year_choices(around: int | None = None) -> list[tuple[int, str]]:
    year = around or current_year()
    return [(y, year_label(y)) for y in (year - 1, year, year + 1)]
