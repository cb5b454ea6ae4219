"""The 3+1+2 model and the helper's one rule: which majors a subject combination keeps open.

Every student takes 语文, 数学 and 外语 (the "3"), chooses one of physics and history first (the "1", 首选) and two
of chemistry, biology, politics and geography (the "2", 再选): 2 × 6 = 12 combinations. A major asks for a first
choice (physics, history, or either) and for re-chosen subjects: none, all of those named, or any one of them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations

from .models import FirstChoice, MajorRequirement, Subject

FIRSTS = (FirstChoice.PHYSICS, FirstChoice.HISTORY)
SUBJECTS = tuple(Subject)
COMBINATIONS: tuple[tuple[str, tuple[str, str]], ...] = tuple(
    (first.value, (a.value, b.value)) for first in FIRSTS for a, b in combinations(SUBJECTS, 2)
)


def is_open(requirement: MajorRequirement, first: str, subjects: Iterable[str]) -> bool:
    """Whether a student with this first choice and these re-chosen subjects may apply for the major."""
    if requirement.first != FirstChoice.EITHER and requirement.first != first:
        return False
    asked = set(requirement.subjects or ())
    chosen = set(subjects)
    if requirement.mode == MajorRequirement.Mode.NONE or not asked:
        return True
    if requirement.mode == MajorRequirement.Mode.ALL:
        return asked <= chosen
    return bool(asked & chosen)


def check_choice(first: str, subjects: Iterable[str]) -> str | None:
    """None when the choice is one of the 12 combinations, else what is wrong (untranslated key)."""
    chosen = list(dict.fromkeys(subjects))
    if first not in {f.value for f in FIRSTS}:
        return "first"
    if len(chosen) != 2 or any(s not in Subject.values for s in chosen):
        return "subjects"
    return None


@dataclass
class Discipline:
    name: str
    open: list[MajorRequirement]
    closed: list[MajorRequirement]


@dataclass
class Outcome:
    total: int
    open_count: int
    disciplines: list[Discipline]

    @property
    def percent(self) -> int:
        return round(100 * self.open_count / self.total) if self.total else 0


def outcome(requirements: Iterable[MajorRequirement], first: str, subjects: Iterable[str]) -> Outcome:
    """The majors open and closed to the combination, by discipline (in the order the table lists them)."""
    chosen = tuple(subjects)
    by_name: dict[str, Discipline] = {}
    total = opened = 0
    for r in requirements:
        d = by_name.setdefault(r.discipline, Discipline(r.discipline, [], []))
        total += 1
        if is_open(r, first, chosen):
            opened += 1
            d.open.append(r)
        else:
            d.closed.append(r)
    return Outcome(total=total, open_count=opened, disciplines=list(by_name.values()))


def subject_label(value: str) -> str:
    return str(Subject(value).label) if value in Subject.values else value


def requirement_text(r: MajorRequirement) -> str:
    """The requirement as parents read it: 首选物理,再选化学和生物(均须选考)."""
    from django.utils.translation import gettext as _

    first = {
        FirstChoice.PHYSICS: _("first choice physics"),
        FirstChoice.HISTORY: _("first choice history"),
        FirstChoice.EITHER: _("first choice physics or history"),
    }[FirstChoice(r.first)]
    names = [subject_label(s) for s in r.subjects or ()]
    if r.mode == MajorRequirement.Mode.NONE or not names:
        return _("%(first)s; no re-chosen subject asked") % {"first": first}
    joined = "、".join(names)
    if len(names) == 1:
        return _("%(first)s; re-chosen: %(subjects)s required") % {"first": first, "subjects": joined}
    if r.mode == MajorRequirement.Mode.ALL:
        return _("%(first)s; re-chosen: %(subjects)s (all required)") % {"first": first, "subjects": joined}
    return _("%(first)s; re-chosen: any one of %(subjects)s") % {"first": first, "subjects": joined}
