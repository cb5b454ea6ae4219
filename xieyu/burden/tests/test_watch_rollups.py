"""The rollups against a brute-force computation, and the flags: raised after two ended weeks over the line (the
head teacher and the school admin told), kept while over, cleared when a later week is under."""

from __future__ import annotations

import datetime
import random
import statistics

import pytest

from xieyu.burden.diary.models import Diary
from xieyu.burden.watch import figures as fig
from xieyu.burden.watch.models import BurdenFlag, WeekRollup
from xieyu.burden.watch.services import flags_evaluate, rollups_rebuild
from xieyu.notices.models import Delivery

from .diary_helpers import answer, pupils

W1 = datetime.date(2025, 3, 3)
W2, W3 = W1 + datetime.timedelta(days=7), W1 + datetime.timedelta(days=14)


def week_of(school_class, week, minutes, students=None):
    kids = students or list(school_class.students.order_by("pk"))
    for i, m in enumerate(minutes):
        answer(kids[i], week + datetime.timedelta(days=i % 5), homework_minutes=m)
    return kids


def test_class_school_and_county_rows_match_a_brute_force_count(cast):
    rng = random.Random(3)
    pupils(cast.class_a2, 12)
    for c in (cast.class_a1, cast.class_a2):
        kids = list(c.students.order_by("pk"))
        for k in kids:
            answer(k, W1 + datetime.timedelta(days=rng.randrange(5)), homework_minutes=rng.randrange(0, 150),
                   reading_minutes=rng.randrange(0, 60))  # fmt: skip
    rollups_rebuild(county=cast.county, weeks=[W1])
    for c in (cast.class_a1, cast.class_a2):
        values = list(Diary.objects.filter(school_class=c).values_list("homework_minutes", flat=True))
        row = WeekRollup.objects.get(unit=f"class:{c.pk}", week=W1, metric="homework")
        assert row.n_known == len(values) and row.median == statistics.median(values)
        assert row.n_over == sum(1 for v in values if v > 60)
        assert row.bins == fig.histogram("homework", values)
    everything = list(Diary.objects.filter(school=cast.school_a).values_list("homework_minutes", flat=True))
    school = WeekRollup.objects.get(unit=f"school:{cast.school_a.pk}", week=W1, metric="homework")
    assert school.n_known == len(everything) and school.n_over == sum(1 for v in everything if v > 60)
    # the median from the bins lies in the bin of the true median
    edges = fig.EDGES["homework"]
    true = statistics.median(everything)
    i = max(j for j, e in enumerate(edges) if e <= true)
    assert edges[i] <= school.median <= (edges[i + 1] if i + 1 < len(edges) else 10**6)
    county = WeekRollup.objects.get(unit=f"county:{cast.county.pk}", week=W1, metric="homework")
    assert county.n_known == Diary.objects.filter(homework_minutes__isnull=False).count()


def test_the_diary_saved_updates_its_class_week_at_once(cast):
    kids = pupils(cast.class_a2, 5)
    week_of(cast.class_a2, W1, [10, 20, 30, 40, 90], kids)
    row = WeekRollup.objects.get(unit=f"class:{cast.class_a2.pk}", week=W1, metric="homework")
    assert (row.n_known, row.median, row.n_over) == (5, 30, 1)
    assert WeekRollup.objects.filter(unit=f"school:{cast.school_a.pk}", week=W1, metric="homework").exists()


@pytest.fixture
def heavy_class(cast):
    kids = pupils(cast.class_a2, 6)
    week_of(cast.class_a2, W1, [70, 80, 90, 75, 65, 50], kids)
    return cast, kids


def test_two_weeks_over_the_line_raise_a_flag_and_tell_the_head_teacher_and_school(heavy_class, cast):
    from xieyu.accounts.models import Role
    from xieyu.accounts.services import membership_grant

    membership_grant(actor=None, user=cast.teacher_he, role=Role.HEAD_TEACHER, unit=cast.class_a2)
    _c, kids = heavy_class
    flags_evaluate(county_id=cast.county.pk, week=W1)
    assert not BurdenFlag.objects.exists()  # one week alone is not enough
    week_of(cast.class_a2, W2, [70, 80, 90, 75, 65, 50], kids)  # the diaries of an ended week judge it at once
    flag = BurdenFlag.objects.get(school_class=cast.class_a2, metric="homework", state="open")
    assert (flag.first_week, flag.last_week, flag.figures["median"]) == (W1, W2, 72.5)
    told = set(Delivery.objects.filter(notice__topic="burden.flag").values_list("guardian__user", "user"))
    told_users = {u for pair in told for u in pair if u}
    assert {cast.teacher_he.pk, cast.school_admin_liu.pk} <= told_users
    assert cast.head_teacher_li.pk not in told_users  # not her class
    body = " ".join(Delivery.objects.filter(notice__topic="burden.flag").values_list("notice__body", flat=True))
    assert all(k.name not in body for k in kids)


def test_a_later_week_under_the_line_clears_the_flag(heavy_class, cast):
    _c, kids = heavy_class
    week_of(cast.class_a2, W2, [70, 80, 90, 75, 65, 50], kids)
    assert BurdenFlag.objects.filter(state="open").count() == 1
    week_of(cast.class_a2, W3, [20, 30, 40, 30, 20, 10], kids)
    flag = BurdenFlag.objects.get()
    assert flag.state == "cleared" and flag.cleared_at is not None
    rollups_rebuild(county=cast.county, weeks=[W1, W2, W3])  # reconciling again raises nothing new
    assert BurdenFlag.objects.count() == 1


def test_too_few_answers_neither_raise_nor_clear(cast):
    kids = pupils(cast.class_a2, 4)
    week_of(cast.class_a2, W1, [90, 90, 90, 90], kids)
    week_of(cast.class_a2, W2, [90, 90, 90, 90], kids)
    assert not BurdenFlag.objects.exists()
