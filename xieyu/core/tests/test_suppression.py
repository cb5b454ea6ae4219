"""Small-cell suppression: no hidden cell of a figure can be worked out from what the page, the export and the API
show, by subtraction, by combining rows and columns, or from what the marks themselves say."""

from __future__ import annotations

import itertools
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xieyu.core.suppression import (
    COMPLEMENT,
    COMPLEMENTARY,
    PRIMARY,
    SHOWN,
    SuppressedTable,
    relations,
    suppress,
    suppress_one,
)

T = 5


def positions(table: SuppressedTable) -> dict[tuple[int, int], object]:
    """Every member of the extended table (cells, row totals, column totals, grand total) by position."""
    n_rows, n_cols = len(table.rows), len(table.cols)
    out: dict[tuple[int, int], object] = {}
    for i, row in enumerate(table.cells):
        for j, cell in enumerate(row):
            out[(i, j)] = cell
        out[(i, n_cols)] = table.row_totals[i]
    for j, cell in enumerate(table.col_totals):
        out[(n_rows, j)] = cell
    out[(n_rows, n_cols)] = table.grand_total
    return out


def subtraction_attack(table: SuppressedTable) -> dict[tuple[int, int], int]:
    """What a reader with a calculator recovers: any relation with one unknown member is solved, and what was
    solved is used again, until nothing more comes out."""
    n_rows, n_cols = len(table.rows), len(table.cols)
    known = {p: c.value for p, c in positions(table).items() if c.value is not None}
    recovered: dict[tuple[int, int], int] = {}
    progress = True
    while progress:
        progress = False
        for rel in relations(n_rows, n_cols):
            unknown = [(p, c) for p, c in rel if p not in known]
            if len(unknown) == 1:
                (p, c) = unknown[0]
                rest = sum(coef * known[q] for q, coef in rel if q != p)
                known[p] = recovered[p] = -rest // c
                progress = True
    return recovered


def linear_attack(table: SuppressedTable) -> set[tuple[int, int]]:
    """Every hidden member determined by the whole linear system (row reduction over the rationals): a hidden
    member is determined when the unit vector on it lies in the span of the relations' rows."""
    n_rows, n_cols = len(table.rows), len(table.cols)
    cells = positions(table)
    unknowns = sorted(p for p, c in cells.items() if c.value is None)
    if n_rows == 1:  # the column totals repeat the cells: only the row relation and its mirror hold
        unknowns = [p for p in unknowns if p[0] == 0]
    index = {p: k for k, p in enumerate(unknowns)}
    matrix = []
    for rel in relations(n_rows, n_cols):
        row = [Fraction(0)] * len(unknowns)
        for p, c in rel:
            if p in index:
                row[index[p]] += c
        if any(row):
            matrix.append(row)
    # reduced row echelon form
    pivot_rows: list[list[Fraction]] = []
    col = 0
    rows = [r[:] for r in matrix]
    r = 0
    while r < len(rows) and col < len(unknowns):
        pivot = next((k for k in range(r, len(rows)) if rows[k][col] != 0), None)
        if pivot is None:
            col += 1
            continue
        rows[r], rows[pivot] = rows[pivot], rows[r]
        lead = rows[r][col]
        rows[r] = [x / lead for x in rows[r]]
        for k in range(len(rows)):
            if k != r and rows[k][col] != 0:
                factor = rows[k][col]
                rows[k] = [a - factor * b for a, b in zip(rows[k], rows[r], strict=True)]
        r += 1
        col += 1
    pivot_rows = rows[:r]
    return {
        unknowns[[k for k, x in enumerate(row) if x != 0][0]] for row in pivot_rows if sum(1 for x in row if x) == 1
    }


def brute_force_attack(table: SuppressedTable, max_value: int) -> set[tuple[int, int]]:
    """For small tables: every filling of the hidden inner cells that agrees with the marks ("<5" is 0–4, "—" is
    5 or more), the shown cells and the shown totals; a hidden member that takes one value in all of them is
    recovered. The attacker knows every cell is at most max_value (more than any real reader knows)."""
    n_rows, n_cols = len(table.rows), len(table.cols)
    cells = positions(table)
    inner = [(i, j) for i in range(n_rows) for j in range(n_cols)]

    def options(cell):
        if cell.state == SHOWN:
            return [cell.value]
        if cell.state == PRIMARY:
            return list(range(T))
        return list(range(T, max_value + 1))

    def fits(total, cell) -> bool:
        if cell.state == SHOWN:
            return total == cell.value
        return total < T if cell.state == PRIMARY else total >= T

    seen: dict[tuple[int, int], set[int]] = {}
    for filling in itertools.product(*(options(cells[p]) for p in inner)):
        grid = [list(filling[i * n_cols : (i + 1) * n_cols]) for i in range(n_rows)]
        row_totals = [sum(r) for r in grid]
        col_totals = [sum(grid[i][j] for i in range(n_rows)) for j in range(n_cols)]
        grand = sum(row_totals)
        if not all(fits(row_totals[i], cells[(i, n_cols)]) for i in range(n_rows)):
            continue
        if n_rows > 1 and not all(fits(col_totals[j], cells[(n_rows, j)]) for j in range(n_cols)):
            continue
        if not fits(grand, cells[(n_rows, n_cols)]):
            continue
        values = {(i, j): grid[i][j] for i, j in inner}
        values |= {(i, n_cols): row_totals[i] for i in range(n_rows)}
        values |= {(n_rows, j): col_totals[j] for j in range(n_cols)}
        values[(n_rows, n_cols)] = grand
        for p, v in values.items():
            seen.setdefault(p, set()).add(v)
    return {p for p, vs in seen.items() if cells[p].value is None and len(vs) == 1}


def hidden_counts(table: SuppressedTable) -> list[int]:
    n_rows, n_cols = len(table.rows), len(table.cols)
    out = []
    for rel in relations(n_rows, n_cols):
        out.append(sum(1 for p, _c in rel if positions(table)[p].value is None))
    return out


tables = st.integers(1, 5).flatmap(
    lambda r: st.integers(1, 6).flatmap(
        lambda c: st.lists(
            st.lists(st.one_of(st.integers(0, 6), st.integers(0, 60)), min_size=c, max_size=c), min_size=r, max_size=r
        )
    )
)


def build(counts) -> SuppressedTable:
    return suppress([f"r{i}" for i in range(len(counts))], [f"c{j}" for j in range(len(counts[0]))], counts,
                    threshold=T)  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables)
def test_no_relation_has_exactly_one_hidden_member(counts):
    table = build(counts)
    assert 1 not in hidden_counts(table)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables)
def test_every_count_under_five_is_hidden_and_every_shown_count_is_true(counts):
    table = build(counts)
    n_rows, n_cols = len(counts), len(counts[0])
    for i, j in itertools.product(range(n_rows), range(n_cols)):
        cell = table.cells[i][j]
        if counts[i][j] < T:
            assert cell.display == "<5" and cell.state == PRIMARY
        elif cell.state == SHOWN:
            assert cell.value == counts[i][j] and cell.display == str(counts[i][j])
        else:
            assert cell.display == COMPLEMENT and cell.state == COMPLEMENTARY
    for i, total in enumerate(table.row_totals):
        assert (total.display == "<5") == (sum(counts[i]) < T)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables)
def test_no_hidden_cell_is_recovered_by_subtraction_or_by_combining_relations(counts):
    table = build(counts)
    assert subtraction_attack(table) == {}
    assert linear_attack(table) == set()


def attacker_bound(table: SuppressedTable, counts) -> int:
    """What the brute-force attacker assumes of every cell: at most the grand total when it is shown (as any
    reader knows), else a generous bound above the real counts (more than any reader knows)."""
    grand = table.grand_total
    return grand.value if grand.value is not None else sum(map(sum, counts)) + 10


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.lists(st.lists(st.integers(0, 7), min_size=2, max_size=2), min_size=2, max_size=2),
        st.lists(st.lists(st.integers(0, 9), min_size=1, max_size=4), min_size=1, max_size=1),
    )
)
def test_no_hidden_cell_is_pinned_by_what_the_marks_say(counts):
    """The marks tell "0–4" and "5 or more": even with every filling tried, each hidden member keeps two values."""
    table = build(counts)
    assert brute_force_attack(table, max_value=attacker_bound(table, counts)) == set()


def test_the_attack_on_a_row_with_one_small_cell_fails():
    """3 girls, 10 and 12 others, 25 in all: hiding the 3 alone would give it away (25 - 10 - 12)."""
    table = suppress_one(["留守(单亲外出)", "留守(双亲外出)", "困境"], [3, 10, 12], threshold=T)
    assert [c.display for c in table.cells[0]] == ["<5", "—", "12"]
    assert table.grand_total.display == "25"
    assert subtraction_attack(table) == {}
    assert linear_attack(table) == set()


def test_a_school_column_with_a_small_cell_hides_a_second_cell_and_not_a_total():
    counts = [[3, 10, 12], [8, 9, 20], [7, 1, 30]]
    table = suppress(["城厢小学", "二中", "大吉山小学"], ["留守", "困境", "其他"], counts, threshold=T)
    grid = table.display_grid()
    assert grid[1] == ["城厢小学", "<5", "—", "12", "25"]
    assert grid[3] == ["大吉山小学", "—", "<5", "30", "38"]
    assert grid[4] == ["total", "18", "20", "62", "100"]  # totals stay shown: the hidden cells form a cycle
    assert subtraction_attack(table) == {} and linear_attack(table) == set()


def test_a_hidden_bridge_between_two_groups_is_protected():
    """Two blocks of hidden cells joined by one hidden cell: every relation has two hidden members, yet adding
    the first block's rows and subtracting its columns would give the joining cell away."""
    counts = [
        [1, 2, 40, 40, 40],
        [2, 1, 3, 40, 40],
        [40, 40, 1, 2, 40],
        [40, 40, 2, 1, 40],
    ]
    table = build(counts)
    assert linear_attack(table) == set()
    assert subtraction_attack(table) == {}


def test_zeros_are_hidden_so_they_do_not_pin_their_neighbours():
    table = suppress_one(["a", "b", "c"], [0, 3, 12], threshold=T)
    assert [c.display for c in table.cells[0]][:2] == ["<5", "<5"]
    assert brute_force_attack(table, max_value=15) == set()


def test_a_total_under_five_shows_less_than_five():
    table = suppress_one(["a", "b"], [1, 2], threshold=T)
    assert table.grand_total.display == "<5"
    assert table.row_totals[0].display == "<5"


def test_the_table_round_trips_through_json_without_the_hidden_counts():
    table = build([[3, 10], [8, 9]])
    data = table.as_dict()
    assert SuppressedTable.from_dict(data) == table
    hidden = [x for row in data["cells"] for x in row if x[1] != SHOWN]
    assert hidden and all(x[2] is None for x in hidden)


def test_a_table_with_nothing_counted_yet_shows_its_totals_as_small():
    table = suppress([], ["a", "b"], [], threshold=T)
    assert table.cells == [] and [c.display for c in table.col_totals] == ["<5", "<5"]
    assert table.grand_total.display == "<5"
