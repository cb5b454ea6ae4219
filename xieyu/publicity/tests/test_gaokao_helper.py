"""The helper's one rule, on combinations the table was not written around: which majors stay open."""

from __future__ import annotations

import pytest

from xieyu.publicity.gaokao.combos import COMBINATIONS, check_choice, is_open, outcome
from xieyu.publicity.gaokao.models import MajorRequirement

from .gaokao_cases_fixtures import majors  # noqa: F401


def req(first, subjects=(), mode="none"):
    return MajorRequirement(discipline="工学", major="x", first=first, subjects=list(subjects), mode=mode)


def test_there_are_twelve_combinations_of_one_first_and_two_re_chosen_subjects():
    assert len(COMBINATIONS) == 12
    assert len(set(COMBINATIONS)) == 12
    assert all(check_choice(first, pair) is None for first, pair in COMBINATIONS)


@pytest.mark.parametrize("first, subjects, problem", [
    ("either", ["chemistry", "biology"], "first"), ("physics", ["chemistry"], "subjects"),
    ("physics", ["chemistry", "chemistry"], "subjects"), ("history", ["chemistry", "physics"], "subjects"),
    ("physics", ["chemistry", "biology", "geography"], "subjects"),
])  # fmt: skip
def test_a_choice_outside_the_twelve_is_named(first, subjects, problem):
    assert check_choice(first, subjects) == problem


@pytest.mark.parametrize("requirement, first, subjects, expected", [
    (req("physics", ["chemistry"], "all"), "physics", ["chemistry", "geography"], True),
    (req("physics", ["chemistry"], "all"), "history", ["chemistry", "geography"], False),
    (req("physics", ["chemistry"], "all"), "physics", ["biology", "geography"], False),
    (req("physics", ["chemistry", "biology"], "all"), "physics", ["chemistry", "politics"], False),
    (req("physics", ["chemistry", "biology"], "all"), "physics", ["biology", "chemistry"], True),
    (req("physics", ["chemistry", "biology"], "any"), "physics", ["biology", "politics"], True),
    (req("physics", ["chemistry", "biology"], "any"), "physics", ["politics", "geography"], False),
    (req("either", ["geography"], "all"), "history", ["politics", "geography"], True),
    (req("either"), "history", ["politics", "geography"], True),
    (req("history"), "physics", ["politics", "geography"], False),
    (req("either", ["chemistry", "biology"], "any"), "history", ["biology", "geography"], True),
])  # fmt: skip
def test_a_major_is_open_only_when_the_first_choice_and_its_re_chosen_subjects_are_met(requirement, first, subjects,
                                                                                      expected):  # fmt: skip
    assert is_open(requirement, first, subjects) is expected


def _open(rows, first, subjects) -> set[str]:
    result = outcome(rows, first, subjects)
    return {m.major for d in result.disciplines for m in d.open}


def test_the_seeded_table_on_held_out_combinations(cast, majors):  # noqa: F811
    rows = list(MajorRequirement.objects.filter(county=cast.county).order_by("discipline", "major"))
    assert len(rows) >= 60 and len({r.discipline for r in rows}) >= 10
    science = _open(rows, "physics", ["chemistry", "biology"])
    assert {"临床医学", "口腔医学", "计算机科学与技术", "生物科学", "农学", "汉语言文学"} <= science
    assert not {"历史学", "地理科学", "政治学与行政学"} & science
    physics_geo = _open(rows, "physics", ["politics", "geography"])
    assert {"数学与应用数学", "建筑学", "地理科学", "法学"} <= physics_geo
    assert not {"临床医学", "化学", "计算机科学与技术", "农学"} & physics_geo
    humanities = _open(rows, "history", ["politics", "geography"])
    assert {"历史学", "法学", "政治学与行政学", "地理科学", "汉语言文学"} <= humanities
    assert not {"数学与应用数学", "临床医学", "护理学", "计算机科学与技术"} & humanities
    history_bio = _open(rows, "history", ["biology", "geography"])
    assert "护理学" in history_bio and "中医学" not in history_bio
    result = outcome(rows, "physics", ["chemistry", "biology"])
    assert result.total == len(rows) and result.open_count == len(science)
    assert result.percent == round(100 * len(science) / len(rows))
    # every major is open to at least one combination, and no combination opens them all
    counts = [outcome(rows, f, pair).open_count for f, pair in COMBINATIONS]
    assert max(counts) < len(rows)
    assert set().union(*(_open(rows, f, pair) for f, pair in COMBINATIONS)) == {r.major for r in rows}
