"""Families reached otherwise than by a notice's channels.

A family with no account and no phone is 未触达 in the receipt figures, unless a higher app knows it was reached
another way (a head teacher's recent home visit). Such an app registers, when it loads, a function that takes the
path to a student from the row being counted ("guardian__guardianships__student", "student") and returns a
boolean expression (an Exists) true when that student's family was reached otherwise. The notices never import it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Exists, Q

ReachedOtherwise = Callable[[str], Exists]

_registry: dict[str, ReachedOtherwise] = {}


def register_reached_otherwise(name: str, fn: ReachedOtherwise) -> None:
    """Add (or replace, by name) one way a family counts as reached."""
    _registry[name] = fn


def reached_otherwise_q(student_ref: str) -> Q | None:
    """True where the student's family was reached otherwise; None when nothing is registered."""
    if not _registry:
        return None
    q = Q()
    for fn in _registry.values():
        q |= Q(fn(student_ref))
    return q
