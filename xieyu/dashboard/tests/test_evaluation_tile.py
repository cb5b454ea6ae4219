"""The dashboard's evaluation tile: the semester's latest wave's mean score per class, and its change on the families
who answered both waves (a family that answered one wave only counts in the mean, not in the change)."""

import pytest
from django.utils import timezone

from xieyu.dashboard.figures.evaluation import evaluation_change, evaluation_total
from xieyu.directory.models import Student
from xieyu.parentschool.semester import semester_of
from xieyu.surveys.tests.evaluation_fixtures import evaluation, flat  # noqa: F401 — the fixture

pytestmark = pytest.mark.django_db


def test_the_tile_counts_the_latest_wave_and_the_change_on_paired_families(cast, evaluation):  # noqa: F811
    a, b, c = Student.objects.filter(school_class=cast.class_a1).order_by("pk")[:3]
    evaluation.answer(a, 2, flat(60))
    evaluation.answer(b, 2, flat(70))
    evaluation.answer(a, 3, flat(70))
    evaluation.answer(b, 3, flat(65))
    evaluation.answer(c, 3, flat(80))  # new this wave: in the mean, not in the change
    now = timezone.now()
    sem = semester_of(now)

    assert evaluation_total(cast.county, sem, now)[cast.class_a1.pk] == (215, 3)
    assert evaluation_change(cast.county, sem, now)[cast.class_a1.pk] == (5, 2)
    assert evaluation_total(cast.county, semester_of(now.replace(year=now.year - 2)), now) == {}
