"""The demo registry: 刘小宇 registered with his grandmother as carer, and generated households in bulk."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from xieyu.care.models import RegistryEntry, RegistryReview
from xieyu.deadlines.models import Deadline
from xieyu.deadlines.services import deadline_for
from xieyu.demo.care_registry import seed_registry

pytestmark = pytest.mark.once


def _liu_is_registered():
    liu = RegistryEntry.objects.select_related("student", "community").get(student__name="刘小宇")
    assert liu.state == "confirmed" and liu.community.name == "龙下乡雅溪村"
    assert (liu.carer_name, liu.carer_type, liu.carer_phone, liu.carer_source) == (
        "赵秀英", "grandparent", "13800000032", "women_federation")  # fmt: skip
    assert list(liu.categories.values_list("category", "source")) == [("left_behind_both", "school_survey")]
    assert sorted(liu.absent_parents.values_list("who", "name", "works_in")) == [
        ("father", "刘军", "广东省东莞市"), ("mother", "陈梅", "广东省东莞市")]  # fmt: skip
    done, open_ = liu.reviews.filter(done_at__isnull=False).get(), liu.reviews.get(done_at__isnull=True)
    assert done.due_on < open_.due_on == liu.next_review_on
    assert deadline_for(open_).state == Deadline.State.RUNNING
    assert liu.surveys.count() == 1
    return liu


def test_the_cast_alone_has_liu_xiaoyu_and_no_bulk(cast):
    seed_registry(cast)
    _liu_is_registered()
    assert RegistryEntry.objects.count() == 1
    seed_registry(cast)  # a second run changes nothing
    assert RegistryEntry.objects.count() == 1


def test_a_generated_county_has_a_mixed_registry_with_open_reviews_on_the_engine(db):
    call_command("seed_demo", schools=4, students=1600, stdout=StringIO())
    _liu_is_registered()
    entries = RegistryEntry.objects.exclude(student__name="刘小宇")
    assert entries.count() > 5
    assert set(entries.values_list("state", flat=True)) <= {"proposed", "confirmed"}
    confirmed = entries.filter(state="confirmed")
    open_reviews = RegistryReview.objects.filter(entry__in=confirmed, done_at__isnull=True)
    assert open_reviews.count() == confirmed.count()
    review_deadlines = Deadline.objects.filter(target_type="care.registryreview", state="running")
    assert review_deadlines.count() == open_reviews.count() + 1  # and 刘小宇's
    assert entries.filter(state="proposed").exists()  # some await the school admin
