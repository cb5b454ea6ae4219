"""The staff figures of one wave for a class, a school or the county: how many families fall in each score band per
dimension, the mean, and the change since the previous wave on paired families (the same pseudonym answered
both). Every count goes through the one suppression helper (xieyu/core/suppression.py); a mean or a change is
shown only over at least SMALL_CELL families. No names: the rows are dimensions, classes or schools.

Two queries for the answers of the two waves, whatever the unit's size.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from xieyu.core.suppression import SuppressedTable, suppress, threshold_default
from xieyu.core.viewhelpers import parse_id

from ..models import Response, Wave
from .access import instrument_of, published_version
from .profile import DimensionInfo, dimensions_of

BANDS = ((0, 40), (40, 60), (60, 80), (80, 101))
TOTAL_CODE = "_total"


def band_labels() -> list[str]:
    return ["0–39", "40–59", "60–79", "80–100"]


def band_of(score: float) -> int:
    for i, (lo, hi) in enumerate(BANDS):
        if lo <= score < hi:
            return i
    return len(BANDS) - 1


@dataclass(frozen=True)
class Row:
    label: str
    mean: float | None  # None: too few families to show it
    change: float | None  # mean change on paired families; None when too few pairs or no previous wave
    paired: bool  # enough pairs for the change to be shown


@dataclass(frozen=True)
class Figures:
    wave: Wave
    previous: Wave | None
    table: SuppressedTable  # rows: dimensions (then the total), cols: score bands
    rows: list[Row]  # means and changes, in the table's order
    breakdown: SuppressedTable | None  # the total's bands per class (a school) or per school (the county)
    breakdown_rows: list[Row]

    def lines(self):
        return list(zip(self.table.rows, self.table.cells, self.table.row_totals, self.rows, strict=True))

    def breakdown_lines(self):
        if self.breakdown is None:
            return []
        b = self.breakdown
        return list(zip(b.rows, b.cells, b.row_totals, self.breakdown_rows, strict=True))


def _mean(values: list[float], t: int) -> float | None:
    return round(sum(values) / len(values), 1) if len(values) >= t else None


def _value(r: Response, code: str) -> float | None:
    v = r.total if code == TOTAL_CODE else (r.scores or {}).get(code)
    return float(v) if isinstance(v, int | float) else None


def figures_for(
    wave: Wave, previous: Wave | None, unit: Q, dims: list[DimensionInfo], *, by: str = "", labels=None
) -> Figures:
    """The figures of the families in `unit` (a filter on Response: school_class=…, school=…, school__county=…).
    `by` ("school_class_id" or "school_id") adds the breakdown of the total by that column, its rows named by
    `labels` ({id: name}, in the order to show)."""
    t = threshold_default()
    now = list(
        Response.objects.filter(unit, wave=wave, status=Response.Status.SUBMITTED, total__isnull=False).only(
            "respondent_id", "scores", "total", "school_id", "school_class_id"
        )
    )
    before: dict[int, Response] = {}
    if previous is not None:
        ids = Response.objects.filter(unit, wave=wave).values("respondent_id")  # one query with the answers
        before = {
            r.respondent_id: r
            for r in Response.objects.filter(
                wave=previous, status=Response.Status.SUBMITTED, total__isnull=False, respondent__in=ids
            ).only("respondent_id", "scores", "total")
        }
    codes = [d.code for d in dims] + [TOTAL_CODE]
    names = [d.label for d in dims] + [_("Total")]
    counts, rows = [], []
    for code, name in zip(codes, names, strict=True):
        line = [0] * len(BANDS)
        values, changes = [], []
        for r in now:
            v = _value(r, code)
            if v is None:
                continue
            line[band_of(v)] += 1
            values.append(v)
            p = before.get(r.respondent_id)
            pv = _value(p, code) if p is not None else None
            if pv is not None:
                changes.append(v - pv)
        counts.append(line)
        change = _mean(changes, t) if previous is not None else None
        rows.append(Row(name, _mean(values, t), change, len(changes) >= t))
    table = suppress(names, band_labels(), counts)

    breakdown, breakdown_rows = None, []
    if by and labels:
        order = list(labels)
        index = {k: i for i, k in enumerate(order)}
        bcounts = [[0] * len(BANDS) for _k in order]
        values_by: list[list[float]] = [[] for _k in order]
        changes_by: list[list[float]] = [[] for _k in order]
        for r in now:
            i = index.get(getattr(r, by))
            if i is None or r.total is None:
                continue
            bcounts[i][band_of(r.total)] += 1
            values_by[i].append(r.total)
            p = before.get(r.respondent_id)
            if p is not None and p.total is not None:
                changes_by[i].append(r.total - p.total)
        breakdown = suppress([labels[k] for k in order], band_labels(), bcounts)
        breakdown_rows = [
            Row(labels[k], _mean(values_by[i], t), _mean(changes_by[i], t) if previous else None,
                len(changes_by[i]) >= t)
            for i, k in enumerate(order)
        ]  # fmt: skip
    return Figures(wave, previous, table, rows, breakdown, breakdown_rows)


def waves_of(county_id: int, raw=None):
    """The county's evaluation, the wave to show (the one asked for by id, else the latest closed one, else the open
    one), the wave before it and all the opened waves. A wave id that is not one of them is 404."""
    chosen = instrument_of(county_id)
    if chosen is None:
        return None, None, None, []
    waves = list(Wave.objects.filter(questionnaire=chosen.questionnaire_id, opens_at__lte=timezone.now())
                 .order_by("number"))  # fmt: skip
    if not waves:
        return chosen, None, None, []
    closed = [w for w in waves if w.closes_at <= timezone.now()]
    wave = closed[-1] if closed else waves[-1]  # a wave's figures are read once it closes, unless asked for
    if raw:
        wanted = parse_id(raw)
        asked = next((w for w in waves if w.pk == wanted), None)
        if asked is None:
            raise Http404("wave not found")
        wave = asked
    earlier = [w for w in waves if w.number < wave.number]
    return chosen, wave, earlier[-1] if earlier else None, waves


def unit_figures(county_id: int, unit: Q, raw_wave=None, *, by: str = "", labels=None):
    """(chosen, wave, waves, figures or None) for a unit of the county, as the pages and the API show them."""
    chosen, wave, previous, waves = waves_of(county_id, raw_wave)
    if chosen is None or wave is None:
        return chosen, wave, waves, None
    dims = dimensions_of(published_version(chosen.questionnaire_id))
    return chosen, wave, waves, figures_for(wave, previous, unit, dims, by=by, labels=labels)
