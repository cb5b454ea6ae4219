"""A readable diff between two charter versions: the changed lines only, each marked added or removed (in words on
the page, not by colour alone), with its line number in the version it belongs to."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

ADDED, REMOVED = "added", "removed"


@dataclass(frozen=True)
class DiffLine:
    mark: str  # ADDED or REMOVED
    number: int  # the line's number in the newer version (added) or the older one (removed)
    text: str


def line_diff(old: str, new: str) -> list[DiffLine]:
    a, b = old.splitlines(), new.splitlines()
    rows: list[DiffLine] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag in ("replace", "delete"):
            rows += [DiffLine(REMOVED, i + 1, a[i]) for i in range(i1, i2)]
        if tag in ("replace", "insert"):
            rows += [DiffLine(ADDED, j + 1, b[j]) for j in range(j1, j2)]
    return rows
