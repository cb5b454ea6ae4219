"""The working-time calendar of a county: working hours, State Council holidays and 调休, the county's own days.

A day is a working day by, in order: the county's own entry (CalendarDay), the official make-up working days and
days off of that year (`holidays.China`), then the weekday. Years whose official schedule the library does not
hold yet (no make-up or substituted days known, e.g. 2027 until the library catches up) fall back to weekends and
the statutory days only — the library's estimated "observed" days are not used, since the State Council's real
schedule usually differs — and the county admin is warned to enter the year's schedule.

Working hours are one interval a day (default 08:00–17:30). Amounts in hours count working seconds; amounts in
days count whole working days: "within 2 working days" ends at the close of the 2nd working day after the start
day. Every datetime returned is aware, in Asia/Shanghai.
"""

from __future__ import annotations

import datetime
import functools
import logging
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone

from .models import DEFAULT_DAY_END, DEFAULT_DAY_START, CalendarDay, CountyCalendar, ScheduleYear, Unit

logger = logging.getLogger("xieyu.deadlines")
TZ = ZoneInfo("Asia/Shanghai")
# From this day of the year on, a missing schedule for the next year is warned about (the State Council
# usually publishes it in late October or November).
WARN_NEXT_YEAR_FROM = (11, 1)
MAX_SEARCH_DAYS = 400


class CalendarError(ValueError):
    """The calendar cannot answer (e.g. more than a year without a single working day)."""


@dataclass(frozen=True)
class YearSchedule:
    year: int
    official: bool  # the library holds the State Council's make-up / substituted days for this year
    days_off: frozenset[datetime.date]
    workdays: frozenset[datetime.date]
    names: dict[datetime.date, str] = field(default_factory=dict, compare=False, hash=False)


def _library_has_schedule(year: int) -> bool:
    import holidays

    try:
        from holidays.countries.china import ChinaStaticHolidays

        special = getattr(ChinaStaticHolidays, "special_public_holidays", {})
    except ImportError:  # pragma: no cover - a future library layout
        special = {}
    if year in special:
        return True
    return any(d.year == year for d in getattr(holidays.China(years=year), "weekend_workdays", ()))


@functools.lru_cache(maxsize=256)
def official_schedule(year: int) -> YearSchedule:
    """The official days off and make-up working days of one year (statutory days only when not published)."""
    import holidays

    try:
        official = _library_has_schedule(year)
        cn = holidays.China(years=year, observed=official, language="zh_CN")
    except Exception:  # a year or a library version it cannot answer for: weekends (and county days) only
        logger.exception("holidays.China failed for %s; counting weekends only", year)
        return YearSchedule(year=year, official=False, days_off=frozenset(), workdays=frozenset())
    names = {d: str(name) for d, name in cn.items() if d.year == year}
    workdays = frozenset(d for d in getattr(cn, "weekend_workdays", ()) if d.year == year) if official else frozenset()
    return YearSchedule(year=year, official=official, days_off=frozenset(names), workdays=workdays, names=names)


def _amount(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


@dataclass
class WorkCalendar:
    """One county's calendar, loaded once and cached per process until the county's stamp changes."""

    county_id: int | None
    day_start: datetime.time = DEFAULT_DAY_START
    day_end: datetime.time = DEFAULT_DAY_END
    entries: dict[datetime.date, str] = field(default_factory=dict)
    confirmed_years: frozenset[int] = frozenset()
    stamp: str = ""

    # --- days ----------------------------------------------------------------------------------------------

    @property
    def day_seconds(self) -> int:
        return int(
            (
                datetime.datetime.combine(datetime.date(2000, 1, 3), self.day_end)
                - datetime.datetime.combine(datetime.date(2000, 1, 3), self.day_start)
            ).total_seconds()
        )

    def base_is_working_day(self, day: datetime.date) -> bool:
        """Working day by the official calendar alone, without the county's entries."""
        schedule = official_schedule(day.year)
        if day in schedule.workdays:
            return True
        if day in schedule.days_off:
            return False
        return day.weekday() < 5

    def is_working_day(self, day: datetime.date) -> bool:
        kind = self.entries.get(day)
        if kind is not None:
            return kind == CalendarDay.Kind.WORKDAY
        return self.base_is_working_day(day)

    def next_working_day(self, day: datetime.date) -> datetime.date:
        """The first working day strictly after `day`."""
        for _ in range(MAX_SEARCH_DAYS):
            day += datetime.timedelta(days=1)
            if self.is_working_day(day):
                return day
        raise CalendarError(f"no working day within {MAX_SEARCH_DAYS} days after {day}")

    def previous_working_day(self, day: datetime.date) -> datetime.date:
        for _ in range(MAX_SEARCH_DAYS):
            day -= datetime.timedelta(days=1)
            if self.is_working_day(day):
                return day
        raise CalendarError(f"no working day within {MAX_SEARCH_DAYS} days before {day}")

    def opens(self, day: datetime.date) -> datetime.datetime:
        return datetime.datetime.combine(day, self.day_start, tzinfo=TZ)

    def closes(self, day: datetime.date) -> datetime.datetime:
        return datetime.datetime.combine(day, self.day_end, tzinfo=TZ)

    # --- working time --------------------------------------------------------------------------------------

    def add(self, start: datetime.datetime, amount, unit: str = Unit.HOURS) -> datetime.datetime:
        """`start` plus `amount` working hours or working days."""
        start = _local(start)
        amount = _amount(amount)
        if amount < 0:
            if unit == Unit.DAYS:
                amount *= Decimal(self.day_seconds) / 3600
            return self.subtract_seconds(start, int(round(-amount * 3600)))
        if unit == Unit.DAYS:
            whole = int(amount)
            rest = amount - whole
            if whole == 0:
                return self.add_seconds(start, int(round(rest * self.day_seconds)))
            day = start.date()
            for _ in range(whole):
                day = self.next_working_day(day)
            return self.add_seconds(self.closes(day), int(round(rest * self.day_seconds)))
        if unit != Unit.HOURS:
            raise ValueError(f"unknown unit {unit!r}")
        return self.add_seconds(start, int(round(amount * 3600)))

    def add_seconds(self, t: datetime.datetime, seconds: int) -> datetime.datetime:
        t = _local(t)
        if seconds == 0:
            return t
        if seconds < 0:
            return self.subtract_seconds(t, -seconds)
        day = t.date()
        if not self.is_working_day(day) or t >= self.closes(day):
            day = self.next_working_day(day)
            t = self.opens(day)
        elif t < self.opens(day):
            t = self.opens(day)
        while True:
            available = int((self.closes(day) - t).total_seconds())
            if seconds <= available:
                return t + datetime.timedelta(seconds=seconds)
            seconds -= available
            day = self.next_working_day(day)
            t = self.opens(day)

    def subtract_seconds(self, t: datetime.datetime, seconds: int) -> datetime.datetime:
        t = _local(t)
        if seconds <= 0:
            return self.add_seconds(t, -seconds)
        day = t.date()
        if not self.is_working_day(day) or t <= self.opens(day):
            day = self.previous_working_day(day)
            t = self.closes(day)
        elif t > self.closes(day):
            t = self.closes(day)
        while True:
            available = int((t - self.opens(day)).total_seconds())
            if seconds < available:  # exactly a day's start: answer the previous working day's close instead
                return t - datetime.timedelta(seconds=seconds)
            seconds -= available
            day = self.previous_working_day(day)
            t = self.closes(day)

    def seconds_between(self, a: datetime.datetime, b: datetime.datetime) -> int:
        """Working seconds from a to b (negative when b is before a)."""
        a, b = _local(a), _local(b)
        if b < a:
            return -self.seconds_between(b, a)
        total = 0
        day = a.date()
        while day <= b.date():
            if self.is_working_day(day):
                lo, hi = max(a, self.opens(day)), min(b, self.closes(day))
                if hi > lo:
                    total += int((hi - lo).total_seconds())
            day += datetime.timedelta(days=1)
        return total

    def amount_seconds(self, amount, unit: str) -> int:
        """An amount as working seconds (a working day is one full working day of this county)."""
        amount = _amount(amount)
        per = self.day_seconds if unit == Unit.DAYS else 3600
        return int(round(amount * per))

    # --- official schedule ---------------------------------------------------------------------------------

    def years_without_schedule(self, years) -> list[int]:
        """Of these years, those neither in the library nor confirmed by the county as entered."""
        return [y for y in sorted(set(years)) if not official_schedule(y).official and y not in self.confirmed_years]

    def fallback_between(self, a: datetime.datetime, b: datetime.datetime | None) -> bool:
        end = _local(b or a)
        return bool(self.years_without_schedule(range(_local(a).year, end.year + 1)))


def _local(t: datetime.datetime) -> datetime.datetime:
    if timezone.is_naive(t):
        raise ValueError("naive datetime: working time needs aware datetimes")
    return t.astimezone(TZ)


# --- loading and caching -----------------------------------------------------------------------------------

_CACHE: dict[int, WorkCalendar] = {}


def calendar_for(county) -> WorkCalendar:
    """The county's calendar: one small query to compare its stamp, two more when it changed since last time."""
    if isinstance(county, WorkCalendar):
        return county
    county_id = getattr(county, "pk", county)
    row = CountyCalendar.objects.filter(county_id=county_id).values_list("stamp", "day_start", "day_end").first()
    if row is None:
        return WorkCalendar(county_id=county_id)
    stamp, day_start, day_end = row
    cached = _CACHE.get(county_id)
    if cached is not None and cached.stamp == stamp:
        return cached
    cal = WorkCalendar(
        county_id=county_id,
        day_start=day_start,
        day_end=day_end,
        entries=dict(CalendarDay.objects.filter(county_id=county_id).values_list("date", "kind")),
        confirmed_years=frozenset(ScheduleYear.objects.filter(county_id=county_id).values_list("year", flat=True)),
        stamp=stamp,
    )
    _CACHE[county_id] = cal
    return cal


def is_working_day(county, day: datetime.date) -> bool:
    return calendar_for(county).is_working_day(day)


def add_working_time(county, start: datetime.datetime, amount, unit: str = "hours") -> datetime.datetime:
    """`start` plus `amount` working hours ("hours") or whole working days ("days"), as an aware datetime."""
    return calendar_for(county).add(start, amount, unit)


def working_days_until(county, day: datetime.date) -> int:
    """Working days from today up to `day` (the county's calendar), at least one: a deadline's length in days."""
    cal = calendar_for(county)
    today, n = timezone.localdate(), 0
    while True:
        nxt = cal.next_working_day(today)
        if nxt > day:
            break
        today, n = nxt, n + 1
    return max(n, 1)


def working_time_between(county, a: datetime.datetime, b: datetime.datetime) -> datetime.timedelta:
    return datetime.timedelta(seconds=calendar_for(county).seconds_between(a, b))


def schedule_warning_years(county, today: datetime.date | None = None) -> list[int]:
    """Years the county admin should enter the State Council schedule for now (empty: nothing to warn about).

    Other pages call this to show the same warning: the current year always, the next year from November.
    """
    today = today or timezone.localdate()
    years = [today.year]
    if (today.month, today.day) >= WARN_NEXT_YEAR_FROM:
        years.append(today.year + 1)
    return calendar_for(county).years_without_schedule(years)


def year_status(county, years) -> list[dict]:
    """For the calendar page: each year, whether the library holds it and whether the county confirmed it."""
    cal = calendar_for(county)
    return [
        {
            "year": y,
            "official": official_schedule(y).official,
            "confirmed": y in cal.confirmed_years,
            "missing": not official_schedule(y).official and y not in cal.confirmed_years,
        }
        for y in years
    ]
