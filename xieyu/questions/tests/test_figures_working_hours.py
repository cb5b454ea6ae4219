"""First-response figures count working hours on the county's calendar (the deadline engine's), not clock hours,
with a fixed number of queries."""

import datetime

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xieyu.deadlines.tests.helpers import at
from xieyu.questions.asking import figures, services


def _asked_and_answered(cast, ask, asked: str, answered: str):
    with time_machine.travel(at(asked), tick=False):
        q = ask()
    with time_machine.travel(at(answered), tick=False):
        services.question_answer(actor=cast.head_teacher_li, question=q, body="先和孩子约好写作业的时间。")
    return q


def test_a_weekend_does_not_count_as_waiting_time(cast, ask):
    # Friday 17:00 → Monday 09:00: half an hour on Friday (to 17:30) and one on Monday (from 08:00), not 64 hours.
    _asked_and_answered(cast, ask, "2026-11-20 17:00", "2026-11-23 09:00")
    with time_machine.travel(at("2026-11-24 09:00"), tick=False):
        fig = figures.question_figures(figures.Scope(county_id=cast.county.pk), days=30)
    assert fig["first_response_median"] == 1.5 and fig["first_response_p90"] == 1.5 and fig["responded"] == 1


def test_median_and_90th_percentile_in_working_hours(cast, ask):
    _asked_and_answered(cast, ask, "2026-11-16 09:00", "2026-11-16 10:00")  # 1 working hour
    _asked_and_answered(cast, ask, "2026-11-16 09:00", "2026-11-16 12:00")  # 3
    _asked_and_answered(cast, ask, "2026-11-16 16:30", "2026-11-17 09:00")  # 1 + 1 = 2 (the night does not count)
    with time_machine.travel(at("2026-11-24 09:00"), tick=False):
        fig = figures.question_figures(figures.Scope(school_id=cast.school_a.pk), days=30)
    assert fig["first_response_median"] == 2.0 and fig["first_response_p90"] == 2.8


def test_the_figures_run_a_fixed_number_of_queries(cast, ask, django_assert_max_num_queries):
    scope = figures.Scope(county_id=cast.county.pk)
    _asked_and_answered(cast, ask, "2026-11-16 09:00", "2026-11-16 10:00")
    with time_machine.travel(at("2026-11-24 09:00"), tick=False):
        figures.question_figures(scope, days=30)  # warm the calendar cache
        with CaptureQueriesContext(connection) as small:
            figures.question_figures(scope, days=30)
    day = datetime.date(2026, 11, 16)
    for i in range(8):
        d = (day + datetime.timedelta(days=i % 4)).isoformat()
        _asked_and_answered(cast, ask, f"{d} 09:00", f"{d} 1{i % 6}:00")
    with (
        time_machine.travel(at("2026-11-24 09:00"), tick=False),
        django_assert_max_num_queries(len(small.captured_queries)),
    ):
        assert figures.question_figures(scope, days=30)["responded"] == 9
