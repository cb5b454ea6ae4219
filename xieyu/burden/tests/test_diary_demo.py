"""The demo's diary story: eight weeks across the county, 三年级1班 flagged over the homework line for the last two
weeks, and an open diary waiting for 赵秀英."""

from __future__ import annotations

import pytest

from xieyu.burden.diary.models import Diary, DiaryRequest
from xieyu.burden.watch.display import shown_week
from xieyu.burden.watch.models import BurdenFlag, WeekRollup
from xieyu.demo.burden_diary import seed_diary
from xieyu.demo.county import seed_bulk

pytestmark = pytest.mark.once


@pytest.fixture
def seeded(cast):
    seed_bulk(cast, schools=3, students=300)
    seed_diary(cast)
    return cast


def test_the_demo_flags_li_nas_class_and_leaves_a_diary_for_grandma_zhao(seeded):
    cast = seeded
    assert Diary.objects.values("week").distinct().count() == 8
    flag = BurdenFlag.objects.get(school_class=cast.class_a1, metric="homework", state="open")
    assert flag.last_week == shown_week() and flag.figures["median"] > 60
    row = WeekRollup.objects.get(unit=f"class:{cast.class_a1.pk}", week=shown_week(), metric="homework")
    assert row.median > 60 and row.n_known >= 5
    req = DiaryRequest.objects.get(guardian__user=cast.grandma_zhao, answered_at__isnull=True)
    assert req.student == cast.students["liu_xiaoyu"]
