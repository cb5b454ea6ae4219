"""Semesters: autumn runs 1 September to 31 January, spring 1 February to 31 August."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Semester:
    code: str
    start: datetime.date
    end: datetime.date  # inclusive

    @property
    def label(self) -> str:
        year, part = self.code.split("-")
        if part == "autumn":
            return _("%(y1)s–%(y2)s school year, autumn semester") % {"y1": year, "y2": int(year) + 1}
        return _("%(y1)s–%(y2)s school year, spring semester") % {"y1": int(year) - 1, "y2": year}

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        tz = timezone.get_current_timezone()
        start = datetime.datetime.combine(self.start, datetime.time.min, tzinfo=tz)
        end = datetime.datetime.combine(self.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
        return start, end


def semester_of(day: datetime.date | datetime.datetime | None = None) -> Semester:
    if day is None:
        day = timezone.localdate()
    elif isinstance(day, datetime.datetime):
        day = timezone.localtime(day).date()
    if day.month >= 9:
        return Semester(f"{day.year}-autumn", datetime.date(day.year, 9, 1), datetime.date(day.year + 1, 1, 31))
    if day.month == 1:
        return Semester(f"{day.year - 1}-autumn", datetime.date(day.year - 1, 9, 1), datetime.date(day.year, 1, 31))
    return Semester(f"{day.year}-spring", datetime.date(day.year, 2, 1), datetime.date(day.year, 8, 31))
