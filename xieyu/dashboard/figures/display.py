"""From stored figures to what a page, the export, the PDF and the API show: tiles grouped by area, each with its
value, denominator, coverage, freshness, suppression mark and its trend over the semesters. No counting here."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from xieyu.parentschool.semester import Semester, semester_of

from .metrics import AREAS, COUNT, COUNTY, MEAN, METRICS, RATE, Metric
from .models import Figure

HIDDEN = "<5"


def semester_from_code(code: str) -> Semester:
    year, part = code.split("-")
    return semester_of(datetime.date(int(year), 10 if part == "autumn" else 3, 1))


def is_semester(code: str) -> bool:
    return code.endswith(("-autumn", "-spring"))


def period_key(code: str) -> tuple[int, int]:
    year, part = code.split("-")
    return (int(year), 1 if part == "autumn" else 0)


def format_value(metric: Metric, fig: Figure | None) -> str:
    if fig is None:
        return "—"
    if fig.suppressed and fig.value is None:
        return HIDDEN
    if fig.value is None:
        return "—"
    if metric.kind == RATE:
        return f"{fig.value * 100:.1f}%"
    if metric.kind == MEAN:
        return f"{fig.value:.2f}"
    if metric.kind == COUNT and metric.target is not None and fig.level == COUNTY:
        return _("%(n)s of %(d)s schools") % {"n": fig.numerator, "d": fig.denominator}
    v = fig.value
    return f"{v:.0f}" if float(v).is_integer() else f"{v:.1f}"


def format_count(n: int | None) -> str:
    return HIDDEN if n is None else str(n)


def when(dt: datetime.datetime | None) -> str:
    return timezone.localtime(dt).strftime("%Y-%m-%d %H:%M") if dt else ""


@dataclass
class Tile:
    metric: Metric
    figure: Figure | None
    history: list[tuple[str, str, float | None]] = field(default_factory=list)  # (semester, shown, chart value)
    change: str = ""

    @property
    def key(self) -> str:
        return self.metric.key

    @property
    def value(self) -> str:
        return format_value(self.metric, self.figure)

    @property
    def suppressed(self) -> bool:
        return bool(self.figure and self.figure.suppressed)

    @property
    def denominator(self) -> str:
        if self.figure is None:
            return "—"
        if self.metric.kind == COUNT and (self.figure.level != COUNTY or not self.figure.denominator):
            return ""
        return format_count(self.figure.denominator)

    @property
    def numerator(self) -> str:
        return "—" if self.figure is None else format_count(self.figure.numerator)

    @property
    def rest(self) -> str:
        """The complement of a rate (denominator minus numerator) where the metric names it: shown only when both
        are shown (the suppression has then made sure it is not a small count either)."""
        f = self.figure
        if not self.metric.rest_label or f is None:
            return ""
        if f.numerator is None or f.denominator is None:
            return HIDDEN
        return str(f.denominator - f.numerator)

    @property
    def coverage(self) -> str:
        f = self.figure
        if f is None or f.units_total <= 1:
            return ""
        return _("%(n)s of %(d)s units counted") % {"n": f.units_counted, "d": f.units_total}

    @property
    def computed_at(self) -> str:
        return when(self.figure.computed_at) if self.figure else ""

    @property
    def meets(self) -> bool | None:
        f, m = self.figure, self.metric
        if f is None or f.value is None or m.target is None:
            return None
        if m.kind == COUNT:
            return f.level != COUNTY and f.value >= m.target or (f.level == COUNTY and f.numerator == f.denominator)
        return f.value >= m.target


@dataclass
class Board:
    level: str
    period: str
    areas: list[tuple[str, str, list[Tile]]]  # (key, title, tiles)
    computed_at: datetime.datetime | None

    @property
    def period_label(self) -> str:
        return semester_from_code(self.period).label

    @property
    def tiles(self) -> list[Tile]:
        return [t for _k, _t, tiles in self.areas for t in tiles]


def _chart_value(metric: Metric, f: Figure) -> float | None:
    if f.value is None:
        return None
    return round(f.value * 100, 1) if metric.kind == RATE else round(f.value, 2)


def board_of(figures: list[Figure], level: str, period: str) -> Board:
    """Tiles for one unit from all its periods' figures (figures_of), grouped by area in the plan's order."""
    by_metric: dict[str, dict[str, Figure]] = defaultdict(dict)
    for f in figures:
        if is_semester(f.period):
            by_metric[f.metric][f.period] = f
    areas = []
    newest = None
    for area in AREAS:
        tiles = []
        for m in METRICS.values():
            if (
                m.area != area.key
                or (level == "class" and m.level != "class")
                or (level == "school" and m.level == COUNTY)
            ):
                continue
            periods = by_metric.get(m.key, {})
            current = periods.get(period)
            history = [(semester_from_code(p).label, format_value(m, periods[p]), _chart_value(m, periods[p]))
                       for p in sorted(periods, key=period_key)]  # fmt: skip
            tile = Tile(m, current, history)
            earlier = [p for p in sorted(periods, key=period_key) if period_key(p) < period_key(period)]
            if current is not None and current.value is not None and earlier:
                before = periods[earlier[-1]]
                if before.value is not None:
                    diff = current.value - before.value
                    if m.kind == RATE:
                        tile.change = f"{diff * 100:+.1f}" + _(" points")
                    else:
                        tile.change = f"{diff:+.0f}" if float(diff).is_integer() else f"{diff:+.2f}"
            if current is not None and (newest is None or current.computed_at > newest):
                newest = current.computed_at
            tiles.append(tile)
        areas.append((area.key, str(area.title), tiles))
    return Board(level, period, areas, newest)


def current_period() -> str:
    return semester_of(timezone.now()).code
