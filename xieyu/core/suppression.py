"""Small-cell suppression: the one helper every aggregate about children passes through (pages, exports, the API).

A table is row labels, column labels and a matrix of counts (a one-dimensional table is one row). Its row totals,
column totals and grand total are the sums of the cells, computed here, so they always agree with the cells.

**Primary suppression.** Every count under `settings.SMALL_CELL` (5) is hidden and shown as "<5", totals too.
Zero is suppressed as well: the issue says any cell under 5, and a shown zero is itself a disclosure ("none of the
children of this school is an orphan" tells who the others are) and, worse, narrows the hidden cells next to it
(a row "0, <5, 12 | total 15" pins the "<5" at 3). Hiding zeros costs a few more marks on sparse tables; that is the
price of a table nobody can solve.

**Complementary suppression.** Each row (its cells and its total), each column (its cells and its total) and the
totals row (the column totals and the grand total) is a linear relation. A hidden member that is the only hidden
one of a relation is recovered by subtraction, so while some relation has exactly one hidden member the smallest
shown other member of it is hidden too (an inner cell before a total), until nothing changes. That alone is not
enough in a two-dimensional table: a hidden cell can be the only link between two groups of hidden cells and be
recovered by adding whole rows and subtracting whole columns, with every relation holding two hidden members. In
the signed table (totals negated) every line sums to zero, the hidden cells are the edges of a bipartite graph of
rows and columns, and a hidden cell is determined by the shown ones exactly when its edge is a bridge (it lies on
no cycle); so bridges are broken too, by hiding one more member of the bridge's row or column. Last, the marks
themselves tell something ("<5" is 0–4, a complementary mark is at least 5): bounds are propagated through every
relation, and a hidden cell they pin to one value gets another complement. The loop ends when no hidden cell can be
recovered, by subtraction, by combining relations, or by bounds (`recoverable` is that attacker; the tests try
harder ones).

Complementary cells show "—" (COMPLEMENT): "hidden so that the small cells cannot be worked out" (LEGEND).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

PRIMARY_MARK = "<5"
COMPLEMENT = "—"
SHOWN, PRIMARY, COMPLEMENTARY = "shown", "primary", "complementary"
TOTAL = "total"  # the label of the totals row and column


def threshold_default() -> int:
    from django.conf import settings

    return int(getattr(settings, "SMALL_CELL", 5))


def primary_mark(threshold: int) -> str:
    return f"<{threshold}"


@dataclass(frozen=True)
class Cell:
    """One displayed cell: its text, its state (shown, primary, complementary) and its value when shown."""

    display: str
    state: str
    value: int | None

    @property
    def hidden(self) -> bool:
        return self.state != SHOWN

    def as_list(self) -> list:
        return [self.display, self.state, self.value]


@dataclass(frozen=True)
class SuppressedTable:
    """A table as it may be shown: every cell and total already suppressed. No count of a hidden cell is kept."""

    rows: list[str]
    cols: list[str]
    cells: list[list[Cell]]
    row_totals: list[Cell]
    col_totals: list[Cell]
    grand_total: Cell
    threshold: int

    @property
    def one_dimensional(self) -> bool:
        return len(self.rows) == 1

    @property
    def has_primary(self) -> bool:
        return any(c.state == PRIMARY for c in self._all())

    @property
    def has_complement(self) -> bool:
        return any(c.state == COMPLEMENTARY for c in self._all())

    def _all(self):
        for row in self.cells:
            yield from row
        yield from self.row_totals
        yield from self.col_totals
        yield self.grand_total

    def display_grid(self) -> list[list[str]]:
        """The table as text, with the totals: a header row, one row per label, then the totals row."""
        grid = [["", *self.cols, TOTAL]]
        for label, row, total in zip(self.rows, self.cells, self.row_totals, strict=True):
            grid.append([label, *(c.display for c in row), total.display])
        grid.append([TOTAL, *(c.display for c in self.col_totals), self.grand_total.display])
        return grid

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": list(self.rows),
            "cols": list(self.cols),
            "cells": [[c.as_list() for c in row] for row in self.cells],
            "row_totals": [c.as_list() for c in self.row_totals],
            "col_totals": [c.as_list() for c in self.col_totals],
            "grand_total": self.grand_total.as_list(),
            "threshold": self.threshold,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SuppressedTable:
        def cell(x) -> Cell:
            return Cell(str(x[0]), str(x[1]), None if x[2] is None else int(x[2]))

        return cls(
            rows=[str(r) for r in data["rows"]],
            cols=[str(c) for c in data["cols"]],
            cells=[[cell(x) for x in row] for row in data["cells"]],
            row_totals=[cell(x) for x in data["row_totals"]],
            col_totals=[cell(x) for x in data["col_totals"]],
            grand_total=cell(data["grand_total"]),
            threshold=int(data.get("threshold", 5)),
        )


# --- the extended table and its relations ------------------------------------------------------------------------
#
# Positions are (i, j) in the (R + 1) x (C + 1) extended table: i == R is the totals row, j == C the totals column.
# Relations: each row i (0..R) says cells (i, 0..C-1) sum to (i, C); each column j (0..C) says (0..R-1, j) sum to
# (R, j). A one-row table has only its row relation (its columns repeat the cells).

Pos = tuple[int, int]


def extended(counts: Sequence[Sequence[int]], n_cols: int) -> list[list[int]]:
    rows = [[int(v) for v in row] for row in counts]
    for row in rows:
        if len(row) != n_cols:
            raise ValueError("every row needs one count per column")
        if any(v < 0 for v in row):
            raise ValueError("counts cannot be negative")
    col_totals = [sum(row[j] for row in rows) for j in range(n_cols)]
    return [[*row, sum(row)] for row in rows] + [[*col_totals, sum(col_totals)]]


def relations(n_rows: int, n_cols: int) -> list[list[tuple[Pos, int]]]:
    """Every relation as (position, coefficient) pairs whose weighted sum is zero (the total has -1). A one-row
    table has its row only (its column totals repeat its cells and its grand total its row total)."""
    rels = [[*(((i, j), 1) for j in range(n_cols)), ((i, n_cols), -1)] for i in range(n_rows + (n_rows > 1))]
    if n_rows > 1:
        rels += [[*(((i, j), 1) for i in range(n_rows)), ((n_rows, j), -1)] for j in range(n_cols + 1)]
    return rels


def _relations_of(p: Pos, n_rows: int, n_cols: int) -> list[list[tuple[Pos, int]]]:
    """The relations p is a member of: its row's, and its column's in a two-dimensional table."""
    i, j = p
    row = [*(((i, k), 1) for k in range(n_cols)), ((i, n_cols), -1)]
    if n_rows <= 1:
        return [row]
    col = [*(((k, j), 1) for k in range(n_rows)), ((n_rows, j), -1)]
    return [row, col]


def _bridges(hidden: set[Pos], n_rows: int, n_cols: int) -> list[Pos]:
    """Hidden cells that are bridges of the bipartite graph rows–columns whose edges are the hidden cells (in the
    signed extended table every line sums to zero, so exactly these are determined by the shown cells)."""
    if n_rows <= 1:
        return []
    adj: dict[tuple[str, int], list[tuple[tuple[str, int], Pos]]] = {}
    for i, j in sorted(hidden):
        a, b = ("r", i), ("c", j)
        adj.setdefault(a, []).append((b, (i, j)))
        adj.setdefault(b, []).append((a, (i, j)))
    order: dict[tuple[str, int], int] = {}
    low: dict[tuple[str, int], int] = {}
    found: list[Pos] = []
    counter = 0
    for start in adj:
        if start in order:
            continue
        order[start] = low[start] = counter
        counter += 1
        stack: list[tuple[tuple[str, int], Pos | None, Any]] = [(start, None, iter(adj[start]))]
        while stack:
            node, via, edges = stack[-1]
            advanced = False
            for nxt, edge in edges:
                if edge == via:
                    continue
                if nxt in order:
                    low[node] = min(low[node], order[nxt])
                else:
                    order[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append((nxt, edge, iter(adj[nxt])))
                    advanced = True
                    break
            if advanced:
                continue
            stack.pop()
            if stack and via is not None:
                parent = stack[-1][0]
                low[parent] = min(low[parent], low[node])
                if low[node] > order[parent]:
                    found.append(via)
    return found


class _Sum:
    """A sum of bounds that may hold infinite terms, from which one term can be taken out again."""

    def __init__(self) -> None:
        self.finite = 0.0
        self.pos_inf = 0
        self.neg_inf = 0

    def add(self, x: float) -> None:
        if x == math.inf:
            self.pos_inf += 1
        elif x == -math.inf:
            self.neg_inf += 1
        else:
            self.finite += x

    def without(self, x: float) -> float:
        pos, neg, fin = self.pos_inf, self.neg_inf, self.finite
        if x == math.inf:
            pos -= 1
        elif x == -math.inf:
            neg -= 1
        else:
            fin -= x
        if pos and neg:
            return math.nan
        return math.inf if pos else -math.inf if neg else fin


def bounds_attack(
    values: list[list[int]], hidden: dict[Pos, str], n_rows: int, n_cols: int, threshold: int
) -> dict[Pos, tuple[float, float]]:
    """What an attacker learns of each hidden cell from the shown ones, the relations and the marks ("<5" is
    0..threshold-1, a complementary mark at least threshold): the bounds after propagating to a fixpoint."""
    lo: dict[Pos, float] = {}
    hi: dict[Pos, float] = {}
    for p, state in hidden.items():
        lo[p], hi[p] = (0, threshold - 1) if state == PRIMARY else (threshold, math.inf)
    rels = []
    for rel in relations(n_rows, n_cols):
        unknown = [(p, c) for p, c in rel if p in hidden]
        if unknown:
            known = sum(c * values[p[0]][p[1]] for p, c in rel if p not in hidden)
            rels.append((known, unknown))
    for _round in range(60):
        changed = False
        for known, unknown in rels:
            low_sum, high_sum = _Sum(), _Sum()  # of c * x over the unknown members
            terms = []
            for p, c in unknown:
                t_lo, t_hi = (c * lo[p], c * hi[p]) if c > 0 else (c * hi[p], c * lo[p])
                low_sum.add(t_lo)
                high_sum.add(t_hi)
                terms.append((p, c, t_lo, t_hi))
            for p, c, t_lo, t_hi in terms:
                # c * x_p = -known - (the others), so it lies between these two
                rhs_lo = -known - high_sum.without(t_hi)
                rhs_hi = -known - low_sum.without(t_lo)
                new_lo, new_hi = (rhs_lo, rhs_hi) if c > 0 else (-rhs_hi, -rhs_lo)
                if not math.isnan(new_lo) and new_lo > lo[p]:
                    lo[p], changed = math.ceil(new_lo), True
                if not math.isnan(new_hi) and new_hi < hi[p]:
                    hi[p], changed = math.floor(new_hi), True
        if not changed:
            break
    return {p: (lo[p], hi[p]) for p in hidden}


def recoverable(values: list[list[int]], hidden: dict[Pos, str], n_rows: int, n_cols: int, threshold: int) -> set:
    """The hidden positions an attacker can work out: alone in a relation, a bridge, or pinned by the bounds."""
    found: set[Pos] = set()
    for rel in relations(n_rows, n_cols):
        members = [p for p, _ in rel if p in hidden]
        if len(members) == 1:
            found.add(members[0])
    found.update(_bridges(set(hidden), n_rows, n_cols))
    for p, (lo, hi) in bounds_attack(values, hidden, n_rows, n_cols, threshold).items():
        if lo >= hi:
            found.add(p)
    return found


def _complement_for(p: Pos, values: list[list[int]], hidden: dict[Pos, str], n_rows: int, n_cols: int) -> Pos | None:
    """The member to hide next to protect p: the smallest shown member of a relation p is alone in (else of any
    of p's relations), inner cells before totals (ties: the smaller value, then the first)."""
    best: tuple | None = None
    rels = _relations_of(p, n_rows, n_cols)
    alone = [r for r in rels if sum(1 for q, _c in r if q in hidden) == 1]
    for rel in alone or rels:  # first the relation that would give p away by subtraction
        for q, _c in rel:
            if q in hidden:
                continue
            key = (q[0] == n_rows or q[1] == n_cols, values[q[0]][q[1]], q)
            if best is None or key < best:
                best = key
    return best[2] if best else None


def suppress(
    rows: Sequence[str], cols: Sequence[str], counts: Sequence[Sequence[int]], *, threshold: int | None = None
) -> SuppressedTable:
    """The table as it may be shown: primary marks for counts under the threshold, complements until no hidden cell
    can be recovered (see the module's notes)."""
    t = threshold_default() if threshold is None else threshold
    rows, cols = [str(r) for r in rows], [str(c) for c in cols]
    if len(counts) != len(rows):
        raise ValueError("one row of counts per row label")
    n_rows, n_cols = len(rows), len(cols)
    values = extended(counts, n_cols)
    if not rows or not cols:  # nothing counted yet: every total is 0, shown as a small count
        hidden_all = {(i, j): PRIMARY for i in range(n_rows + 1) for j in range(n_cols + 1)}
        return _table(rows, cols, values, hidden_all, t)
    hidden: dict[Pos, str] = {}
    for i in range(n_rows + (n_rows > 1)):
        for j in range(n_cols + 1):
            if values[i][j] < t:
                hidden[(i, j)] = PRIMARY
    for _guard in range((n_rows + 1) * (n_cols + 1) + 1):
        weak = recoverable(values, hidden, n_rows, n_cols, t)
        if not weak:
            break
        touched: set[tuple[str, int]] = set()
        added = False
        for p in sorted(weak):
            lines = {("r", p[0]), ("c", p[1])} if n_rows > 1 else {("r", p[0])}
            if lines & touched:
                continue  # a complement added in this pass may protect it already: look again next pass
            q = _complement_for(p, values, hidden, n_rows, n_cols)
            if q is not None:
                hidden[q] = COMPLEMENTARY
                touched |= lines | ({("r", q[0]), ("c", q[1])} if n_rows > 1 else {("r", q[0])})
                added = True
        if not added:  # every relation of every weak cell is hidden already: hide the whole table
            for i in range(n_rows + 1):
                for j in range(n_cols + 1):
                    hidden.setdefault((i, j), COMPLEMENTARY)
            break
    if n_rows == 1:  # a one-row table: the column totals repeat the cells, the grand total the row total
        for j in range(n_cols + 1):
            if (0, j) in hidden:
                hidden[(1, j)] = hidden[(0, j)]
    return _table(rows, cols, values, hidden, t)


def _cell(value: int, state: str | None, threshold: int) -> Cell:
    if state == PRIMARY:
        return Cell(primary_mark(threshold), PRIMARY, None)
    if state == COMPLEMENTARY:
        return Cell(COMPLEMENT, COMPLEMENTARY, None)
    return Cell(str(value), SHOWN, value)


def _table(rows, cols, values, hidden, t) -> SuppressedTable:
    n_rows, n_cols = len(rows), len(cols)
    return SuppressedTable(
        rows=rows,
        cols=cols,
        cells=[[_cell(values[i][j], hidden.get((i, j)), t) for j in range(n_cols)] for i in range(n_rows)],
        row_totals=[_cell(values[i][n_cols], hidden.get((i, n_cols)), t) for i in range(n_rows)],
        col_totals=[_cell(values[n_rows][j], hidden.get((n_rows, j)), t) for j in range(n_cols)],
        grand_total=_cell(values[n_rows][n_cols], hidden.get((n_rows, n_cols)), t),
        threshold=t,
    )


def suppress_one(labels: Sequence[str], counts: Sequence[int], *, threshold: int | None = None) -> SuppressedTable:
    """A one-dimensional table (counts by one attribute): one row of cells and its total."""
    return suppress([TOTAL], labels, [list(counts)], threshold=threshold)
