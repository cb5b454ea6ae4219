"""The working-time calendar: State Council holidays and 调休, working hours, county days, the 2027 fallback."""

import pytest

from xieyu.deadlines.models import CalendarDay
from xieyu.deadlines.services import calendar_day_add, calendar_hours_set, calendar_year_confirm
from xieyu.deadlines.workcalendar import (
    WorkCalendar,
    add_working_time,
    calendar_for,
    is_working_day,
    official_schedule,
    schedule_warning_years,
    working_time_between,
)

from .helpers import at, day, local

CAL = WorkCalendar(county_id=None)  # the default calendar: 08:00–17:30, official days only


# --- the library, checked on the years we rely on ---------------------------------------------------------------


@pytest.mark.parametrize(
    "date, working",
    [
        ("2026-09-30", True),  # Wednesday before National Day
        ("2026-10-01", False),
        ("2026-10-03", False),  # Saturday in the golden week
        ("2026-10-04", False),  # Sunday in the golden week
        ("2026-10-05", False),
        ("2026-10-07", False),
        ("2026-10-08", True),
        ("2026-10-10", True),  # Saturday make-up working day (调休上班)
        ("2026-10-11", False),  # an ordinary Sunday
        ("2026-09-20", True),  # Sunday make-up working day
        ("2026-09-25", False),  # Mid-Autumn Festival, a Friday
        ("2026-02-14", True),  # Spring Festival make-up Saturday
        ("2026-02-23", False),  # a Monday off in lieu
        ("2025-09-28", True),  # 2025 too: Sunday make-up working day
        ("2025-10-08", False),
        ("2025-10-11", True),
        ("2026-11-16", True),  # an ordinary Monday
    ],
)
def test_the_official_schedule_of_2025_and_2026(date, working):
    assert CAL.is_working_day(day(date)) is working


def test_2025_and_2026_are_official_and_2027_is_not_yet():
    assert official_schedule(2025).official and official_schedule(2026).official
    s2027 = official_schedule(2027)
    assert not s2027.official
    assert not s2027.workdays
    # Statutory days only: the library's estimated "observed" days (2027-02-09, 02-10) are not taken as days off.
    assert day("2027-02-08") in s2027.days_off
    assert day("2027-02-09") not in s2027.days_off
    assert CAL.is_working_day(day("2027-02-09"))
    assert not CAL.is_working_day(day("2027-10-01"))


# --- working hours and days --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "start, amount, unit, due",
    [
        # Working-hours boundaries.
        ("2026-11-16 17:00", 2, "hours", "2026-11-17 09:30"),
        ("2026-11-16 07:00", 2, "hours", "2026-11-16 10:00"),
        ("2026-11-16 15:30", 2, "hours", "2026-11-16 17:30"),
        ("2026-11-16 18:00", 1, "hours", "2026-11-17 09:00"),
        # An ordinary weekend: Friday 17:00 + 2 h → Monday 09:30.
        ("2026-11-13 17:00", 2, "hours", "2026-11-16 09:30"),
        ("2026-11-14 10:00", 1, "hours", "2026-11-16 09:00"),
        # Whole working days: the close of the n-th working day after the start day.
        ("2026-11-13 15:00", 1, "days", "2026-11-16 17:30"),
        ("2026-11-13 15:00", 2, "days", "2026-11-17 17:30"),
        ("2026-11-14 10:00", 1, "days", "2026-11-16 17:30"),
        # National Day 2026: Wednesday 30 Sep is the last working day; 1–7 Oct off; Sat 10 Oct works.
        ("2026-09-30 15:00", 2, "days", "2026-10-09 17:30"),
        ("2026-09-30 15:00", 3, "days", "2026-10-10 17:30"),
        ("2026-09-30 15:00", 4, "days", "2026-10-12 17:30"),
        ("2026-09-30 16:00", 4, "hours", "2026-10-08 10:30"),
        ("2026-10-09 16:00", 2, "hours", "2026-10-10 08:30"),
        # Friday before National Day 2025: Sunday 28 Sep is a make-up working day.
        ("2025-09-26 15:00", 2, "days", "2025-09-29 17:30"),
        # Friday before the Sunday make-up day of 2026.
        ("2026-09-18 15:00", 1, "days", "2026-09-20 17:30"),
        # 2027 without an official schedule: statutory days only (5–8 Feb off), Tuesday 9 Feb works.
        ("2027-02-04 15:00", 2, "days", "2027-02-10 17:30"),
        # Zero changes nothing.
        ("2026-10-03 12:00", 0, "hours", "2026-10-03 12:00"),
    ],
)
def test_add_working_time(start, amount, unit, due):
    assert local(CAL.add(at(start), amount, unit)) == due


def test_results_are_aware_in_shanghai_and_naive_input_is_refused():
    due = CAL.add(at("2026-11-16 17:00"), 2)
    assert due.utcoffset().total_seconds() == 8 * 3600
    with pytest.raises(ValueError):
        CAL.add(at("2026-11-16 17:00").replace(tzinfo=None), 2)


def test_working_time_between_counts_only_working_hours():
    assert CAL.seconds_between(at("2026-11-13 17:00"), at("2026-11-16 09:30")) == 2 * 3600
    # Across National Day: 30 Sep 10:00–17:30 and 8 Oct 08:00–10:00.
    assert CAL.seconds_between(at("2026-09-30 10:00"), at("2026-10-08 10:00")) == int(9.5 * 3600)
    assert CAL.seconds_between(at("2026-10-08 10:00"), at("2026-09-30 10:00")) == -int(9.5 * 3600)
    assert CAL.seconds_between(at("2026-10-03 10:00"), at("2026-10-04 10:00")) == 0


def test_subtracting_walks_back_over_holidays():
    assert local(CAL.add(at("2026-10-08 09:00"), -2, "hours")) == "2026-09-30 16:30"
    assert local(CAL.add(at("2026-11-16 17:30"), -1, "days")) == "2026-11-13 17:30"


# --- the county's calendar ---------------------------------------------------------------------------------------


def test_county_days_and_hours_change_the_count(cast):
    county, chen = cast.county, cast.county_admin_chen
    start = at("2026-11-13 15:00")
    assert local(add_working_time(county, start, 2, "days")) == "2026-11-17 17:30"
    calendar_day_add(actor=chen, county=county, date=day("2026-11-16"), kind=CalendarDay.Kind.DAY_OFF, note="县运动会")
    assert not is_working_day(county, day("2026-11-16"))
    assert local(add_working_time(county, start, 2, "days")) == "2026-11-18 17:30"
    calendar_day_add(actor=chen, county=county, date=day("2026-11-14"), kind=CalendarDay.Kind.WORKDAY)
    assert local(add_working_time(county, start, 2, "days")) == "2026-11-17 17:30"
    calendar_hours_set(
        actor=chen, county=county, day_start=at("2026-01-01 08:30").time(), day_end=at("2026-01-01 17:00").time()
    )
    assert local(add_working_time(county, at("2026-11-17 16:00"), 2)) == "2026-11-18 09:30"
    assert working_time_between(county, at("2026-11-17 08:00"), at("2026-11-17 18:00")).total_seconds() == 8.5 * 3600


def test_the_county_calendar_is_cached_until_it_changes(cast, django_assert_num_queries):
    county = cast.county
    calendar_day_add(actor=cast.county_admin_chen, county=county, date=day("2026-11-16"), kind="day_off")
    calendar_for(county)
    with django_assert_num_queries(1):  # only the stamp
        cal = calendar_for(county)
        for n in range(300):
            cal.is_working_day(day("2026-01-01").replace(day=1 + n % 28))
    calendar_day_add(actor=cast.county_admin_chen, county=county, date=day("2026-11-17"), kind="day_off")
    with django_assert_num_queries(3):  # stamp changed: reload days and confirmed years
        assert not calendar_for(county).is_working_day(day("2026-11-17"))


def test_a_missing_schedule_is_warned_about_until_the_county_enters_it(cast):
    county = cast.county
    assert schedule_warning_years(county, today=day("2026-06-01")) == []
    assert schedule_warning_years(county, today=day("2026-11-20")) == [2027]
    assert schedule_warning_years(county, today=day("2027-01-04")) == [2027]
    calendar_year_confirm(actor=cast.county_admin_chen, county=county, year=2027)
    assert schedule_warning_years(county, today=day("2027-01-04")) == []
